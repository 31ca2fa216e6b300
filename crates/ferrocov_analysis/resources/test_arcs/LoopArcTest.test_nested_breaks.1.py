for i in range(3):
    for j in range(3):
        a = i + j
        break               # 4
    if i == 2:
        break
assert a == 2 and i == 2    # 7
