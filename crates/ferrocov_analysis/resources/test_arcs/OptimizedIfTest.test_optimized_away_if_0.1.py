a = 1
if len([2]):
    c = 3
if 0:
    if len([5]):
        d = 6
else:
    e = 8
f = 9
