d = {
    'a': 2,
    'b': 3,
    'c': {
        'd': 5,
        'e': 6,
        }
    }
assert d
