def if_ret(a):
    if a:
        return 3
    b = 4
    return 5
x = if_ret(0) + if_ret(1)
assert x == 8
