for i in range(10):
    a = i
assert a == 9
