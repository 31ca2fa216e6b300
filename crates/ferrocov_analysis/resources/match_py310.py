def m(cmd):
    match cmd:
        case "go":
            return 1
        case ["move", x] if x > 0:
            return x
        case {"k": v, **rest}:
            return v
        case Point(x=0, y=yy) | Point(x=yy):
            return yy
        case [1, *others]:
            pass
        case str() | bytes() as s:
            return s
        case None | True:
            return 0
        case _:
            return -1


def m2(cmd):
    match cmd:
        case 1:
            return 1
        case other:  # pragma: no cover
            return other


def m3(cmd):
    match cmd:
        case 1:
            x = 1
        case _:
            pass
    return x


class Point:
    x = 0
    y = 0
