def f(x:str, y:int) -> str:
    a:int = 2
    return f"{x}, {y}, {a}, 3"
print(f("x", 4))
