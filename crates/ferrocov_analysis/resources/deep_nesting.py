class Outer:
    class Mid:
        def m(self):
            class InFunc:
                def im(self):
                    return 1

            def helper():
                def inner():
                    return 2
                return inner
            return InFunc, helper

    def o(self):
        x = [lambda: i for i in range(3)]
        return x


def top():
    if True:
        def in_if():
            return 1
    try:
        def in_try():
            return 2
    except Exception:
        def in_except():
            return 3
    with open("x"):
        class InWith:
            pass
    return in_if


async def agen():
    async with a() as b, c():
        yield b
    async for x in b:
        await x
    return
