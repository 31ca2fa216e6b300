from .base import Shape


class Rectangle(Shape):
    sides = 4

    def __init__(self, w, h):
        self.w = w
        self.h = h

    def area(self):
        return self.w * self.h


class Square(Rectangle):
    def __init__(self, side):
        super().__init__(side, side)

    def describe(self):
        text = super().describe()
        return text.replace("Square", "Square(!)")
