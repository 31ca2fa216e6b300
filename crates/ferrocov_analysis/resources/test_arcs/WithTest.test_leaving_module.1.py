print(a := 1)
if a == 1:
    print(3)
