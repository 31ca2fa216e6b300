"""Functions called from an if __name__ == "__main__" guard."""
import sys


def greet(name):
    return f"hello {name}"


def never_called():
    return "never"


def main(argv):
    names = argv or ["world"]
    for n in names:
        print(greet(n))
    return 0


if __name__ == "__main__":
    code = main(sys.argv[1:])
    print("exit code", code)
else:
    print("imported, not run")
