# On 3.10 and 3.11 the compiler drops unreachable code but keeps the code objects it made for
# it in co_consts unless they are the last constants, so their lines count as statements there.
if True:
    x = 1
else:
    class Dead:
        y = 2


def f():
    return 3
