if len([]) == 0:
    a = 2
else:
    a = 4
assert a == 2
