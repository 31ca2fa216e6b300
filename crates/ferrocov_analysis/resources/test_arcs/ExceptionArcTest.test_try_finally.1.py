a, c = 1, 1
try:
    a = 3
finally:
    c = 5
assert a == 3 and c == 5
