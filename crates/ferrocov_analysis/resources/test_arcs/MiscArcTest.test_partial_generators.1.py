def f(a, b):
    c = (i for i in a)          # 2
    d = (j for j in b)          # 3
    e = (k for k in b)          # 4
    return dict(zip(c, d))

f(['a', 'b'], [1, 2, 3])
