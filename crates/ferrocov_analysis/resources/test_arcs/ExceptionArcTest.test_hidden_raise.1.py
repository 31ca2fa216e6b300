a, b = 1, 1
def oops(x):
    if x % 2:
        raise Exception("odd")
try:
    a = 6
    oops(1)
    a = 8
except:
    b = 10
assert a == 6 and b == 10
