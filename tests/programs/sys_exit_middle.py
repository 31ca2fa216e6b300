"""sys.exit with a non-zero code in the middle of the program."""
import sys


def cleanup_note():
    print("about to exit")


def after_exit():
    print("never printed")


values = [1, 2, 3]
print("sum", sum(values))
try:
    print("in try")
    if sum(values) == 6:
        cleanup_note()
        sys.exit(4)
    print("not reached")
finally:
    print("finally runs during SystemExit")
after_exit()
print("also not reached")
