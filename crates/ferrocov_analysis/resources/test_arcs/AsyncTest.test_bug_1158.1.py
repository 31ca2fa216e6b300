import asyncio

async def async_gen():
    yield 4

async def async_test():
    global a
    a = 8
    async for i in async_gen():
        print(i + 10)
    else:
        a = 12

asyncio.run(async_test())
assert a == 12
