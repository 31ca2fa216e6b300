def run():
    a = 1
    b = 2
    return a + b


def unused():
    return 3
