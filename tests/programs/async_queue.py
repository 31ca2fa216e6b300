"""asyncio producer/consumer with Queue, Event, Lock and wait_for timeouts."""
import asyncio


async def producer(queue, n):
    for i in range(n):
        await queue.put(i)
    await queue.put(None)


async def consumer(queue, results, lock):
    while True:
        item = await queue.get()
        if item is None:
            queue.task_done()
            break
        async with lock:
            results.append(item * item)
        queue.task_done()


async def slow():
    await asyncio.sleep(10)
    return "too slow"


async def main():
    queue = asyncio.Queue(maxsize=2)
    results = []
    lock = asyncio.Lock()
    await asyncio.gather(producer(queue, 6), consumer(queue, results, lock))
    print(results)
    try:
        await asyncio.wait_for(slow(), timeout=0.01)
    except asyncio.TimeoutError:
        print("timed out")
    event = asyncio.Event()

    async def waiter():
        await event.wait()
        return "released"
    task = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    event.set()
    print(await task)


asyncio.run(main())
