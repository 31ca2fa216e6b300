"""Loops, try, with, match, generators, comprehensions, pragmas."""
import contextlib


def loops(items):
    found = None
    for item in items:
        if item < 0:
            found = item
            break
    else:
        found = "none"
    count = 0
    while True:
        count += 1
        if count > 2:
            break
    while count < 0:
        count += 1
    return found, count


def tries(x):
    try:
        if x:
            return 1
    finally:
        x = None
    return 2


def withs(path):
    with contextlib.nullcontext(path) as p:
        if p:
            p = p.upper()
    return p


def matching(value):
    match value:
        case 1:
            return "one"
        case [a, b]:
            return a + b
        case {"k": v}:
            return v
        case _:
            return None


def gen(n):
    for i in range(n):
        if i % 2:
            yield i
    yield -1


def comprehensions(xs):
    evens = [x for x in xs if x % 2 == 0]
    pairs = {x: y for x in xs for y in xs if x != y}
    return evens, pairs


def pragmas(x):
    if x:  # pragma: no branch
        x += 1
    if x > 100:  # pragma: no cover
        x = 0
        print("never")
    for _ in range(0):  # pragma: no branch
        pass
    y = (x
         if x
         else 0)
    if (x and
            y):
        y += 1
    return y


def raises(x):
    try:
        if 1 / x:
            return 1
    except ZeroDivisionError:
        pass
    return 0


async def agen():
    yield 1


def nested_withs(items):
    total = 0
    with contextlib.nullcontext():
        with contextlib.nullcontext():
            for item in items:
                if item:
                    total += item
    for item in items:
        with contextlib.nullcontext():
            if item > 1:
                break
    with contextlib.nullcontext():
        if total:
            return total
    return -1


def run():
    loops([1, 2, -3])
    loops([])
    tries(1)
    withs("a")
    matching(1)
    matching([1, 2])
    list(gen(3))
    comprehensions([1, 2, 3])
    pragmas(1)
    raises(0)
    nested_withs([0, 2])
