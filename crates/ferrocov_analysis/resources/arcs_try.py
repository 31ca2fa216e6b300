"""Branch analysis: try/except/else/finally with return, break, continue and raise inside."""


def simple(f):
    try:
        f()
    except ValueError:
        return 1
    except (TypeError, KeyError) as e:
        raise RuntimeError() from e
    else:
        x = 2
    finally:
        y = 3
    return 4


def in_loop(fs):
    for f in fs:
        try:
            if f is None:
                continue
            if f == 1:
                break
            if f == 2:
                return f
            if f == 3:
                raise ValueError
        except ValueError:
            pass
        finally:
            print("done")
    return None


def only_finally(a):
    try:
        if a:
            raise KeyError
        return 1
    finally:
        print(a)


def nested(a):
    try:
        try:
            raise a
        except KeyError:
            raise
        finally:
            print(1)
    except Exception:
        return 2
    while a:
        try:
            a -= 1
        except Exception:
            break
        else:
            continue
    return 3


def raises_outside(a):
    if a:
        raise ValueError(a)
    return a


class K:
    try:
        import nothing_here
    except ImportError:
        nothing_here = None


try:
    import os
except ImportError:
    os = None
else:
    pass
finally:
    done = True
