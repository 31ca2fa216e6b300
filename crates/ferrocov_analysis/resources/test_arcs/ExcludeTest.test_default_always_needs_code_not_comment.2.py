a = 1
while len([]):  # TODO: rewrite as "while True:" once this is fixed
    a = 3
else:
    a = 5
b = 6
