from __future__ import annotations

x: int
(y): int
obj = type("O", (), {})()
obj.attr: int


def f(self):
    a: int
    (b): int
    self.c: int
    return 1
