up = iter('ta')
while True:
    char = next(up)
    if char == 't':
        continue
    i = "line 6"
    break
