d = {
    'a': 2,
    'b': 3,
}
weird = {
    **d,
    **{'c': 7},
    'd': 8,
}
assert weird['b'] == 3
