def run():
    for i in range(10):
        yield lambda: i

for f in run():
    print(f())
