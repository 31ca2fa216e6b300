def ouch(fn):
    2/0
a = b = c = d = 3
try:
    a = ouch(lambda: 5)
    if a:
        b = 7
except ZeroDivisionError:
    c = 9
d = 10
assert (a, b, c, d) == (3, 3, 9, 10)
