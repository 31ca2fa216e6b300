l = [
    2,
    3,
]
weird = [
    *l,
    *[7],
    8,
]
assert weird[1] == 3
