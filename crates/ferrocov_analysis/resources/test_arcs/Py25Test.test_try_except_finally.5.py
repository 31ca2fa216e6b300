a = 0; b = 0
try:
    a = 1
except:
    a = 99
else:
    a = 123
finally:
    b = 2
assert a == 123 and b == 2
