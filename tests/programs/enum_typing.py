"""enum, NamedTuple, TypedDict and Protocol usage."""
import enum
from typing import NamedTuple, Protocol, TypedDict


class Level(enum.IntEnum):
    LOW = 1
    MID = 2
    HIGH = 3


class Flag(enum.Flag):
    READ = enum.auto()
    WRITE = enum.auto()
    EXEC = enum.auto()


class Coord(NamedTuple):
    lat: float
    lon: float
    label: str | None = None

    def as_text(self):
        return f"{self.lat:.1f},{self.lon:.1f}"


class Movie(TypedDict):
    title: str
    year: int


class Greeter(Protocol):
    def greet(self) -> str:
        ...


class English:
    def greet(self) -> str:
        return "hello"


def welcome(g: Greeter) -> str:
    return g.greet().title()


print([lvl.name for lvl in Level if lvl >= Level.MID], Level(2))
perm = Flag.READ | Flag.WRITE
print(Flag.WRITE in perm, Flag.EXEC in perm)
c = Coord(51.5, -0.12)
print(c.as_text(), c._replace(label="London").label, c.label)
m: Movie = {"title": "Alien", "year": 1979}
print(m["title"], welcome(English()))
