a, i = 1, 0
while 1:
    if i >= 3:
        a = 4
        break
    i += 1
assert a == 4 and i == 3
