a = 0; b = 0
try:
    a = 1
    raise IOError("foo")
except ImportError:
    a = 99
except IOError:
    a = 17
except:
    a = 123
finally:
    b = 2
assert a == 17 and b == 2
