a = 1
if len([]) == 1:
    a = 3
assert a == 1
