"""Async generators, async with, async for and async comprehensions."""
import asyncio


class Resource:
    def __init__(self, name):
        self.name = name
        self.log = []

    async def __aenter__(self):
        await asyncio.sleep(0)
        self.log.append("open")
        return self

    async def __aexit__(self, exc_type, exc, tb):
        self.log.append("close" if exc_type is None else f"close-after-{exc_type.__name__}")
        return exc_type is KeyError


class Ticker:
    def __init__(self, limit):
        self.limit = limit
        self.i = 0

    def __aiter__(self):
        return self

    async def __anext__(self):
        if self.i >= self.limit:
            raise StopAsyncIteration
        self.i += 1
        await asyncio.sleep(0)
        return self.i


async def agen(n):
    for i in range(n):
        await asyncio.sleep(0)
        yield i * 10


async def main():
    async with Resource("db") as r:
        r.log.append("use")
    async with Resource("cache") as r2:
        raise KeyError("swallowed")
    print(r.log, r2.log)
    total = 0
    async for tick in Ticker(4):
        total += tick
    print("ticks", total)
    values = [v async for v in agen(5) if v != 20]
    print(values)
    doubled = {v: v * 2 async for v in agen(3)}
    print(doubled)
    g = agen(10)
    print(await g.__anext__(), await g.__anext__())
    await g.aclose()


asyncio.run(main())
