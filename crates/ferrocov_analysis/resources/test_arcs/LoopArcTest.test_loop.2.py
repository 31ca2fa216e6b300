a = -1
for i in range(0):
    a = i
assert a == -1
