def fn(x):
    if x % 2: return True
    return False
a = fn(1)
assert a is True
