a, b = 1, 1
try:
    a = 3
except:
    b = 5
assert a == 3 and b == 1
