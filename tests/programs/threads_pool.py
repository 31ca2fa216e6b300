"""concurrent.futures.ThreadPoolExecutor: map, submit and exceptions."""
from concurrent.futures import ThreadPoolExecutor, as_completed


def cube(n):
    return n ** 3


def maybe_fail(n):
    if n == 3:
        raise ValueError(f"bad {n}")
    return n * 10


def collatz_steps(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


with ThreadPoolExecutor(max_workers=3) as pool:
    print(list(pool.map(cube, range(6))))
    futures = {pool.submit(maybe_fail, i): i for i in range(5)}
    results = {}
    for fut in as_completed(futures):
        key = futures[fut]
        try:
            results[key] = fut.result()
        except ValueError as exc:
            results[key] = str(exc)
    print(sorted(results.items()))
    steps = list(pool.map(collatz_steps, [6, 7, 27]))
print(steps)
