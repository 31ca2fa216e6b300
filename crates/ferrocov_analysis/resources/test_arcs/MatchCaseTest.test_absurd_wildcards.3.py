def absurd(x):
    match x:
        case (3 | 17 as y):
            print("not default")
        case 7: # 5
            print("also not default")
absurd(7)
