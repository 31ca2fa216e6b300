"""Decorators with and without arguments, stacked, and class decorators."""
import functools

CALLS = []


def trace(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        CALLS.append(fn.__name__)
        return fn(*args, **kwargs)
    return wrapper


def repeat(times):
    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            result = None
            for _ in range(times):
                result = fn(*args, **kwargs)
            return result
        return wrapper
    return decorate


def register(registry):
    def decorate(cls):
        registry[cls.__name__.lower()] = cls
        return cls
    return decorate


def unused_decorator(fn):
    print("never applied")
    return fn


REGISTRY = {}


@trace
def add(a, b):
    return a + b


@repeat(3)
@trace
def shout(word):
    return word.upper() + "!"


@register(REGISTRY)
class Plugin:
    @staticmethod
    @trace
    def run():
        return "running"


@functools.cache
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


print(add(2, 3), shout("hey"), REGISTRY["plugin"].run())
print(CALLS)
print(fib(30), add.__name__, shout.__wrapped__.__name__)
