a, b = 1, 1
try:
    a = 3
    raise Exception("Yikes!")
    a = 5
except:
    b = 7
assert a == 3 and b == 7
