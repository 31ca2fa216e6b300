a, b, c, d, i = 1, 1, 1, 1, 99
try:
    for i in range(3):
        try:
            a = 5
            if i > 0:
                continue
            b = 8
        finally:
            c = 10
except:
    d = 12                              # C
assert (a, b, c, d) == (5, 8, 10, 1)    # D
