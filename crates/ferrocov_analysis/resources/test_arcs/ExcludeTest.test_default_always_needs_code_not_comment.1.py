a = 1
if len([]):  # TODO: rewrite as "if True:" once this is fixed
    a = 3
b = 4
