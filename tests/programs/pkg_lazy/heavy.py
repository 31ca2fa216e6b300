from pkg_lazy import LOADED

LOADED.append("heavy")


def compute(n):
    return sum(i * i for i in range(n))
