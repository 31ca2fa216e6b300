from contextlib import nullcontext
def f(x):
    with nullcontext():
        print(4)
        if x == 5:
            raise Exception("Boo6")
    print(7)
try:
    f(9)
except Exception:
    print("oops 11")
