for i in range(5):
    try:
        j = 3
    finally:
        f = 5
    g = 6
h = 7
