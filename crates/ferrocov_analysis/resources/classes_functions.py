import functools


def deco(f):
    return f


@deco
def decorated():
    return 1


@deco
@functools.lru_cache(
    maxsize=2,
)
def multi_deco(a,
               b=2,
               *args,
               c: int = 3,
               **kw) -> int:
    """Docstring
    of the function."""
    return a


class Plain:
    pass


class WithDoc:
    """Class docstring."""

    attr = 1
    ann: int
    ann2: int = 2

    def method(self):
        """Method doc."""
        return self.attr

    @property
    def prop(self):
        return 1

    @staticmethod
    def st():
        pass

    class Inner:
        def deep(self):
            def local():
                return 1
            return local

        x = 2


@deco
class DecoratedClass(Plain, metaclass=type):
    def __init__(self):
        self.x: int = 1
        self.y: int

    async def am(self):
        await self.other()
        async with self.cm() as c:
            pass
        async for i in self.aiter():
            print(i)
        return [i async for i in self.aiter()]


async def coro():
    await coro()


def only_docstring():
    """Nothing else."""


def only_ellipsis(): ...


def sig_ellipsis(
    a: int,
) -> int: ...


def body_ellipsis():
    ...


def defaults(a=[1,
                2], b=lambda: 3):
    return a


def gen_in_default(a=(i for i in range(2))):
    return a
