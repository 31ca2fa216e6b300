def wrong_loop(x):
    if x:
        for i in [3, 33]:
            print(i+4)
    else:
        pass

wrong_loop(8)
