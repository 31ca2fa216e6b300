o = [(1,2), (3,4)]
for tup in [a for a in o]:
    x = tup[0]
    y = tup[1]
