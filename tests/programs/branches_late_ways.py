"""Branches whose second way comes late, after the first way has run many times and in other
calls. ferrocov stops watching some branch instructions early and sees their other way through
another event (the function's return, a line, another test on the same line): each case here
takes the first way for a long while, then the other way once, in a later call."""

import itertools


def endless():
    # The loop never runs out: closing the generator leaves through the yield.
    for n in itertools.count():
        yield n


def countdown(limit):
    # A generator's loop whose exit ends it; the first generator is dropped half-way.
    for value in range(limit, 0, -1):
        yield value


def drain(items):
    total = 0
    for item in items:
        total += item


def find(items, wanted):
    # The loop's exit and the `break` both end the function.
    for item in items:
        if item == wanted:
            break


def first_negative(items):
    for item in items:
        if item < 0:
            return item
    return None


def scan_down(values, lo):
    # Two tests on one line (`and`) jumping to the same line: the first one fails only late.
    j = len(values) - 1
    while j >= lo and values[j] > 0:
        j -= 1
    return j


def skip_none(items):
    kept = []
    for item in items:
        if item is None:
            continue
        kept.append(item)
    return kept


def main():
    gen = endless()
    print(sum(next(gen) for _ in range(500)))
    gen.close()

    first = countdown(1000)
    print(sum(itertools.islice(first, 600)))
    del first
    print(sum(countdown(3)))

    for _ in range(200):
        find(range(50), 10)
    find(range(5), 99)

    print(first_negative(range(300)), first_negative([3, -1, 2]))

    for size in range(2, 60):
        scan_down([0] + [1] * size, 0)
    print(scan_down([1, 1, 1], 0))

    print(len(skip_none(list(range(400)))), skip_none([None, 1]))

    drain(range(1000))
    print([c for word in ("ab", "cde") * 100 for c in word][-3:])


main()
