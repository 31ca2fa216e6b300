o = ((1,2), (3,4))
o = {a:1 for a in o}
for tup in o:
    x = tup[0]
    y = tup[1]
