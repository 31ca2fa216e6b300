import asyncio

async def async_range(number):
    for n in range(number):
        yield n

async def do_something(number):
    try:
        async for n in async_range(number):
            print(n)
    finally:
        print("Done.")

asyncio.run(do_something(3))
