for i in range(10):
    a = i
    break       # 3
    a = 99
assert a == 0   # 5
