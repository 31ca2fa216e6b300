from pkg_lazy import LOADED

LOADED.append("optional")


def describe():
    return "optional feature"
