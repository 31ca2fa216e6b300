a, i = 1, 0
while False:
    1/0
assert a == 1 and i == 0
