async def go():
    async with x:
        pass
