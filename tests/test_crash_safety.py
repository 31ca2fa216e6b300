"""Lines executed before a process dies abruptly are not lost.

The measured program runs some distinctive code, prints a marker and then either sleeps (to be
SIGKILLed), calls os._exit, or segfaults. Nothing at exit can save data in these cases, so the lines
must come from the shards written while the program ran; `ferrocov combine` merges them.
"""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest
from support import Project, child_env, ferrocov_cmd, kill_group, marked_lines, wait_for_line

pytestmark = [
    pytest.mark.crash,
    pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and process groups"),
]

CRASH_PROG = """
import os
import sys
import time

import crashlib


def alpha():
    total = 0  # mark: before
    for i in range(3):
        total += i  # mark: before
    return total  # mark: before


class Beta:
    def gamma(self):
        return "gamma " + crashlib.helper_word()  # mark: before


def never_called():
    return "never"  # mark: never


print(alpha(), Beta().gamma())  # mark: before
mode = sys.argv[1]
if mode == "sleep":  # mark: before
    print("READY-MARKER", flush=True)  # mark: sleep
    time.sleep(60)  # killed here, maybe before this line is reached
elif mode == "os_exit":
    print("READY-MARKER", flush=True)  # mark: os_exit
    os._exit(0)  # mark: os_exit
elif mode == "segfault":
    import ctypes  # mark: segfault

    print("READY-MARKER", flush=True)  # mark: segfault
    ctypes.string_at(0)  # mark: segfault
print("after the crash point")  # mark: never
"""

CRASH_LIB = """
def helper_word():
    return "from crashlib"  # mark: lib


def helper_unused():
    return "unused"  # mark: never
"""


def _setup(project: Project) -> None:
    project.write("prog.py", CRASH_PROG)
    project.write("crashlib.py", CRASH_LIB)


def _assert_survivors(project: Project, mode: str) -> None:
    """Every line run before the process died is in the data: the common part ("before") and
    the lines of the branch that `mode` took, up to and including the one that killed it."""
    lines = project.lines()
    prog_lines = set(lines["prog.py"])
    lib_lines = set(lines["crashlib.py"])
    before = marked_lines(project.path("prog.py"), "before")
    before |= marked_lines(project.path("prog.py"), mode)
    assert before <= prog_lines, f"missing {sorted(before - prog_lines)}"
    assert marked_lines(project.path("crashlib.py"), "lib") <= lib_lines
    assert not marked_lines(project.path("prog.py"), "never") & prog_lines
    assert not marked_lines(project.path("crashlib.py"), "never") & lib_lines


def _combine(project: Project) -> None:
    combined = project.ferrocov("combine")
    assert combined.returncode == 0, combined.describe()


def _start(project: Project, *run_args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        ferrocov_cmd("run", *run_args),
        cwd=project.root,
        env=child_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _kill_after_marker(project: Project, *run_args: str) -> None:
    proc = _start(project, *run_args, "prog.py", "sleep")
    try:
        wait_for_line(proc, b"READY-MARKER", timeout=30)
    finally:
        status = kill_group(proc, signal.SIGKILL)
        assert proc.stdout is not None
        proc.stdout.close()
    assert status == -signal.SIGKILL


@pytest.mark.parametrize("attempt", range(20))
def test_sigkill_parallel_mode(project: Project, attempt: int) -> None:
    _setup(project)
    _kill_after_marker(project, "--parallel-mode")
    assert not project.path(".coverage").exists()
    _combine(project)
    _assert_survivors(project, "sleep")


def test_sigkill_plain_run(project: Project) -> None:
    _setup(project)
    _kill_after_marker(project)
    assert project.shard_files(), "a killed plain run leaves its shards behind"
    _combine(project)
    _assert_survivors(project, "sleep")
    assert project.shard_files() == []


def test_sigkill_with_custom_data_file(project: Project) -> None:
    _setup(project)
    _kill_after_marker(project, "--data-file=custom.data")
    assert project.shard_files("custom.data")
    combined = project.ferrocov("combine", "--data-file=custom.data")
    assert combined.returncode == 0, combined.describe()
    prog_lines = set(project.lines("custom.data")["prog.py"])
    expected = marked_lines(project.path("prog.py"), "before")
    expected |= marked_lines(project.path("prog.py"), "sleep")
    assert expected <= prog_lines


def test_os_exit_mid_program(project: Project) -> None:
    _setup(project)
    plain = project.python("prog.py", "os_exit")
    fc = project.ferrocov("run", "prog.py", "os_exit")
    assert fc.returncode == plain.returncode == 0
    assert fc.stdout == plain.stdout
    if project.shard_files():
        _combine(project)
    _assert_survivors(project, "os_exit")


def test_segfault_mid_program(project: Project) -> None:
    _setup(project)
    plain = project.python("prog.py", "segfault")
    assert plain.returncode == -signal.SIGSEGV
    fc = project.ferrocov("run", "prog.py", "segfault")
    assert fc.returncode == plain.returncode, fc.describe()
    assert "READY-MARKER" in fc.stdout
    _combine(project)
    _assert_survivors(project, "segfault")
