a = [1]
def check_token(data):
    if data:
        try:
            return 5
        finally:
            a.append(7)
    return 8
assert check_token(False) == 8
assert a == [1]
assert check_token(True) == 5
assert a == [1, 7]
