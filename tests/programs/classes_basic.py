"""Classes: inheritance, properties, classmethods and staticmethods."""


class Account:
    """A tiny bank account."""

    interest = 0.02
    _count = 0

    def __init__(self, owner, balance=0):
        self.owner = owner
        self._balance = balance
        Account._count += 1

    @property
    def balance(self):
        return self._balance

    @balance.setter
    def balance(self, value):
        if value < 0:
            raise ValueError("negative balance")
        self._balance = value

    @classmethod
    def opened(cls):
        return cls._count

    @staticmethod
    def fmt(amount):
        return f"{amount:.2f}"

    def deposit(self, amount):
        self.balance = self.balance + amount
        return self

    def __repr__(self):
        return f"{type(self).__name__}({self.owner!r}, {self.fmt(self.balance)})"


class Savings(Account):
    interest = 0.05

    def add_interest(self):
        self.deposit(self.balance * self.interest)
        return self.balance

    def __repr__(self):
        base = super().__repr__()
        return base + "*"


class Checking(Account):
    def withdraw(self, amount):
        try:
            self.balance = self.balance - amount
        except ValueError as exc:
            return f"refused: {exc}"
        return "ok"


a = Account("ann", 10).deposit(5)
s = Savings("bob", 100)
s.add_interest()
c = Checking("cy", 3)
print(a, s, c)
print(c.withdraw(1), c.withdraw(50))
print("opened", Account.opened(), Savings.opened())
print(isinstance(s, Account), issubclass(Checking, Savings))
