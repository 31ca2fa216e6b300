"""asyncio.run, gather, awaiting coroutines and sleeping."""
import asyncio


async def fetch(name, delay):
    await asyncio.sleep(delay)
    if name == "slow":
        await asyncio.sleep(0)
    return f"{name}:{delay}"


async def failing():
    await asyncio.sleep(0)
    raise RuntimeError("nope")


async def main():
    results = await asyncio.gather(fetch("a", 0.001), fetch("slow", 0.002), fetch("c", 0))
    print(results)
    try:
        await failing()
    except RuntimeError as exc:
        print("caught", exc)
    task = asyncio.ensure_future(fetch("task", 0))
    done = await asyncio.wait_for(task, timeout=5)
    print(done)
    outcomes = await asyncio.gather(failing(), fetch("ok", 0), return_exceptions=True)
    print([type(o).__name__ for o in outcomes])
    return len(results)


print("count", asyncio.run(main()))
