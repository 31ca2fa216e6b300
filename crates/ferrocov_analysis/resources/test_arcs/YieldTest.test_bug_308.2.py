def run():
    yield lambda: 100
    for i in range(10):
        yield lambda: i

for f in run():
    print(f())
