"""Closures capturing variables, nonlocal rebinding and late binding."""


def make_counter(start=0, step=1):
    count = start

    def increment():
        nonlocal count
        count += step
        return count

    def reset():
        nonlocal count
        count = start

    return increment, reset


def make_multipliers():
    return [lambda x, i=i: x * i for i in range(4)]


def compose(*funcs):
    def composed(value):
        for fn in reversed(funcs):
            value = fn(value)
        return value
    return composed


inc, reset = make_counter(10, 5)
print(inc(), inc(), inc())
reset()
print(inc())
print([m(3) for m in make_multipliers()])
pipeline = compose(str, abs, lambda v: v - 100)
print(repr(pipeline(42)))


def memo(fn):
    cache = {}

    def wrapper(n):
        if n not in cache:
            cache[n] = fn(n)
        return cache[n]
    wrapper.cache = cache
    return wrapper


@memo
def slow_square(n):
    return n * n


print(slow_square(9), slow_square(9), len(slow_square.cache))
