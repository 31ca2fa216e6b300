a = 3; b = 0
if 0:
    while a > 0:
        a -= 1
assert a == 3 and b == 0
