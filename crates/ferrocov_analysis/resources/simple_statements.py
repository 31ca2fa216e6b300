"""Module docstring.

Spans lines.
"""
from __future__ import annotations

import os
import sys as system
from os import path, sep
from os.path import (
    join,
    dirname,
)

x = 1
y: int = 2
z: int
x += 1
a, b = 1, 2
a = b = 3
del a
assert x, "msg"
assert (
    x
)
print(x,
      y)
"a string statement"
...
42
pass
x = [
    1,
    2,
]
s = """multi
line"""
t = ("implicit"
     "concat")
v = x if y else z if 0 else 1
w = \
    5
lam = lambda q: q + 1
lam2 = (lambda q:
        q * 2)
comp = [i for i in range(3) if i]
setc = {i for i in range(3)}
dictc = {i: i for i in range(3)}
gen = (i
       for i in range(3))
nested = [[j for j in range(i)] for i in range(3)]
walrus = (n := 10)
fs = f"{x!r:>{y}} and {z}"
sl = system.argv[1:2]
star = [*sl, *sl]
ds = {**{}, "a": 1}
ch = 1 < x < 3
