def f(a):
    if a:
        x = 1
    elif a > 1:  # pragma: no cover
        x = 2
        y = 3
    else:
        x = 4
    # pragma: no cover
    return x


def g(a):
    try:  # pragma: no cover
        a()
    except ValueError:
        pass
    with a:  # pragma: no cover
        a = 1
        b = 2
    return a


class M:
    @staticmethod  # pragma: no cover
    def s():
        return 1

    def t(self):
        return 2


class One: pass  # pragma: no cover


def h(a):
    match a:
        case 1:
            return 1
        case _:  # pragma: no cover
            return 2


def k(a):
    match a:
        case 1:
            return 1
        case _:
            return 2  # pragma: no cover


def lam():
    f = lambda: 0  # pragma: no cover
    return f


def outer():  # pragma: no cover
    def inner():
        return 1
    return inner


if True:
    pass
else:  # pragma: no cover
    pass


@decorator(
    1,  # pragma: no cover
)
def deco_multi():
    return 1


def sig(
    a,  # pragma: no cover
):
    return a


x = 1
if x:  # pragma: no cover
    pass
elif x:
    pass
