x = 1
if x:
    y = (1,
         2)

z = 3  # pragma: no cover
