a = 1
if len([]) == 0: a = 2
assert a == 2
