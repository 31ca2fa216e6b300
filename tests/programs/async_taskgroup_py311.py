"""asyncio.TaskGroup and asyncio.timeout (Python 3.11+)."""
import asyncio


async def job(n):
    await asyncio.sleep(0.001 * n)
    if n == 99:
        raise RuntimeError("bad job")
    return n * 2


async def main():
    async with asyncio.TaskGroup() as tg:
        tasks = [tg.create_task(job(i)) for i in range(4)]
    print([t.result() for t in tasks])
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(job(1))
            tg.create_task(job(99))
    except* RuntimeError as eg:
        print("group failed:", [str(e) for e in eg.exceptions])
    try:
        async with asyncio.timeout(0.01):
            await asyncio.sleep(5)
    except TimeoutError:
        print("timeout hit")


asyncio.run(main())
