def double_inputs():
    while len([1]):     # avoid compiler differences
        x = yield
        x *= 2
        yield x

gen = double_inputs()
next(gen)
print(gen.send(10))
next(gen)
print(gen.send(6))
