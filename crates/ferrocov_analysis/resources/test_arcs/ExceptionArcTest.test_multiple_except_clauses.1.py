a, b, c = 1, 1, 1
try:
    a = 3
except ValueError:
    b = 5
except IndexError:
    a = 7
finally:
    c = 9
assert a == 3 and b == 1 and c == 9
