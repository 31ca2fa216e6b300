import contextlib, itertools
nums = itertools.count()
with (
    contextlib.nullcontext() as x,
):
    while next(nums) < 6:
        y = 7
z = 8
