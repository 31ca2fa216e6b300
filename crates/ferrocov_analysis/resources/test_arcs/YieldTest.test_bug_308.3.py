def run():
    yield lambda: 100  # no branch miss

for f in run():
    print(f())
