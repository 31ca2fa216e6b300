def foo(x):
    match x:
        case (
            1
            | 2
        ):
            return "output: 1 or 2"
        case _:
            return "output: other"

print(foo(1))
print(foo(2))
print(foo(3))
