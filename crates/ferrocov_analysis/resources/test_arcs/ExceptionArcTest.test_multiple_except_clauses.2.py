a, b, c = 1, 1, 1
try:
    a = int("xyz")  # ValueError
except ValueError:
    b = 5
except IndexError:
    a = 7
finally:
    c = 9
assert a == 1 and b == 5 and c == 9
