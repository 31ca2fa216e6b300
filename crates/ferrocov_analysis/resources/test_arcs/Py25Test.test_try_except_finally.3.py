a = 0; b = 0
try:
    a = 1
    raise Exception("foo")
except ImportError:
    a = 99
except:
    a = 123
finally:
    b = 2
assert a == 123 and b == 2
