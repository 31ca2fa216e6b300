import asyncio

async def compute(x, y):                        # 3
    print(f"Compute {x} + {y} ...")
    await asyncio.sleep(0.001)
    return x + y                                # 6

async def print_sum(x, y):                      # 8
    result = (0 +
                await compute(x, y)             # A
    )
    print(f"{x} + {y} = {result}")

loop = asyncio.new_event_loop()                 # E
loop.run_until_complete(print_sum(1, 2))
loop.close()                                    # G
