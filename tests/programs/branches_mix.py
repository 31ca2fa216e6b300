"""Every kind of branch coverage.py knows: each taken one way, both ways, or never."""

import asyncio


def loops(items):
    total = 0
    for item in items:
        if item < 0:
            continue
        if item > 100:
            break
        total += item
    else:
        total = -total
    n = 0
    while True:
        n += 1
        if n > 3:
            break
    while n:
        n -= 1
    for _ in []:
        pass
    return total


def early(x):
    if x is None:
        return "none"
    elif x == 0:
        return "zero"
    else:
        pass
    return "other" if x > 0 else "negative"


def tries(x):
    try:
        if x:
            raise ValueError(x)
        return 1
    except ValueError:
        return 2
    finally:
        if x == 5:
            print("five")


def matching(value):
    match value:
        case 0:
            return "zero"
        case [a, b]:
            return a + b
        case {"k": v}:
            return v
        case _:
            return None


def gen(n):
    i = 0
    while i < n:
        yield i
        i += 1


class Box:
    flag = True
    if flag:
        size = 1
    else:
        size = 2

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def decorate(f):
    def wrapper(*a):
        return f(*a)

    return wrapper


@decorate
def decorated(x):
    return x and x * 2


async def ticker(n):
    for i in range(n):
        yield i


class AsyncBox:
    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        return False


async def amain():
    got = []
    async with AsyncBox():
        async for t in ticker(3):
            if t == 1:
                continue
            got.append(t)
    async for t in ticker(5):
        if t > 2:
            break
    return got


print(loops([1, -2, 3]), loops([200]), loops([]))
print(early(None), early(0), early(4), early(-1))
print(tries(0), tries(5), tries(1))
print(matching(0), matching([1, 2]), matching({"k": 3}))
print(list(gen(3)), [x for x in range(6) if x % 2], {k: v for k, v in [(1, 2)] if v})
with Box() as b:
    print(b.size)
print(decorated(3), decorated(0), sorted([3, 1], key=lambda v: -v if v else 0))
print(asyncio.run(amain()))
