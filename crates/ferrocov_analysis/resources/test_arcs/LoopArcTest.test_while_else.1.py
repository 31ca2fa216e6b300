def whileelse(seq):
    while seq:
        n = seq.pop()
        if n > 4:
            break
    else:
        n = 99
    return n
assert whileelse([1, 2]) == 99
