a = 1
if 1:
    b = 3
    c = 4
d = 5
