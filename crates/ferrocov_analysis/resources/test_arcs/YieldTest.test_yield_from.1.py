def gen(inp):
    i = 2
    for n in inp:
        i = 4
        yield from range(3)
        i = 6
    i = 7

list(gen([1,2,3]))
