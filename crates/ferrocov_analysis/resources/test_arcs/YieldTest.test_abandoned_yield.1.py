def gen():
    print(2)
    yield 3
    print(4)

print(next(gen()))
