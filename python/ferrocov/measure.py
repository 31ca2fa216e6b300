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

RUN_DIR_VAR = "FERROCOV_RUN_DIR"
CONFIG_VAR = "FERROCOV_CONFIG"
DISABLE_VAR = "FERROCOV_DISABLE"

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
)

_fork_hook_registered = False
_child_started = False


def start_run(shard_dir: str, settings: dict[str, object]) -> None:
    """Measure this process as the owner of a run writing shards into `shard_dir`, and publish
    the run so every process started from now on measures itself into it too."""
    import json

    if _ferrocov.status()["active"]:
        # Started by the hook as part of an outer run: this process now owns a run of its own.
        _ferrocov.stop()
    _start(shard_dir, settings)
    os.environ[RUN_DIR_VAR] = shard_dir
    os.environ[CONFIG_VAR] = json.dumps({key: settings[key] for key in _SETTING_KEYS})


def end_run(shard_dir: str) -> None:
    """Stop measuring and stop publishing the run (processes started later are not part of it)."""
    _ferrocov.stop()
    if os.environ.get(RUN_DIR_VAR) == shard_dir:
        os.environ.pop(RUN_DIR_VAR, None)
        os.environ.pop(CONFIG_VAR, None)


def start_child() -> None:
    """The start-up hook: measure this process if it was started inside a run. Never raises;
    an absent or unusable run means this process is simply not measured."""
    global _child_started
    try:
        if _child_started or os.environ.get(DISABLE_VAR):
            return
        shard_dir = os.environ.get(RUN_DIR_VAR)
        # A run directory that is gone means the run has ended: this process is an orphan.
        if not shard_dir or not os.path.isdir(shard_dir) or _ferrocov.status()["active"]:
            return
        import json

        settings = json.loads(os.environ.get(CONFIG_VAR) or "{}")
        _child_started = True
        _start(shard_dir, settings)
    except Exception as exc:
        try:
            sys.stderr.write(f"ferrocov: warning: this process is not measured: {exc}\n")
        except Exception:
            pass


def _start(shard_dir: str, settings: dict[str, object]) -> None:
    from ferrocov import selection

    global _fork_hook_registered
    _ferrocov.start(
        shard_dir,
        cwd=str(settings["cwd"]),
        source_dirs=list(settings["source_dirs"]),  # type: ignore[call-overload]
        source_specified=bool(settings["source_specified"]),
        include=list(settings["include"]),  # type: ignore[call-overload]
        omit=list(settings["omit"]),  # type: ignore[call-overload]
        cover_pylib=bool(settings["cover_pylib"]),
        pylib_dirs=selection.pylib_dirs(),
        third_party_dirs=selection.third_party_dirs(),
        own_dirs=selection.own_dirs(),
        debug_trace=bool(settings.get("debug_trace", False)),
    )
    if not _fork_hook_registered:
        # Registered once per process (hooks cannot be removed); a no-op while not measuring.
        os.register_at_fork(after_in_child=_ferrocov._after_fork_in_child)
        _fork_hook_registered = True
