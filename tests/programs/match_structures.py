"""match: sequence, mapping, class, star, as-patterns and nesting."""
from dataclasses import dataclass


@dataclass
class Point:
    x: int
    y: int


@dataclass
class Line:
    start: Point
    end: Point


def classify(obj):
    match obj:
        case []:
            return "empty list"
        case [x]:
            return f"singleton {x}"
        case [first, *middle, last] if not middle:
            return f"pair {first},{last}"
        case [first, *rest]:
            return f"starts {first} then {len(rest)}"
        case {"type": "user", "name": str(name), **extra}:
            return f"user {name} +{sorted(extra)}"
        case {"type": "group", "members": [*members]}:
            return f"group of {len(members)}"
        case Point(x=0, y=0):
            return "origin"
        case Point(x=0, y=yy) | Point(x=yy, y=0):
            return f"on axis at {yy}"
        case Point(x, y) if x == y:
            return "diagonal"
        case Line(start=Point(x=x1), end=Point(x=x2)) as ln if x1 == x2:
            return f"vertical {ln.start.y}->{ln.end.y}"
        case Line(Point() as a, Point() as b):
            return f"line {a.x},{a.y} to {b.x},{b.y}"
        case (int() | float()) as num:
            return f"number {num}"
        case str() as s if len(s) > 3:
            return "long string"
        case _:
            return "unmatched"


Point.__match_args__ = ("x", "y")
samples = [
    [], [7], [1, 2], [1, 2, 3, 4],
    {"type": "user", "name": "ann", "age": 3, "id": 9},
    {"type": "group", "members": ["a", "b"]},
    {"type": "user", "name": 5},
    Point(0, 0), Point(0, 5), Point(6, 0), Point(2, 2), Point(1, 9),
    Line(Point(1, 1), Point(1, 8)), Line(Point(1, 1), Point(2, 8)),
    3.5, "hello", "no", (1,),
]
for sample in samples:
    print(classify(sample))
