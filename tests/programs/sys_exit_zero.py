"""sys.exit(0) and raise SystemExit from inside nested calls."""
import sys


def level3(code):
    print("level3")
    if code is not None:
        sys.exit(code)


def level2(code):
    level3(code)
    print("level2 continues")


def level1():
    try:
        level2(None)
        level2(0)
    except SystemExit as exc:
        print("caught SystemExit", exc.code)
        raise


level1()
print("unreachable")
