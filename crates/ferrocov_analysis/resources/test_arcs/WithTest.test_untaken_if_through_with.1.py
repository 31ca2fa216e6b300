from contextlib import nullcontext
def f(x):
    with nullcontext():
        print(4)
        if x == 5:
            print(6)
    print(7)
f(8)
