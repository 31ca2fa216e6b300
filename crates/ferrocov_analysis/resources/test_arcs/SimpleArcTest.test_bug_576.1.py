foo = True

if foo == True:
    foo = False
else:  # pragma: no cover
    pass

if foo == False:
    foo = True
else:  # pragma: no cover
    None

print("Done")
