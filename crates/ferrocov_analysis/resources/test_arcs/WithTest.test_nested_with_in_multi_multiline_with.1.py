import contextlib
with (
    contextlib.nullcontext() as x,
    contextlib.nullcontext() as y,
):
    with contextlib.nullcontext():
        with contextlib.nullcontext():
            print(8)
print(9)
