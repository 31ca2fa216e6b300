def f(a):
    if a:
        return 1
    elif a > 2:
        return 2
    else:
        return 3


def g(a):
    for i in range(a):
        if i:
            continue
        else:
            break
    else:
        a = 1
    while a:
        a -= 1
    else:
        a = 2
    return a


def h(a):
    while True:
        if a:
            break
    while 1:
        return a
    x = 1
    return x


def unreachable(a):
    return a
    x = 1
    print(x)


def after_raise():
    raise ValueError("x")
    print("never")


def both_branches(a):
    if a:
        return 1
    else:
        raise ValueError
    print("dead")


def loop_control(a):
    for i in a:
        continue
        print("dead")
    for i in a:
        break
        print("dead")
    return 1


def const_if():
    if 0:
        print("dead0")
    if False:
        print("deadF")
    else:
        print("live")
    if True:
        print("live2")
    else:
        print("deadT")
    if __debug__:
        print("debug")
    if not __debug__:
        print("nodebug")
    while 0:
        print("deadw")
    while False:
        print("deadwF")
    return 1


def if_pass(a):
    if a:
        pass
    else:
        pass
    for _ in a:
        pass
    return None


def glob():
    global GG
    GG = 1

    def inner():
        nonlocal_var = 1

        def inner2():
            nonlocal nonlocal_var
            nonlocal_var = 2
        return inner2
    return inner


def empty_return():
    return


def yields():
    yield 1
    yield from range(3)
    x = yield
    return x


if __name__ == "__main__":
    f(1)
