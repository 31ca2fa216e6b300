def a(v):
    if 0 or 0:
        v()
    if False and v:
        v()
    if True or False:
        v()
    if v and False:
        v()
    if v or True:
        v()
    else:
        v()
    if 1 and 1:
        v()
    if 0 and v:
        v()
    if (0 or
            0):
        v()
    while False and v:
        v()
    return 1


def b(v):
    if 0 or 0: v()
    if 0: v()
    if not 1: v()
    x = 1
    if (1,):
        return
    v()


def c(v):
    match v:
        case 0 if False:
            x = 1
        case 1 if True:
            x = 2
        case _:
            x = 3
    del ()
    del [], ()
    del (x, ())
    return x


def d(v):
    match v:
        case _ if True:
            return 1
    v()
def a(v):
    if f"e":
        return 1
    v()


def b(v):
    if f"":
        v()
    return 2


def c(v):
    match v:
        case x if f"e":
            pass
        case []:
            pass


class WithAnnotate:
    def __annotate__(format):
        x = 1
        return {"a": x}

    def after(self):
        return 2
