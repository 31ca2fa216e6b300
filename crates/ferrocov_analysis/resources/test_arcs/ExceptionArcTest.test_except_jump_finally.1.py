def func(x):
    a = f = g = 2
    try:
        for i in range(4):
            try:
                6/0
            except ZeroDivisionError:
                if x == 'break':
                    a = 9
                    break
                elif x == 'continue':
                    a = 12
                    continue
                elif x == 'return':
                    a = 15                      # F
                    return a, f, g, i           # G
                elif x == 'raise':              # H
                    a = 18                      # I
                    raise ValueError()          # J
            finally:
                f = 21                          # L
    except ValueError:                          # M
        g = 23                                  # N
    return a, f, g, i                           # O

assert func('break') == (9, 21, 2, 0)           # Q
assert func('continue') == (12, 21, 2, 3)       # R
assert func('return') == (15, 2, 2, 0)          # S
assert func('raise') == (18, 21, 23, 0)         # T
assert func('other') == (2, 21, 2, 3)           # U 30
