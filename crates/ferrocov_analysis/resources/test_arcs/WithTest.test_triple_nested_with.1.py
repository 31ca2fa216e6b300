from contextlib import nullcontext
def f():
    with nullcontext():
        with nullcontext():
            with nullcontext():
                print(6)
f()
