import contextlib, itertools
nums = itertools.count()
with (
    contextlib.nullcontext() as x,
    contextlib.nullcontext() as y,
    contextlib.nullcontext() as z,
):
    while next(nums) < 8:
        y = 9
z = 10
