fn = (lambda x:
        x + 2
)
assert fn(4) == 6
