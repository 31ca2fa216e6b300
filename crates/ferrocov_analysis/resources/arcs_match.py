"""Branch analysis: match statements with and without an irrefutable last case."""


def m1(v):
    match v:
        case 1:
            return "one"
        case 2 | 3:
            return "few"
        case [x, y] if x > y:
            return "pair"
        case {"k": value}:
            return value
        case _:
            return "many"


def m2(v):
    match v:
        case (1 |
              2):
            r = 1
        case str() as s:
            r = s
    return r


def m3(v):
    match v:
        case int(n) | float(n):
            pass
        case other:
            v = other
    match v:
        case 1 | _:
            v = 0
    match v:
        case _ if v:
            v = 1
    return v


match m3(1):
    case 0:
        pass
    case x as y:
        pass
