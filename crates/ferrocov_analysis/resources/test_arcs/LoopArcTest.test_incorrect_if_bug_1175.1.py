def wrong_loop(x):
    if x:
        if x:
            print(4)
    else:
        pass

wrong_loop(8)
