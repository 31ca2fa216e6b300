"""Branches not taken, functions never called, early returns."""


def classify(n):
    if n < 0:
        return "negative"
    if n == 0:
        return "zero"
    if n > 1_000_000:
        return "huge"
    return "positive"


def find(items, target):
    for i, item in enumerate(items):
        if item == target:
            return i
    return -1


def never_called(a, b):
    total = a + b
    if total:
        return total
    return None


class Unused:
    def method(self):
        return "unused"


def validate(value):
    if not isinstance(value, int):
        raise TypeError("int required")
    if value > 10:
        print("big value")
    elif value > 5:
        print("medium value")
    return value


print([classify(v) for v in (-3, 0, 7)])
print(find("abcdef", "d"), find("abc", "z"))
print(validate(7))
debug = False
if debug:
    print("debugging")
    never_called(1, 2)
