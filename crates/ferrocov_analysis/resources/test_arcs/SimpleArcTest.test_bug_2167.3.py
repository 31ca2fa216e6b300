class A: ...
if len([]) == 0:
    x = 1
print(x)
