def absurd(x):
    match x:
        case 3:
            print("not default")
        case _ if x == 7: # 5
            print("also not default")
absurd(7)
