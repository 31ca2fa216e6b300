lines = set()
for value in [True, False]:
    if value:
        if not __debug__:
            lines.add(5)
    else:
        lines.add(7)
assert lines == {7}
