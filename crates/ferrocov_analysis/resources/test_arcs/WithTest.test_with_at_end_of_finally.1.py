import contextlib
def f():
    try:
        return 4
    finally:
        with contextlib.nullcontext():
            print(7)
f()
