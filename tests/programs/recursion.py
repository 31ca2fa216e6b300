"""Recursive and mutually recursive functions."""
import sys


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def hanoi(n, src, dst, via, moves):
    if n == 0:
        return moves
    hanoi(n - 1, src, via, dst, moves)
    moves.append((src, dst))
    hanoi(n - 1, via, dst, src, moves)
    return moves


def is_even(n):
    return True if n == 0 else is_odd(n - 1)


def is_odd(n):
    return False if n == 0 else is_even(n - 1)


def depth(tree):
    if not isinstance(tree, (list, tuple)):
        return 0
    return 1 + max((depth(t) for t in tree), default=0)


def permutations(items):
    if len(items) <= 1:
        yield list(items)
        return
    for i, head in enumerate(items):
        for tail in permutations(items[:i] + items[i + 1:]):
            yield [head, *tail]


sys.setrecursionlimit(max(sys.getrecursionlimit(), 2000))
print(fib(15))
print(len(hanoi(6, "A", "C", "B", [])))
print(is_even(40), is_odd(7))
print(depth([1, [2, [3, []]], (4,)]))
print(["".join(p) for p in permutations("abc")])
