import contextlib, itertools
nums = itertools.count()
with contextlib.nullcontext() as x, \
    contextlib.nullcontext() as y, \
    contextlib.nullcontext() as z:
    while next(nums) < 6:
        y = 7
z = 8
