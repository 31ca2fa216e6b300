for value in [True, False]:
    if value:
        if __debug__:
            x = 4
    else:
        x = 6
