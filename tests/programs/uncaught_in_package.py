"""Uncaught exception raised inside a helper package, traceback spans files."""
from pkg_shapes import Circle, Shape


class Blob(Shape):
    pass


print(Circle(2).describe())
print("describing a blob")
print(Blob().describe())
