import asyncio

class AsyncIteratorWrapper:                 # 3
    def __init__(self, obj):                # 4
        self._it = iter(obj)

    def __aiter__(self):                    # 7
        return self

    async def __anext__(self):              # A
        try:
            return next(self._it)
        except StopIteration:
            raise StopAsyncIteration

async def doit():                           # G
    async for letter in AsyncIteratorWrapper("abc"):
        print(letter)
    print(".")

loop = asyncio.new_event_loop()             # L
loop.run_until_complete(doit())
loop.close()
