a, c, d = 1, 1, 1
try:
    try:
        a = 4
    finally:
        c = 6
except:
    d = 8
assert a == 4 and c == 6 and d == 1    # 9
