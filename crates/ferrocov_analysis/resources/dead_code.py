import sys


def nested_break(v):
    while True:
        for i in v:
            break
    print("dead: break belongs to the for")


def else_break(v):
    while True:
        for i in v:
            pass
        else:
            break
    print("live: break in for-else leaves the while")


def while_else_return(v):
    while v:
        v -= 1
    else:
        return 1
    print("dead")


def try_else_dead(v):
    try:
        return 1
    except ValueError:
        pass
    else:
        print("dead else")
    return 2


def try_all_raise(v):
    try:
        v()
    except ValueError:
        raise
    except TypeError:
        raise RuntimeError
    print("live")


def finally_return(v):
    try:
        v()
    finally:
        return 1
    print("dead")


def guard_case(v):
    match v:
        case 1:
            return 1
        case _ if v:
            return 2
    print("live: guarded wildcard can fail")


def or_case(v):
    match v:
        case 1 | _:
            return 1
    print("dead: irrefutable or")


def with_raise(v):
    with v:
        raise ValueError
    print("live: the context manager may swallow")


def dead_nested():
    return 1

    def never():
        return 2

    class Never:
        x = 1


def if_chain(v):
    if 0:
        return 0
    elif v:
        return 1
    elif 1:
        return 2
    else:
        return 3
    print("dead")


def const_assert():
    assert 0, "never"
    print("dead")


def live_assert(v):
    assert v
    assert (0, "tuple is true")
    print("live")


def while_false_else():
    while 0:
        print("dead")
    else:
        print("live")
    print("live too")


def neg_const():
    if -1:
        return 1
    print("dead")


def str_const():
    if "x":
        return 1
    print("dead")


raise SystemExit(0)
print("dead module code")


def dead_module_def():
    return 1
