a, b = 1, 1
def oops(x):
    if x % 2:
        raise ValueError("odd")
def try_it(x):
    try:
        a = 7
        oops(x)
        a = 9
    except ValueError:
        b = 11
    return a
assert try_it(0) == 9   # C
assert try_it(1) == 7   # D
