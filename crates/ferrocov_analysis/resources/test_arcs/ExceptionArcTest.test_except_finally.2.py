a, b, c = 1, 1, 1
def oops(x):
    if x % 2: raise Exception("odd")
try:
    a = 5
    oops(1)
    a = 7
except:
    b = 9
finally:
    c = 11
assert a == 5 and b == 9 and c == 11
