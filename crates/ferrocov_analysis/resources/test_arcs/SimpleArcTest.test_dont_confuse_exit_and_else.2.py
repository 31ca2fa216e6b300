def foo():
    if foo:
        a = 3
    else:
        a = 5
foo() # 6
