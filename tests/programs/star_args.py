"""*args, **kwargs, keyword-only, positional-only parameters, unpacking."""


def positional_only(a, b, /, c, *, d=4):
    return a + b + c + d


def collect(*args, **kwargs):
    return args, sorted(kwargs.items())


def forward(*args, **kwargs):
    return collect(*args, extra=True, **kwargs)


def defaults(x, y=(), *, z=None):
    y = list(y)
    y.append(x)
    return y, z


first, *middle, last = range(6)
print(first, middle, last)
head, *tail = "abc"
print(head, tail)
print(positional_only(1, 2, 3), positional_only(1, 2, c=3, d=0))
print(collect(1, 2, k=3))
print(forward(*[1, 2], **{"k": "v"}))
print(defaults(1), defaults(2, [0], z="zed"))
merged = {**{"a": 1}, **{"b": 2, "a": 3}}
print(merged, [*range(3), *"xy"])
try:
    positional_only(a=1, b=2, c=3)
except TypeError as exc:
    print("TypeError", "positional" in str(exc))
(a, b), c = (1, 2), 3
print(a + b + c)
