for i in range(10):
    a = i
    continue    # 3
    a = 99
assert a == 9   # 5
