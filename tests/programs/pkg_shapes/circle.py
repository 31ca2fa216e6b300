import math

from .base import Shape


class Circle(Shape):
    def __init__(self, radius):
        if radius < 0:
            raise ValueError("radius must be >= 0")
        self.radius = radius

    def area(self):
        return math.pi * self.radius ** 2
