"""Functions in classes in functions, classes in functions, class-body scopes."""


def factory(prefix):
    class Named:
        label = prefix.upper()
        doubled = tuple(c * 2 for c in prefix)

        def __init__(self, n):
            self.n = n

        def show(self):
            def fmt(x):
                return f"{self.label}-{x}"
            return fmt(self.n)

    return Named


class Outer:
    value = 10

    class Inner:
        value = 20

        def get(self):
            return self.value

    def make(self):
        return self.Inner().get() + self.value


Cls = factory("ab")
print(Cls(3).show(), Cls.doubled)
print(Outer().make(), Outer.Inner.value)


def counter_table(n):
    rows = []
    for i in range(n):
        def cell(j, i=i):
            return i * j
        rows.append([cell(j) for j in range(n)])
    return rows


print(counter_table(3))
