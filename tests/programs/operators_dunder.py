"""Operator overloading and rich comparisons with functools.total_ordering."""
import functools


@functools.total_ordering
class Money:
    def __init__(self, cents):
        self.cents = cents

    def __add__(self, other):
        if isinstance(other, int):
            return Money(self.cents + other)
        return Money(self.cents + other.cents)

    __radd__ = __add__

    def __mul__(self, factor):
        return Money(round(self.cents * factor))

    def __neg__(self):
        return Money(-self.cents)

    def __eq__(self, other):
        return isinstance(other, Money) and self.cents == other.cents

    def __lt__(self, other):
        return self.cents < other.cents

    def __hash__(self):
        return hash(self.cents)

    def __bool__(self):
        return self.cents != 0

    def __repr__(self):
        sign = "-" if self.cents < 0 else ""
        return f"{sign}${abs(self.cents) // 100}.{abs(self.cents) % 100:02d}"


wallet = [Money(150), Money(99), Money(1000)]
print(sum(wallet), max(wallet), min(wallet))
print(Money(100) * 1.5, -Money(5), bool(Money(0)), Money(3) >= Money(3))
print(sorted(wallet), Money(1) == Money(1), Money(1) != Money(2))
print(len({Money(5), Money(5), Money(6)}))
