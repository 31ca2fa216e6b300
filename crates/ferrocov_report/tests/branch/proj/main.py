"""A branchy program for ferrocov's branch report golden tests."""
import sys

from pkg import flow, full, shapes
from pkg.sub import nobranch


def pick(x):
    if x > 10:
        return "big"
    elif x > 5:
        return "medium"
    else:
        return "small"


def tail(flag):
    total = 0
    if flag:
        total += 1


def never_called(n):
    while n:
        n -= 1
    return n


if __name__ == "__main__":
    pick(20)
    pick(1)
    tail(False)
    flow.run()
    full.run()
    shapes.run()
    nobranch.run()
    if len(sys.argv) > 5:
        print("many args")
