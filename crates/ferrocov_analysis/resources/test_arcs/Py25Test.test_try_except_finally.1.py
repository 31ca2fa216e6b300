a = 0; b = 0
try:
    a = 1
except:
    a = 99
finally:
    b = 2
assert a == 1 and b == 2
