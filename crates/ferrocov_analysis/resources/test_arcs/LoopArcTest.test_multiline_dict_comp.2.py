# comment
d = \
    {
    (i, j):
        str(i+j)
    for
        i
        in
        range(9)
    for
        j
        in
        range(13)
}
x = 15
