# comment
d = \
    {
    i:
        str(i)
    for
        i
        in
        range(9)
}
x = 11
