def branches_2(l):
    if l:
        for e in l:
            a = 4
    else:
        a = 6

def branches_3(l):
    for x in l:
        if x:
            for e in l:
                a = 12
        else:
            a = 14

branches_2([0,1])
branches_3([0,1])
