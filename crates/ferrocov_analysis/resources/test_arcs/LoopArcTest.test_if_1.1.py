a = 1
if not not 1:
    a = 3
else:
    a = 5
assert a == 3
