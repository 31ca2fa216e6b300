"""Shape helpers used by corpus programs."""
from .base import Shape
from .circle import Circle
from .polygon import Rectangle, Square

__all__ = ["Circle", "Rectangle", "Shape", "Square"]
REGISTERED = [cls.__name__ for cls in (Circle, Rectangle, Square)]
