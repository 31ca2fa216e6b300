a = 1
match a:
    case 1:
        b = 4
    case 2:
        b = 6           #pragma: NO COVER
    case _:
        b = 8           #pragma: NO COVER
assert b == 4
