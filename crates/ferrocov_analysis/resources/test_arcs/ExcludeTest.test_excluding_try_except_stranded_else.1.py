a = 0
try:
    a = 1
    raise Exception("foo")
except:
    a = 99
else:              #pragma: NO COVER
    x = 2
assert a == 99
