"""Starting measurement in this process, either as the owner of a run (`ferrocov run`,
`pytest --cov`) or as a process that a run started (the start-up hook, `ferrocov.pth`).

The owner publishes the run in two environment variables; every Python process started from it
(subprocesses, multiprocessing workers, exec'd programs, grandchildren) inherits them and
measures itself into the same shard directory from its first line. Forked children switch to a
shard of their own at once. Nothing here may make a program behave differently: no signal
handlers, no threads, no exceptions out of the start-up hook.
"""

from __future__ import annotations

import os
import sys

from ferrocov import _ferrocov

# The names live in Rust (`ferrocov_protocol`), with the version of the settings format.
RUN_DIR_VAR: str = _ferrocov.ENV["run_dir"]
CONFIG_VAR: str = _ferrocov.ENV["config"]
DISABLE_VAR: str = _ferrocov.ENV["disable"]
CONTEXT_VAR: str = _ferrocov.ENV["context"]
_SETTINGS_FORMAT: int = _ferrocov.FORMATS["run_settings"]

# The settings a child needs to measure as its owner does, handed over in CONFIG_VAR. Paths are
# already absolute: a child may run in another directory.
_SETTING_KEYS = (
    "cwd",
    "source_dirs",
    "source_specified",
    "include",
    "omit",
    "cover_pylib",
    "debug_trace",
    "branch",
    # The static context (`[run] context`).
    "context",
    # `[run] dynamic_context = test_function`: test functions start contexts of their own.
    "test_function",
)

_fork_hook_registered = False
_child_started = False
# The process that called `start_run`. A forked copy of it inherits its `atexit` handlers; a child
# that leaves through `sys.exit` must not end (combine) the run its parent is still running.
_owner_pid: int | None = None
# This process's static context: the prefix of every dynamic context's label.
_static_context = ""

# How long the end of a run waits for multiprocessing's helper processes to exit (seconds).
_HELPER_EXIT_TIMEOUT = 5.0


def start_plan(
    plan: _ferrocov.RunPlan, source_paths: list[str], *, test_function: bool | None = None
) -> None:
    """`start_run` for a planned run (`ferrocov run`, a pytest session): `source_paths` are the
    plan's `source` entries resolved to paths, plus its `source_dirs`. `test_function`: whether
    test functions start contexts (default: as `[run] dynamic_context` says)."""
    if test_function is None:
        test_function = wants_test_function(plan)
    start_run(
        plan.shard_dir,
        {
            "cwd": plan.cwd,
            "source_dirs": source_paths,
            "source_specified": bool(plan.source or plan.source_pkgs or plan.source_dirs),
            "include": plan.include,
            "omit": plan.omit,
            "cover_pylib": plan.cover_pylib,
            "debug_trace": "trace" in plan.debug,
            "branch": plan.branch,
            "context": plan.context or "",
            "test_function": test_function,
        },
    )
    if "sys" in plan.debug:
        # What measures this run, as coverage.py's `--debug=sys` names its core: on 3.10/3.11
        # also whether the frame gate is on, or why not.
        for key, value in _ferrocov.status().items():
            sys.stderr.write(f"ferrocov debug[sys]: {key}: {value}\n")


def wants_test_function(plan: _ferrocov.RunPlan) -> bool:
    """Whether the plan's `[run] dynamic_context` is `test_function`."""
    return (plan.dynamic_context or "").strip() == "test_function"


def start_run(shard_dir: str, settings: dict[str, object]) -> None:
    """Measure this process as the owner of a run writing shards into `shard_dir`, and publish
    the run so every process started from now on measures itself into it too."""
    import json

    if _ferrocov.status()["active"]:
        # Started by the hook as part of an outer run: this process now owns a run of its own.
        _ferrocov.stop()
    global _owner_pid
    # A context handed down by an outer run is not this run's.
    os.environ.pop(CONTEXT_VAR, None)
    published: dict[str, object] = {key: settings[key] for key in _SETTING_KEYS}
    published["format"] = _SETTINGS_FORMAT
    published["interpreter"] = {"key": _interpreter_key(), "dirs": _interpreter_dirs({})}
    _start(shard_dir, published)
    _owner_pid = os.getpid()
    os.environ[RUN_DIR_VAR] = shard_dir
    os.environ[CONFIG_VAR] = json.dumps(published)


def end_run(shard_dir: str) -> bool:
    """Stop measuring and stop publishing the run (processes started later are not part of it).

    Returns False, doing nothing, in a forked copy of the owner: only the owner ends the run.
    """
    if _owner_pid != os.getpid():
        return False
    _stop_multiprocessing_helpers()
    _ferrocov.stop()
    if os.environ.get(RUN_DIR_VAR) == shard_dir:
        os.environ.pop(RUN_DIR_VAR, None)
        os.environ.pop(CONFIG_VAR, None)
        os.environ.pop(CONTEXT_VAR, None)
    return True


def switch_context(dynamic: str) -> bool:
    """Measure what runs from now on under the dynamic context `dynamic` (`""`: none), prefixed
    with the run's static context as coverage.py labels it (`static|dynamic`). Processes started
    from now on start in it too. Returns False, doing nothing, when not measuring."""
    if dynamic and _static_context:
        label = f"{_static_context}|{dynamic}"
    else:
        label = dynamic or _static_context
    if not _ferrocov.switch_context(label):
        return False
    if label == _static_context:
        os.environ.pop(CONTEXT_VAR, None)
    else:
        os.environ[CONTEXT_VAR] = label
    return True


def _stop_multiprocessing_helpers() -> None:
    """multiprocessing's forkserver and resource tracker are measured children of this process
    that exit only when it has exited, after the run is combined: their shards would be left
    behind. Closing their "alive" pipe now (what happens at exit anyway) makes them exit first;
    the program has finished, and multiprocessing starts them again if it is used later.
    A helper kept alive by another process holding its pipe is waited for briefly, then left.

    Not on Windows: neither helper runs there, and `os.kill(pid, 0)` would send CTRL_C_EVENT."""
    if sys.platform == "win32":
        return
    import time

    deadline = time.monotonic() + _HELPER_EXIT_TIMEOUT
    # The forkserver first: it holds the resource tracker's pipe too.
    for module_name, attr, fd_attr, pid_attr in (
        ("multiprocessing.forkserver", "_forkserver", "_forkserver_alive_fd", "_forkserver_pid"),
        ("multiprocessing.resource_tracker", "_resource_tracker", "_fd", "_pid"),
    ):
        try:
            helper = getattr(sys.modules.get(module_name), attr, None)
            if helper is not None:
                _stop_helper(helper, fd_attr, pid_attr, deadline)
        except Exception:
            pass


def _stop_helper(helper: object, fd_attr: str, pid_attr: str, deadline: float) -> None:
    import time

    lock = getattr(helper, "_lock", None)
    if lock is None or not lock.acquire(False):
        return
    try:
        fd = getattr(helper, fd_attr, None)
        pid = getattr(helper, pid_attr, None)
        if fd is None or pid is None:
            return
        os.close(fd)
        setattr(helper, fd_attr, None)
        while True:
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                # Reaped elsewhere (SIGCHLD ignored, or a handler of the program's).
                done = pid if not _alive(pid) else 0
            if done or time.monotonic() >= deadline:
                break
            time.sleep(0.002)
        if not done:
            return
        setattr(helper, pid_attr, None)
        address = getattr(helper, "_forkserver_address", None)
        if address is not None:
            from multiprocessing import util

            helper._forkserver_address = None  # type: ignore[attr-defined]
            if not util.is_abstract_socket_namespace(address):
                try:
                    os.unlink(address)
                except OSError:
                    pass
    finally:
        lock.release()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def start_child() -> None:
    """The start-up hook: measure this process if it was started inside a run. Never raises;
    an absent or unusable run means this process is simply not measured."""
    global _child_started
    try:
        if _child_started or os.environ.get(DISABLE_VAR):
            return
        # First, so that a failure below is tried (and reported) once, however often the hook runs.
        _child_started = True
        shard_dir = os.environ.get(RUN_DIR_VAR)
        # A run directory that is gone means the run has ended: this process is an orphan.
        if not shard_dir or not os.path.isdir(shard_dir) or _ferrocov.status()["active"]:
            return
        # Not the json module: importing it (and `re`, `enum`, ...) would double this start-up.
        settings = _ferrocov.parse_json(os.environ.get(CONFIG_VAR) or "{}")
        if settings.get("format") != _SETTINGS_FORMAT:
            # Published by another ferrocov version: better unmeasured than misread.
            raise ValueError(
                f"the run's settings are in format {settings.get('format')!r}, "
                f"this ferrocov {_ferrocov.__version__} reads format {_SETTINGS_FORMAT}"
            )
        _start(shard_dir, settings)
        import atexit

        # Runs after the program's own exit handlers (registered later, run first).
        atexit.register(_end_child, os.getpid())
    except Exception as exc:
        # One line at most, whatever the exception says; stderr may be gone (None or closed).
        try:
            why = " ".join(f"{type(exc).__name__}: {exc}".split())
            sys.stderr.write(
                f"ferrocov: warning: this process (pid {os.getpid()}) is not measured: {why}\n"
            )
        except Exception:
            pass


def end_child() -> None:
    """Stop measuring in a process that is part of a run without owning it, before the owner
    combines (an xdist worker at the end of its test loop): its multiprocessing helpers are
    stopped too, so none of them still holds a shard when the owner combines."""
    _stop_multiprocessing_helpers()
    _ferrocov.stop()


def _end_child(pid: int) -> None:
    """At the normal exit of a measured child: its multiprocessing helpers would outlive it and
    could still be running (their shards in use) when the run's owner combines."""
    if os.getpid() == pid:
        _stop_multiprocessing_helpers()


def _interpreter_key() -> list[str]:
    """What the standard library, site-packages and user-site directories depend on."""
    return [
        sys.version,
        sys.prefix,
        sys.exec_prefix,
        sys.base_prefix,
        sys.base_exec_prefix,
        os.environ.get("PYTHONUSERBASE", ""),
        os.environ.get("HOME", ""),
        # Where the user site lives on Windows.
        os.environ.get("APPDATA", ""),
    ]


def _interpreter_dirs(settings: dict[str, object]) -> dict[str, list[str]]:
    """The interpreter's library directories, for file selection. Computing them is most of a
    child's start-up cost (sysconfig's schemes), so a child of the same interpreter in the same
    environment reuses its owner's, handed over in the run's settings."""
    known = settings.get("interpreter")
    if isinstance(known, dict) and known.get("key") == _interpreter_key():
        return known["dirs"]  # type: ignore[no-any-return]
    from ferrocov import selection

    return {
        "pylib_dirs": selection.pylib_dirs(),
        "third_party_dirs": selection.third_party_dirs(),
        "own_dirs": selection.own_dirs(),
    }


def _start(shard_dir: str, settings: dict[str, object]) -> None:
    global _fork_hook_registered, _static_context
    dirs = _interpreter_dirs(settings)
    _static_context = str(settings.get("context") or "")
    # A process started inside a run starts in the context of the process that started it.
    context = os.environ.get(CONTEXT_VAR) or _static_context
    # A process started inside a test's context stays in it: a test function it runs is a call
    # made while a test context runs, which starts no context of its own.
    test_function = bool(settings.get("test_function")) and context == _static_context
    _ferrocov.start(
        shard_dir,
        cwd=str(settings["cwd"]),
        source_dirs=list(settings["source_dirs"]),  # type: ignore[call-overload]
        source_specified=bool(settings["source_specified"]),
        include=list(settings["include"]),  # type: ignore[call-overload]
        omit=list(settings["omit"]),  # type: ignore[call-overload]
        cover_pylib=bool(settings["cover_pylib"]),
        pylib_dirs=dirs["pylib_dirs"],
        third_party_dirs=dirs["third_party_dirs"],
        own_dirs=dirs["own_dirs"],
        debug_trace=bool(settings.get("debug_trace", False)),
        branch=bool(settings.get("branch", False)),
        context=context,
        test_function=test_function,
    )
    if not _fork_hook_registered and hasattr(os, "register_at_fork"):
        # Registered once per process (hooks cannot be removed); a no-op while not measuring.
        os.register_at_fork(after_in_child=_ferrocov._after_fork_in_child)
        _fork_hook_registered = True
