a, c, d, i = 1, 1, 1, 99
try:
    for i in range(3):
        try:
            a = 5
            if i > 0:
                break
            a = 8
        finally:
            c = 10
except:
    d = 12                              # C
assert a == 5 and c == 10 and d == 1    # D
