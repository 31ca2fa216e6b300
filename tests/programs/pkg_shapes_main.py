"""Imports a helper package with submodules and relative imports."""
import pkg_shapes
from pkg_shapes import Circle, Rectangle, Square

shapes = [Circle(1), Rectangle(2, 3), Square(2)]
for s in shapes:
    print(s.describe())
print(pkg_shapes.REGISTERED)
try:
    Circle(-1)
except ValueError as exc:
    print("error:", exc)
print(sum(s.area() for s in shapes) > 14)
