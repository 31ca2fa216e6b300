"""Generators, yield from, generator expressions."""


def countdown(n):
    while n > 0:
        yield n
        n -= 1


def chain_all(*iterables):
    for it in iterables:
        yield from it


def flatten(tree):
    for node in tree:
        if isinstance(node, list):
            yield from flatten(node)
        else:
            yield node


def delegator():
    result = yield from inner()
    yield f"inner returned {result}"


def inner():
    yield "a"
    yield "b"
    return "done"


print(list(countdown(4)))
print(list(chain_all("ab", range(3), countdown(2))))
print(list(flatten([1, [2, [3, [4]], 5], [[6]]])))
print(list(delegator()))
squares = (x * x for x in range(10) if x % 3)
print(sum(squares))
gen = countdown(3)
print(next(gen), next(gen))
print(next(gen, None), next(gen, "exhausted"))
