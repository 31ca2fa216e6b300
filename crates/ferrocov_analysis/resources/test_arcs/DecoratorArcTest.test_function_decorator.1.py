def decorator(arg):
    def _dec(f):
        return f
    return _dec

@decorator(6)
@decorator(
    len([8]),
)
def my_function(
    a=len([11]),
):
    x = 13
a = 14
my_function()
