from contextlib import nullcontext
def f(x):
    with nullcontext():
        print(4)
        raise Exception("Boo6")
    print(6)
try:
    f(8)
except Exception:
    print("oops 10")
