def wrap(f):        # 1
    return f

@wrap               # 4
async def go():
    return
