def func(x, y):
    for size in (x or ()) if y else ():
        print(size)

func([5], True)
