def b(exc):
    try:
        while "no peephole".upper():
            raise Exception(exc)    # 4
    except Exception as e:
        if exc != 'expected':
            raise
        q = 8

b('expected')
try:
    b('unexpected')     # C
except:
    pass
