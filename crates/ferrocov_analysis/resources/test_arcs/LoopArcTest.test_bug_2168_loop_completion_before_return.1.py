def foo(*x):
    for i in x:
        if i:
            break
    pass

foo()
foo(0)
foo(1)
