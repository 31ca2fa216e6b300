"""Branch analysis: decorators, classes, lambdas, comprehensions, generators, async, exclusions."""
import functools


@functools.lru_cache(
    maxsize=3,
)
@staticmethod
def decorated(a):
    return a


class C(
    object,
):
    x = [i for i in range(3) if i]

    @property
    def p(self):
        return lambda: self.x

    def gen(self):
        yield from self.x
        for i in self.x:
            yield i

    class Inner: pass


def one_line(a): return a


class Empty: ...


async def agen(ait):
    async for a in ait:
        if a:
            break
    else:
        return 1
    result = [b async for b in ait]
    return result


def excluded(a):
    if a:  # pragma: no cover
        return 1
    elif a is None:
        return 2
    if a == 3:
        return 3  # pragma: no cover
    while True:  # pragma: no branch
        a += 1
        if a > 5:  # pragma: no branch
            break
    return a


def not_excluded_comment(a):
    # if True: this comment mentions a constant test
    x = "while True: in a string"
    if a:
        return x
    return None


def multi_line_conditions(a, b):
    if (a and
            b):
        return 1
    while (a >
           b):
        a -= 1
    return {
        "a": a,
        "b": b,
    }


def no_body_exit():
    raise NotImplementedError


def generator_expression(items):
    return sum(x for x in items if x)


print(decorated(1), C().p(), one_line(2))
