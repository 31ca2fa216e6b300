a, c, d = 1, 1, 1
try:
    try:
        a = 4
        raise Exception("Yikes!")
        # line 6
    finally:
        c = 8
except:
    d = 10                              # A
assert a == 4 and c == 8 and d == 10    # B
