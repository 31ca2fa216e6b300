"""Bodies written on their header's line: the line is where the nested code starts and ends and
also where the enclosing code goes on from, so it has more than one way out that no branch
instruction decides (coverage.py counts it as a branch line)."""


def twice():
    def inner(): return 2
    return inner() + inner()


def ends_with_one_liner(flag):
    if flag:
        def helper(): return "yes"
    else:
        def helper(): return "no"
    return helper()


class Holder:
    kind = "holder"
    def size(self): return len(self.kind)


class Empty: pass


class Pair:
    def first(self): return 1
    def second(self): return 2


def decorate(function):
    return function


@decorate
def decorated(): return "decorated"


def make_adder(step):
    return lambda value: value + step


def one_line_generator(): yield 1


def never_called(): return "never"


def recurse(n):
    if n == 0: return 0
    def step(): return 1
    return step() + recurse(n - 1)


def one_line_raise(): raise KeyError("one line")


def catch():
    try:
        one_line_raise()
    except KeyError: return "caught"


results = [
    twice(),
    ends_with_one_liner(True),
    Holder().size(),
    Empty.__name__,
    Pair().first(),
    decorated(),
    make_adder(3)(4),
    list(one_line_generator()),
    recurse(3),
    catch(),
]
print(results)
