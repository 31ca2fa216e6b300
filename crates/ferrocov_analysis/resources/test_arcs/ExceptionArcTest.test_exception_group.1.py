a = 1
try:
    raise ExceptionGroup("Zero!", [ZeroDivisionError()])
except* ValueError:
    a = 5
    b = 6/0
except* ZeroDivisionError:
    a = 8
    b = 9
except* Exception:
    a = 11
    b = 12/0
assert a == 8
assert b == 9
