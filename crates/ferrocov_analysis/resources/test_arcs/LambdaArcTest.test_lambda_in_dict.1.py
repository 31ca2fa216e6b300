x = 1
x = 2
d = {
    4: lambda: [],
    5: lambda: [],
    6: lambda: [],
    7: lambda: [],
}

for k, v in d.items():          # 10
    if k & 1:
        v()
