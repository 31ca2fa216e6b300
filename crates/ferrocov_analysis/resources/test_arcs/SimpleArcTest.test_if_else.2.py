if len([]) == 1:
    a = 2
else:
    a = 4
assert a == 4
