a = 0; b = 0
try:
    a = 1
    raise Exception("foo")
except:
    a = 99
else:
    a = 123
finally:
    b = 2
assert a == 99 and b == 2
