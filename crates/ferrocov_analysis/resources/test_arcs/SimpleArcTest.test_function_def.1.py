def foo():
    a = 2

foo()
