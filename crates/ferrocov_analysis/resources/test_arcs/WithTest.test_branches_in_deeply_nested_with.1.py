from contextlib import nullcontext
def f(x):
    with nullcontext():
        with nullcontext():
            if x:
                with nullcontext():
                    with nullcontext():
                        if x == 2:
                            print(9)
    print(10)
f(1)
f(0)
