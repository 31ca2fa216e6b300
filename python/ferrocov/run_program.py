"""`ferrocov run`: execute a program the way `python FILE` or `python -m MODULE` would, with
measurement on, and combine the run's data when the interpreter is about to exit.

The program must not be able to tell it is being measured: it gets its own `__main__` module, the
`sys.argv` and `sys.path[0]` Python would give it, its exit status, and tracebacks that do not
mention ferrocov.
"""

from __future__ import annotations

import atexit
import builtins
import importlib.machinery
import importlib.util
import os
import sys
import types

from ferrocov import _ferrocov, measure, selection

# Not `from typing import TYPE_CHECKING`: importing typing costs every run ~10 ms of start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

_OWN_DIR = os.path.dirname(os.path.abspath(__file__))


class _NoProgram(Exception):
    """The program named on the command line cannot be found or read."""


def run_plan(plan: _ferrocov.RunPlan) -> int:
    """Measure and run the program `plan` describes; return the exit status for the command."""
    cwd = os.getcwd()
    try:
        prepared = _prepare(plan, cwd)
    except _NoProgram as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    measure.start_plan(plan, prepared.source_paths)
    if prepared.unresolved:
        _resolve_on_import(plan, prepared)
    atexit.register(_finish, plan, prepared)
    try:
        prepared.execute()
    except SystemExit:
        raise
    except _NoProgram as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    except BaseException as exc:  # every error the program raises is its own to report
        _report_uncaught(exc)
        return 1
    return 0


class _Prepared:
    """The program ready to run, and the `source` entries resolved for it."""

    __slots__ = ("ended", "execute", "source_paths", "unresolved")

    def __init__(
        self, execute: Callable[[], None], source_paths: list[str], unresolved: list[str]
    ) -> None:
        self.execute = execute
        self.source_paths = source_paths
        self.unresolved = unresolved
        self.ended = False


def _prepare(plan: _ferrocov.RunPlan, cwd: str) -> _Prepared:
    """Set up `sys` as Python would for the program; `source` packages are resolved after that,
    because they may only be importable from the program's `sys.path[0]`."""
    if plan.target_kind == "module":
        sys.path[0:1] = [cwd]
        execute = _module_runner(plan.target, plan.args)
    else:
        execute = _script_runner(plan.target, plan.args)
    resolved = selection.resolve_source(plan.source, plan.source_pkgs, cwd)
    return _Prepared(execute, resolved.paths + list(plan.source_dirs), resolved.unresolved)


def _resolve_on_import(plan: _ferrocov.RunPlan, prepared: _Prepared) -> None:
    """coverage.py matches `source` and `source_pkgs` package names by module name as the code
    runs, so a package the program itself makes importable (extending `sys.path`) is measured.
    A name not found at start is looked up again when a module of its top-level name is first
    imported, and measuring restarts with its files before the module's code runs. An audit
    hook, not an import hook: the program sees nothing new in `sys.meta_path`."""
    tops = {name.partition(".")[0] for name in prepared.unresolved}
    owner = os.getpid()
    busy = False

    def on_import(event: str, args: tuple[object, ...]) -> None:
        nonlocal busy
        if event != "import" or busy or prepared.ended or not prepared.unresolved:
            return
        name = args[0]
        if not isinstance(name, str) or name.partition(".")[0] not in tops:
            return
        if os.getpid() != owner:  # a forked child: the run is not its to restart
            return
        busy = True
        try:
            resolved = selection.resolve_source([], prepared.unresolved, plan.cwd)
            if resolved.paths:
                prepared.source_paths += resolved.paths
                prepared.unresolved = resolved.unresolved
                measure.start_plan(plan, prepared.source_paths)
        except Exception:  # never let measuring break the program's import
            pass
        finally:
            busy = False

    sys.addaudithook(on_import)


def _finish(plan: _ferrocov.RunPlan, prepared: _Prepared) -> None:
    """Runs last at exit (registered before the program's own handlers): stop and combine.
    A forked child leaving through `sys.exit` runs this too; the run is not its to end."""
    prepared.ended = True
    if not measure.end_run(plan.shard_dir):
        return
    for name in prepared.unresolved:
        if name not in sys.modules and "module-not-imported" not in plan.disable_warnings:
            sys.stderr.write(
                f"ferrocov: warning: Module {name} was never imported. (module-not-imported)\n"
            )
    for diagnostic in _ferrocov.finish_run(plan, prepared.source_paths):
        sys.stderr.write(diagnostic.text)


def _fresh_main(**attrs: object) -> types.ModuleType:
    main = types.ModuleType("__main__")
    main.__dict__.update(attrs)
    main.__builtins__ = builtins  # type: ignore[attr-defined]
    sys.modules["__main__"] = main
    return main


def _script_runner(target: str, args: list[str]) -> Callable[[], None]:
    path = os.path.abspath(target)
    if os.path.isdir(path) or _is_zip(path):
        return _archive_runner(target, path, args)
    try:
        with open(path, "rb") as handle:
            source = handle.read()
    except OSError as exc:
        raise _NoProgram(
            f"{sys.executable}: can't open file {path!r}: [Errno {exc.errno}] {exc.strerror}"
        ) from None
    sys.argv = [target, *args]
    # Python puts the directory of the script's real path first (symlinks resolved), while
    # `__file__` keeps the path as named.
    sys.path[0:1] = [os.path.dirname(os.path.realpath(path))]

    def execute() -> None:
        code = compile(source, path, "exec", dont_inherit=True)
        loader = importlib.machinery.SourceFileLoader("__main__", path)
        main = _fresh_main(__file__=path, __loader__=loader, __spec__=None, __package__=None)
        exec(code, main.__dict__)

    return execute


def _is_zip(path: str) -> bool:
    # Python runs a zip archive given as the program whatever its name; a .py file is checked
    # for that only by its name, to keep zipfile's import out of every run's start-up.
    if path.endswith((".py", ".pyw")) or not os.path.isfile(path):
        return False
    import zipfile

    return zipfile.is_zipfile(path)


def _archive_runner(target: str, path: str, args: list[str]) -> Callable[[], None]:
    """A directory or zip file with a `__main__.py`, as `python DIR` runs it: the archive first
    on `sys.path`, its `__main__` module found there and run as `__main__`."""
    sys.argv = [target, *args]
    sys.path[0:1] = [path]

    def execute() -> None:
        # ferrocov's own `__main__` is in `sys.modules`: hide it while the archive's is found,
        # as Python's runpy does for `python DIR`.
        ours = sys.modules.pop("__main__", None)
        try:
            spec = importlib.util.find_spec("__main__")
        except (ImportError, ValueError):
            spec = None
        finally:
            if ours is not None:
                sys.modules["__main__"] = ours
        if spec is None or spec.loader is None:
            raise _NoProgram(f"{sys.executable}: can't find '__main__' module in {path!r}")
        code = spec.loader.get_code("__main__")  # type: ignore[attr-defined]
        if code is None:
            raise _NoProgram(f"{sys.executable}: No code object available for __main__")
        main = _fresh_main(
            __file__=spec.origin,
            __loader__=spec.loader,
            __spec__=spec,
            __package__="",
            __cached__=getattr(spec, "cached", None),
        )
        exec(code, main.__dict__)

    return execute


def _module_runner(name: str, args: list[str]) -> Callable[[], None]:
    """Like `python -m`: the module is looked up only once measurement is on, because finding
    `pkg.mod` imports `pkg`, and that import must be measured as Python would run it."""

    def execute() -> None:
        spec = _find_main_spec(name)
        origin = spec.origin or name
        sys.argv = [origin, *args]
        code = spec.loader.get_code(spec.name)  # type: ignore[union-attr]
        if code is None:
            raise _NoProgram(f"{sys.executable}: No code object available for {name}")
        main = _fresh_main(
            __file__=origin,
            __loader__=spec.loader,
            __spec__=spec,
            __package__=spec.parent,
            __cached__=getattr(spec, "cached", None),
        )
        exec(code, main.__dict__)

    return execute


def _find_main_spec(name: str) -> importlib.machinery.ModuleSpec:
    try:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations is not None:
            main_name = f"{name}.__main__"
            spec = importlib.util.find_spec(main_name)
            if spec is None:
                raise _NoProgram(
                    f"{sys.executable}: No module named {main_name}; "
                    f"'{name}' is a package and cannot be directly executed"
                )
    except ImportError as exc:
        raise _NoProgram(
            f"{sys.executable}: Error while finding module specification for {name!r} "
            f"({type(exc).__name__}: {exc})"
        ) from None
    if spec is None or spec.loader is None:
        raise _NoProgram(f"{sys.executable}: No module named {name}")
    return spec


def _report_uncaught(exc: BaseException) -> None:
    """Print the traceback Python would print, without ferrocov's own frames."""
    tb = exc.__traceback__
    while tb is not None and os.path.dirname(tb.tb_frame.f_code.co_filename) == _OWN_DIR:
        tb = tb.tb_next
    sys.excepthook(type(exc), exc.with_traceback(tb), tb)
