"""Exception groups and except* (Python 3.11+)."""


def collect(values):
    errors = []
    for v in values:
        try:
            if v < 0:
                raise ValueError(f"negative {v}")
            if v == 0:
                raise ZeroDivisionError("zero")
            if v > 100:
                raise OverflowError(f"huge {v}")
        except Exception as exc:
            errors.append(exc)
    if errors:
        raise ExceptionGroup("bad values", errors)
    return "all good"


def handle(values):
    try:
        return collect(values)
    except* ValueError as group:
        print("value errors:", [str(e) for e in group.exceptions])
    except* ZeroDivisionError as group:
        print("zero errors:", len(group.exceptions))
    return "handled"


print(handle([1, 2, 3]))
print(handle([-1, 0, 5, -7]))
try:
    handle([500, -2])
except* OverflowError as eg:
    print("escaped:", [str(e) for e in eg.exceptions])
eg = ExceptionGroup("outer", [KeyError("k"), ExceptionGroup("inner", [TypeError("t")])])
match, rest = eg.split(TypeError)
print(repr(match.exceptions[0].exceptions[0]), repr(rest.exceptions[0]))
note = ValueError("with note")
note.add_note("extra context")
print(note.__notes__)
