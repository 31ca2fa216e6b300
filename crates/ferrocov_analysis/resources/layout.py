a = 1; b = 2
if a: c = 3; d = 4
def one(): return 1
class K: pass
if (a and
        b):
    pass
if a \
        and b:
    e = 5
f = """
not a docstring
"""
g = f"""
{a}
"""
h = lambda: (
    1
)
i = [
    j
    for j in range(3)
    if j
]


def doc_not_first():
    x = 1
    """not a docstring"""
    return x


def fstring_doc():
    f"""not a docstring {1}"""
    return 1


def implicit_concat_doc():
    "a" "b"
    return 1


class OnlyDoc:
    """Just this."""


class DocAndPass:
    """Doc."""
    pass


def many_lines(
    a,
    b,
):
    return (a +
            b)
