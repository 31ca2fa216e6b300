def absurd(x):
    match x:
        case (3 | 99 | (999 | _)):
            print("default")
absurd(5)
