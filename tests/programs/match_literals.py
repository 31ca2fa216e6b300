"""match: literal, capture, wildcard, value, or-patterns and guards."""
import enum


class Color(enum.Enum):
    RED = 1
    GREEN = 2
    BLUE = 3


def describe(value):
    match value:
        case 0:
            return "zero"
        case 1 | 2 | 3:
            return "small"
        case "hello" | "hi":
            return "greeting"
        case True:
            return "unreachable-bool"
        case None:
            return "nothing"
        case Color.RED:
            return "red enum"
        case int(n) if n < 0:
            return f"negative {n}"
        case float() as f:
            return f"float {f}"
        case other:
            return f"other {other!r}"


def http_status(code):
    match code:
        case 200 | 201 | 204:
            kind = "success"
        case 301 | 302:
            kind = "redirect"
        case 404:
            kind = "not found"
        case _ if 500 <= code < 600:
            kind = "server error"
        case _:
            kind = "unknown"
    return kind


for v in (0, 2, "hi", None, Color.RED, Color.BLUE, -4, 2.5, "zzz"):
    print(repr(v), "->", describe(v))
print([http_status(c) for c in (200, 302, 404, 503, 999)])
