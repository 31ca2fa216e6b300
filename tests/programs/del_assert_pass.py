"""del, assert, pass, ellipsis bodies and docstrings."""


class Protocolish:
    """Only a docstring and ellipsis methods."""

    def method(self):
        ...

    def other(self):
        """Docstring only."""


class Empty:
    pass


def noop():
    pass


def stub(*args):
    ...


def documented(x):
    """Return x squared.

    The docstring spans several lines.
    """
    return x * x


values = {"a": 1, "b": 2, "c": 3}
del values["b"]
items = list(range(6))
del items[1:3]
temp = "gone soon"
del temp
assert "temp" not in globals(), "temp should be deleted"
assert documented(4) == 16
for i in range(3):
    if i == 1:
        pass
    else:
        ...
print(values, items, noop(), stub(1, 2), Protocolish().method())
print(documented.__doc__.splitlines()[0], Empty.__name__)
try:
    assert len(items) > 10, f"only {len(items)} items"
except AssertionError as exc:
    print("assertion:", exc)
