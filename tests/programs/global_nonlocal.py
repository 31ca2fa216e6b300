"""global and nonlocal declarations."""

counter = 0
log = []


def bump(by=1):
    global counter
    counter += by
    return counter


def reset():
    global counter, log
    counter = 0
    log = ["reset"]


def outer():
    level = "outer"

    def middle():
        nonlocal level
        level = "middle"

        def inner():
            nonlocal level
            level += "+inner"
            return level
        return inner()
    middle()
    return level


def shadow():
    counter = "local"
    return counter


bump()
bump(5)
print(counter, shadow())
reset()
print(counter, log)
print(outer())
