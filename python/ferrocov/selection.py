"""Facts about this interpreter that decide which files are measured: where the standard library
and installed packages live, and where `source` packages are. Rust makes the decisions; only the
interpreter can answer these questions.
"""

from __future__ import annotations

import importlib.util
import os
import site
import sys
import sysconfig


class SourceResolution:
    """`source` entries turned into paths, plus the names that could not be found."""

    __slots__ = ("paths", "unresolved")

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.unresolved: list[str] = []


def _real(path: str) -> str:
    return os.path.realpath(os.path.abspath(path))


def pylib_dirs() -> list[str]:
    """Directories of the standard library (measured only with `cover_pylib`)."""
    found: set[str] = set()
    for key in ("stdlib", "platstdlib"):
        path = sysconfig.get_path(key)
        if path:
            found.add(_real(path))
    found.add(_real(os.path.dirname(os.__file__)))
    for prefix in {sys.base_prefix, sys.base_exec_prefix}:
        vars_ = {"base": prefix, "platbase": prefix, "installed_base": prefix}
        for key in ("stdlib", "platstdlib"):
            path = sysconfig.get_path(key, vars=vars_)
            if path:
                found.add(_real(path))
    return sorted(found)


def third_party_dirs() -> list[str]:
    """Directories where installed packages and their scripts live: never measured by default."""
    found: set[str] = set()
    prefixes = {sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix}
    for scheme in sysconfig.get_scheme_names():
        for prefix in prefixes:
            vars_ = {"base": prefix, "platbase": prefix, "installed_base": prefix}
            try:
                paths = sysconfig.get_paths(scheme, vars=vars_)
            except (KeyError, ValueError):
                continue
            for key in ("purelib", "platlib", "scripts"):
                if key in paths:
                    found.add(_real(paths[key]))
    try:
        found.update(_real(p) for p in site.getsitepackages())
    except AttributeError:
        pass
    try:
        user = site.getusersitepackages()
    except AttributeError:
        user = None
    if user:
        found.add(_real(user))
    return sorted(found)


def own_dirs() -> list[str]:
    """ferrocov's own package: never measured."""
    return [_real(os.path.dirname(__file__))]


def resolve_source(entries: list[str], packages: list[str], cwd: str) -> SourceResolution:
    """Turn `source` entries (directories or package names) and `source_pkgs` into paths."""
    result = SourceResolution()
    for entry in entries:
        candidate = os.path.join(cwd, entry)
        if os.path.isdir(candidate):
            result.paths.append(_real(candidate))
        else:
            _resolve_package(entry, result)
    for name in packages:
        _resolve_package(name, result)
    return result


def _resolve_package(name: str, result: SourceResolution) -> None:
    """Find a package's files without importing it: importing before measurement starts would
    run its top-level code unmeasured. Only the top-level name goes through the import system
    (`find_spec` of a top-level name imports nothing); submodules are looked up on disk."""
    top, _, rest = name.partition(".")
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError, AttributeError):
        spec = None
    if spec is None:
        result.unresolved.append(name)
        return
    if not rest:
        if spec.submodule_search_locations:
            result.paths.extend(_real(p) for p in spec.submodule_search_locations)
        elif spec.origin and os.path.exists(spec.origin):
            result.paths.append(_real(spec.origin))
        else:
            result.unresolved.append(name)
        return
    parts = rest.split(".")
    for location in spec.submodule_search_locations or ():
        candidate = os.path.join(location, *parts)
        if os.path.isdir(candidate):
            result.paths.append(_real(candidate))
            return
        if os.path.isfile(candidate + ".py"):
            result.paths.append(_real(candidate + ".py"))
            return
    result.unresolved.append(name)
