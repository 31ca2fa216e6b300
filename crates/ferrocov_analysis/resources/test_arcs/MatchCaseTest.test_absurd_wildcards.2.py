def absurd(x):
    match x:
        case (3 | 99 | 999 as y):
            print("not default")
absurd(5)
