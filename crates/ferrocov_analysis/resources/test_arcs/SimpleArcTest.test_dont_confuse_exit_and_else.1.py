def foo():
    if foo:
        a = 3
    else:
        a = 5
    return a
assert foo() == 3 # 7
