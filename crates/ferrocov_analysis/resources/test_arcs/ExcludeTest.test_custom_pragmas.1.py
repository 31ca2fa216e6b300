a = 1
while a:    # [only some]
    c = 3
    break
assert c == 5-2
