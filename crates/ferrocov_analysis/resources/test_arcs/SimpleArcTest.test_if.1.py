a = 1
if len([]) == 0:
    a = 3
assert a == 3
