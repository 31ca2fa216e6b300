for i in range(3):
    for j in range(3):
        a = i + j
assert a == 4
