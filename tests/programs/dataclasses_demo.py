"""Dataclasses with defaults, factories, ordering and __post_init__."""
from dataclasses import asdict, dataclass, field, replace


@dataclass(order=True)
class Version:
    major: int
    minor: int = 0
    patch: int = 0

    def bump(self, part="patch"):
        if part == "major":
            return Version(self.major + 1)
        elif part == "minor":
            return Version(self.major, self.minor + 1)
        return replace(self, patch=self.patch + 1)


@dataclass(frozen=True)
class Point:
    x: float
    y: float

    def norm2(self):
        return self.x * self.x + self.y * self.y


@dataclass
class Inventory:
    name: str
    items: list = field(default_factory=list)
    total: int = field(init=False, default=0)

    def __post_init__(self):
        self.name = self.name.title()
        self.total = sum(qty for _, qty in self.items)


versions = [Version(1, 2, 3), Version(1, 0), Version(0, 9, 9)]
print(sorted(versions))
print(Version(1).bump("minor"), Version(1).bump())
p = Point(3, 4)
try:
    p.x = 10
except Exception as exc:  # FrozenInstanceError
    print("frozen:", type(exc).__name__)
print(p.norm2(), asdict(p))
inv = Inventory("tool shed", [("saw", 1), ("nail", 40)])
print(inv.name, inv.total, len(inv.items))
