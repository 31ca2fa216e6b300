# On 3.10 and 3.11 the compiler builds code objects for defs, classes, lambdas and
# comprehensions in unreachable code, drops the unreachable instructions, and then trims only the
# trailing unused constants. So a dead code object, and the lines coverage.py reads from it,
# survives when live code loads a constant first added after it. 3.12+ drop all of them.
if True:
    x = 1
else:
    class Dead:
        y = 2


def f():
    return 3


def after_return(v):
    if v:
        return 1

        def nested():
            def inner():
                return 2
            return inner

        class Cls:
            attr = 1

            def method(self):
                return self

        @staticmethod
        def decorated():
            "docstring only"

        async def coro():
            await v

        def gen():
            yield 1

        square = lambda n: (
            n * n
        )
        items = [
            i for i in v
        ]
        pairs = {i: i for i in v}
        unique = {i for i in v}
        lazy = (i for i in v)
        plain = 1
    return "kept: a constant first added after them is loaded"


def after_raise_trimmed(v):
    if v:
        raise ValueError("same")

        def never():
            return 1
    raise ValueError("same")


def trailing_trimmed():
    return 1

    def never():
        return 2

    class Never:
        x = 1


def after_continue_and_break(v):
    for i in v:
        if i:
            continue

            def skipped():
                pass
        if i > 2:
            break

            def broken():
                pass
        print("kept")


def while_true_then_code(v):
    while True:
        v()

    def unreachable():
        pass
    return "trimmed: this return is unreachable too"


def while_true_in_branch(v):
    if v:
        while True:
            v()
        square = lambda n: n * n
    return "kept"


def constant_tests(v):
    if False:
        def if_false():
            pass
    if 0:
        def if_zero():
            pass
    if not __debug__:
        def not_debug():
            pass
    if __debug__:
        pass
    else:
        def debug_else():
            pass
    while 0:
        def while_zero():
            pass
    if v and False:
        def and_false():
            pass
    if 1:
        pass
    elif v:
        def elif_dead():
            pass
    return "kept"


def assert_false(v):
    if v:
        assert False, "message"

        def after_assert():
            pass
    return "kept"


def reused_constants(v):
    x = "same"
    v(key=1)
    if v:
        return

        def trimmed():
            pass
        t = lambda: 0
    v(key=1)
    return "same"


def folded_defaults(v):
    # Kept: the optimizer appends the folded defaults tuple (1, 2) after every other constant.
    def live(a=1, b=2):
        return a
    if v:
        raise ValueError

        def kept_by_the_folded_default_tuple():
            pass
    return live


def folded_constants(v):
    # Trimmed: `3 - 4` folds to the -1 already in the table.
    x = -1
    if v:
        raise ValueError
        k = lambda: 0
    return 3 - 4


def new_tuple_from_list(v):
    # Kept: `in [1, 2]` loads the new constant (1, 2).
    if v:
        raise ValueError
        k = lambda: 0
    return v in [1, 2]


class ClassBody:
    # Kept: the class body's closing `return None` adds None after it.
    if 0:
        def dead(self):
            pass
    name = "ClassBody"


class WithClassCell:
    # Trimmed: a body with a `__class__` cell returns the cell, not None.
    def method(self):
        return super().method()

    if 0:
        def dead(self):
            pass


class WithoutClassCell:
    def method(self):
        return 1

    if 0:
        def dead(self):
            pass


# Trimmed: nothing after the endless loop is reachable, not even the closing `return None`.
if 0:
    def module_dead():
        pass

while 1:
    pass


def after_infinite_loop():
    pass
