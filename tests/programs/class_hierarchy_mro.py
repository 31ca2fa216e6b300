"""Multiple inheritance, MRO, cooperative super() and abstract base classes."""
import abc


class Base(abc.ABC):
    def __init__(self):
        self.trail = ["Base"]

    @abc.abstractmethod
    def kind(self):
        raise NotImplementedError

    def hello(self):
        return "base hello"


class Left(Base):
    def __init__(self):
        super().__init__()
        self.trail.append("Left")

    def hello(self):
        return "left+" + super().hello()


class Right(Base):
    def __init__(self):
        super().__init__()
        self.trail.append("Right")

    def hello(self):
        return "right+" + super().hello()


class Diamond(Left, Right):
    def __init__(self):
        super().__init__()
        self.trail.append("Diamond")

    def kind(self):
        return "diamond"


class Meta(type):
    def __new__(mcls, name, bases, ns):
        ns.setdefault("tag", name.lower())
        return super().__new__(mcls, name, bases, ns)


class Tagged(metaclass=Meta):
    pass


class SubTagged(Tagged):
    tag = "custom"


d = Diamond()
print(d.trail, d.hello(), d.kind())
print([c.__name__ for c in Diamond.__mro__])
try:
    Left()
except TypeError as exc:
    print("abstract:", "abstract" in str(exc))
print(Tagged.tag, SubTagged.tag, type(SubTagged).__name__)
