def func(x):
    a = f = g = 2
    try:
        for i in range(4):
            try:
                b = 6
            except ZeroDivisionError:
                pass
            else:
                if x == 'break':
                    a = 11
                    break
                elif x == 'continue':
                    a = 14
                    continue
                elif x == 'return':
                    a = 17                      # H
                    return a, f, g, i           # I
                elif x == 'raise':              # J
                    a = 20                      # K
                    raise ValueError()          # L
            finally:
                f = 23                          # N
    except ValueError:                          # O
        g = 25                                  # P
    return a, f, g, i                           # Q

assert func('break') == (11, 23, 2, 0)          # S
assert func('continue') == (14, 23, 2, 3)       # T
assert func('return') == (17, 2, 2, 0)          # U
assert func('raise') == (20, 23, 25, 0)         # V
assert func('other') == (2, 23, 2, 3)           # W 32
