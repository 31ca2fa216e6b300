"""A small program for ferrocov's report golden tests."""
import sys

from pkg import full, mod2, mod10
from pkg.sub import deep


def used(x):
    if x > 1:
        return x * 2
    else:
        return -x


def unused(a, b):
    total = a + b
    # a comment between statements
    total *= 2

    return total


def excluded_func():  # pragma: no cover
    return 42


class Shape:
    """A class."""

    sides = 0

    def area(self):
        return 0

    def perimeter(self):
        return self.sides * 2

    class Inner:
        def method(self):
            return "inner"


def used(x):  # noqa: F811  (redefined: exercises duplicate names)
    y = (
        x
        + 1
    )
    return y


def outer():
    def inner():
        return 1

    return inner()


if __name__ == "__main__":
    print(used(3), full.f(), deep.g(1))
    s = Shape()
    s.area()
    if len(sys.argv) > 5:
        print("never")
        print("never again")
    outer()
