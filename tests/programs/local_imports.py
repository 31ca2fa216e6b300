"""Imports inside functions, importlib and conditional imports."""
import importlib
import sys


def use_heavy(n):
    from pkg_lazy import heavy
    return heavy.compute(n)


def maybe_optional(flag):
    if flag:
        import pkg_lazy.optional as opt
        return opt.describe()
    return "skipped"


def stdlib_inside():
    import json
    import textwrap as tw
    return json.dumps({"k": tw.shorten("a b c d e f g", width=9)})


def dynamic(name):
    module = importlib.import_module(name)
    return module.__name__


print(use_heavy(10), use_heavy(5))
print(maybe_optional(False))
print(stdlib_inside())
print(dynamic("pkg_lazy.heavy"))
import pkg_lazy  # noqa: E402  (deliberately late module-level import)

print(pkg_lazy.LOADED, "pkg_lazy.optional" in sys.modules)
