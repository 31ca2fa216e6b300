a = 1
if 0:
    if 0:
        b = 4
    else:
        c = 6
else:
    if 0:
        d = 9
    else:
        if 0: e = 11
        f = 12
        if 0: g = 13
        h = 14
i = 15
