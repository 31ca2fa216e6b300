a = 1
if a:   #pragma: no branch
    b = 3
c = 4
if c:   # pragma NOBRANCH
    d = 6
e = 7
if e:#	pragma:	no branch
    f = 9
import typing
if typing.TYPE_CHECKING:    # only for mypy
    g = 12
else:
    h = 14
