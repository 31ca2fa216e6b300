def gen(inp):
    for n in inp:
        yield n

list(gen([1,2,3]))
