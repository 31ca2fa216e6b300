import typing

x: int
(y): int
z: typing.List[int] = []
obj = type("O", (), {})()
obj.attr: int
d = {}
d["k"]: int


class C:
    a: int
    (b): int
    c: int = 1


def f(self, d):
    a: int
    (b): int
    self.c: int
    d["k"]: int
    e: int = 1
    return e
