def t1():
    try:
        a = 1
    except ValueError:
        a = 2
    except (TypeError, KeyError) as e:
        a = e
    except:
        a = 3
    else:
        a = 4
    finally:
        a = 5
    return a


def t2():
    try:
        return 1
    finally:
        print("fin")


def t3():
    try:
        x = 1
    finally:
        pass
    return x


def t4():
    try:
        pass
    except Exception:
        pass


def t5():
    try:
        return 1
    except Exception:
        return 2
    print("dead")


def t6():
    with open("f") as f, open("g") as g:
        f.read()
    with (
        open("f") as f,
        open("g") as g,
    ):
        g.read()
    with open("x"):
        return 1


def t7():
    try:
        raise
    except Exception as e:
        raise ValueError from e


def t8(x):
    try:
        x()
    except ValueError:
        raise
    else:
        return 1
    finally:
        x = 2


def t9():
    for i in range(3):
        try:
            continue
        finally:
            print(i)
