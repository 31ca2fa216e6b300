def gen(inp):
    for n in inp:
        yield (i * 2 for i in range(n))

list(gen([1,2,3]))
