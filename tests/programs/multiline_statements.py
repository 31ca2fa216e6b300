"""Statements spanning several lines: calls, literals, continuations, conditions."""


def combine(a, b, c=0, *, scale=1, label="x"):
    return f"{label}:{(a + b + c) * scale}"


result = combine(
    1,
    2,
    c=3,
    scale=2,
    label="sum",
)
print(result)
config = {
    "name": "demo",
    "sizes": [
        1,
        2,
        3,
    ],
    "nested": {"deep": {"deeper": True}},
}
print(config["nested"]["deep"], len(config["sizes"]))
total = 1 + \
    2 + \
    3
print(total)
text = "one " \
    "two " \
    "three"
print(text)
long_message = ("implicit "
                "concatenation "
                "across lines")
print(long_message)
x, y, z = 5, 10, 15
if (x < y
        and y < z
        and z > 0):
    print("ordered")
if x > y or \
        y > z:
    print("not reached")
else:
    print("else branch")
in_range = 0 < x < y < z <= 15
print(in_range)
values = [n
          for n in range(10)
          if n % 3 == 0]
print(values)
triple = """first line
second line
third"""
print(triple.count("\n"))
assert (
    total == 6
), "total mismatch"
print(combine(*(1, 2), **{"label": "kw"}))
