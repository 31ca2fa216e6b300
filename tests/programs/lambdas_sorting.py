"""Lambdas as sort keys, in map/filter, immediately invoked and multi-line."""

people = [("ann", 31), ("bob", 25), ("cy", 31), ("dee", 19)]
print(sorted(people, key=lambda p: (-p[1], p[0])))
print(list(map(lambda p: p[0].upper(), people)))
print(list(filter(lambda p: p[1] > 20, people)))
print((lambda a, b=2, *rest, **kw: (a, b, rest, sorted(kw)))(1, 3, 4, z=1))
ops = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "never": lambda a, b: a ** b ** 99,
}
print(ops["add"](2, 3), ops["sub"](2, 3))
print(list(map(
    lambda n:
    "even"
    if n % 2 == 0
    else "odd",
    range(3),
)))
adders = [lambda x, k=k: x + k for k in range(3)]
print([f(10) for f in adders])
print(max(people, key=lambda p: len(p[0])))
