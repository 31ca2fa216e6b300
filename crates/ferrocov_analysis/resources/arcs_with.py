"""Branch analysis: with statements (3.12.6 changed where they exit), async with, nesting."""
import contextlib


def one(path):
    with open(path) as f:
        data = f.read()
    return data


def nested(a, b):
    with contextlib.suppress(Exception):
        with contextlib.suppress(Exception):
            x = a
        y = b
    return x, y


def many_items(a):
    with contextlib.suppress(KeyError), \
            contextlib.suppress(ValueError):
        a += 1
    with (
        contextlib.suppress(KeyError),
        contextlib.suppress(ValueError),
    ):
        a += 2
    return a


def in_loops(items):
    for i in items:
        with contextlib.suppress(Exception):
            if i:
                continue
            if i is None:
                break
            if i == 0:
                return i
    while items:
        with contextlib.nullcontext():
            items.pop()


def at_end(a):
    with contextlib.nullcontext():
        if a:
            a += 1


def returns_inside(a):
    with contextlib.nullcontext():
        return a


def same_line(a):
    with contextlib.nullcontext(): a += 1
    return a


def in_finally(a):
    try:
        return a
    finally:
        with contextlib.nullcontext():
            a = 2


async def agen(cm):
    async with cm as c:
        await c
    async with cm:
        async with cm:
            pass


with contextlib.nullcontext():
    with contextlib.nullcontext():
        pass
