def func():
    if T(2):
        if T(3):
            if F(4):
                if X(5):
                    return 6
        else:
            return 8
    elif X(9) and Y:
        return 10

T, F = (lambda _: True), (lambda _: False)
func()
