x, y = [0], [1]
if x == [2]:
    raise NotImplementedError   # NOCOVPLZ
if all(_ == __ for _, __ in zip(x, y)):
    raise NotImplementedError   # NOCOVPLZ
