class Shape:
    """Classes with branchy methods, for the JSON regions."""

    kind = "base" if __name__ else "other"

    def area(self, w, h):
        if w < 0 or h < 0:
            raise ValueError("negative")
        return w * h

    class Inner:
        def check(self, flag):
            if flag:
                return 1
            return 0

    def unused(self, n):
        for i in range(n):
            if i:
                return i
        return None


def helper(x):
    def nested(y):
        if y:
            return y
        return 0
    return nested(x)


def area(n):
    return n


def area(n):  # noqa: F811 - a same-named function
    if n:
        return n
    return -1


def run():
    s = Shape()
    s.area(2, 3)
    Shape.Inner().check(True)
    helper(0)
    area(1)
