def foo(x):
    if x:
        try:
            1/(x - 1)
        except ZeroDivisionError:
            pass
    return x        # 7

for i in range(3):  # 9
    foo(i)
