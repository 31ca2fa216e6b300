def g(n):
    if n:
        a = 1
    else:
        b = 2
    c = 3
    if n > 10:
        d = 4
        e = 5
        f = 6

        h = 7
    return n  # a trailing comment


def never():
    x = 1
    y = 2
    return x + y
