"""Custom descriptors, __getattr__, __slots__ and cached properties."""
import functools


class Positive:
    def __set_name__(self, owner, name):
        self.private = "_" + name

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return getattr(obj, self.private)

    def __set__(self, obj, value):
        if value <= 0:
            raise ValueError(f"{self.private[1:]} must be positive")
        setattr(obj, self.private, value)


class Box:
    width = Positive()
    height = Positive()

    def __init__(self, w, h):
        self.width = w
        self.height = h

    @functools.cached_property
    def area(self):
        print("computing area once")
        return self.width * self.height


class Dynamic:
    def __getattr__(self, name):
        if name.startswith("get_"):
            return lambda: name[4:]
        raise AttributeError(name)


class Slotted:
    __slots__ = ("a", "b")

    def __init__(self):
        self.a = 1


b = Box(3, 4)
print(b.area, b.area, isinstance(Box.width, Positive))
try:
    b.height = -1
except ValueError as exc:
    print(exc)
d = Dynamic()
print(d.get_name(), hasattr(d, "other"))
s = Slotted()
try:
    s.c = 3
except AttributeError:
    print("slots prevent new attributes")
print(hasattr(s, "b"))
