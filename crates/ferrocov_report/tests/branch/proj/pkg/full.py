def classify(x):
    if x:
        return "yes"
    return "no"


def run():
    for x in (0, 1):
        classify(x)
