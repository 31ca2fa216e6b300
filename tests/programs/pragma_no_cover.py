"""Lines marked '# pragma: no cover' that still execute, plus excluded blocks."""
import sys


def debug_dump(obj):  # pragma: no cover
    print("debug", obj)
    return repr(obj)


def compute(x):
    result = x * 2
    print("computing", x)  # pragma: no cover
    if result > 100:  # pragma: no cover
        result = 100
        print("clamped")
    return result


class Platform:
    def name(self):
        if sys.platform == "win32":  # pragma: no cover
            return "windows"
        return "posix-ish"


print(compute(3), compute(80))
print(Platform().name())
print(debug_dump([1, 2]))
if False:  # pragma: no cover
    print("never")
