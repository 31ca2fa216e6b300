import typing

a = 1  # pragma: no cover
b = 2

if a:  # pragma: no cover
    c = 3
    d = 4
e = 5

if typing.TYPE_CHECKING:
    import os
f = 6


def excluded_func():  # pragma: no cover
    x = 1

    return x


@property  # pragma: no cover
def excluded_by_decorator():
    return 2


class Excluded:  # pragma: no cover
    y = 1

    def m(self):
        pass


def partly(a):
    if a:
        return 1
    else:  # pragma: no cover
        return 2


def partly2(a):
    try:
        return 1
    except ValueError:  # pragma: no cover
        return 2
    finally:
        pass


x = (
    1,  # pragma: no cover
    2,
)
y = 3


def stub(): ...


def stub2(a,
          b): ...


class Proto(typing.Protocol):
    def meth(self) -> int: ...

    def meth2(
        self,
    ) -> int:
        ...


while a:  # pragma: no cover
    a = 0
else:
    a = 1

for i in range(2):
    pass
else:  # pragma: no cover
    a = 2

# pragma: no cover
z = 7
