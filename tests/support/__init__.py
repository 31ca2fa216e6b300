"""Shared helpers for ferrocov's Python test suite.

Everything that starts a process, lays out a temporary project or reads a coverage data file lives
here, so the test modules only say what they check. Data files are always read through coverage.py's
own ``coverage.CoverageData`` API: a file ferrocov writes is only right if coverage.py can read it.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import coverage
import pytest

TESTS_DIR = Path(__file__).resolve().parent.parent
PROGRAMS_DIR = TESTS_DIR / "programs"
PY311 = sys.version_info >= (3, 11)

# Python 3.10/3.11 measure through a C trace function behind a frame gate, which
# FERROCOV_FRAME_GATE=off keeps off (plain tracing); 3.12+ has no gate.
HAS_FRAME_GATE = sys.version_info < (3, 12)
FRAME_GATE_OFF = {"FERROCOV_FRAME_GATE": "off"}

# Seconds a single child process may take before the test fails instead of hanging.
DEFAULT_TIMEOUT = 120.0

# Environment variables that would make a child process measure or write data somewhere else.
_ENV_PREFIXES_TO_DROP = ("COVERAGE_", "FERROCOV_")
_ENV_NAMES_TO_DROP = ("PYTHONSAFEPATH", "PYTHONSTARTUP", "PYTHONINSPECT")


@dataclass(frozen=True)
class Result:
    """What a finished child process left behind."""

    returncode: int
    stdout: str
    stderr: str

    def __iter__(self) -> Iterator[object]:
        return iter((self.returncode, self.stdout, self.stderr))

    def describe(self) -> str:
        return f"exit {self.returncode}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


# Set by .ci/run. In CI a test that cannot get its oracle (coverage.py, pytest-cov, a real
# package, a consumer tool, an interpreter) fails: a skipped comparison proves nothing.
IN_CI = bool(os.environ.get("FERROCOV_CI"))

MISSING_ORACLE = "oracle missing"


def missing_oracle(what: str) -> NoReturn:
    """Stop a test whose oracle could not be had: a skip outside CI, a failure in CI. Skip
    reasons start with MISSING_ORACLE, which the CI summary counts."""
    message = f"{MISSING_ORACLE}: {what}"
    if IN_CI:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def child_env(extra: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """The environment for a child process: ours, minus anything that redirects measurement.

    ``extra`` adds variables; a value of None removes one.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(_ENV_PREFIXES_TO_DROP) and key not in _ENV_NAMES_TO_DROP
    }
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    for key, value in (extra or {}).items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run(
    cmd: Sequence[str | os.PathLike[str]],
    cwd: str | os.PathLike[str],
    *,
    env: Mapping[str, str | None] | None = None,
    stdin: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Result:
    """Run ``cmd`` in ``cwd`` and return its exit code and decoded output."""
    proc = subprocess.run(
        [os.fspath(c) for c in cmd],
        cwd=cwd,
        env=child_env(env),
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        check=False,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def python_cmd(*args: str, interpreter: str = sys.executable) -> list[str]:
    return [interpreter, *args]


def ferrocov_cmd(*args: str, interpreter: str = sys.executable) -> list[str]:
    return [interpreter, "-m", "ferrocov", *args]


def coverage_cmd(*args: str, interpreter: str = sys.executable) -> list[str]:
    return [interpreter, "-m", "coverage", *args]


def program_names() -> list[str]:
    """Every corpus program, by file name."""
    return sorted(p.name for p in PROGRAMS_DIR.glob("*.py"))


def needs_py311(name: str) -> bool:
    return name.endswith("_py311.py")


def copy_program(name: str, dest: Path) -> Path:
    """Copy corpus program ``name`` and every helper package (``pkg_*``) into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for entry in PROGRAMS_DIR.iterdir():
        if entry.is_dir() and entry.name.startswith("pkg_"):
            shutil.copytree(entry, dest / entry.name, ignore=shutil.ignore_patterns("__pycache__"))
    target = dest / name
    shutil.copyfile(PROGRAMS_DIR / name, target)
    return target


def _relative_name(path: str, root: Path | None) -> str:
    real = os.path.realpath(path)
    if root is not None:
        real_root = os.path.realpath(root)
        if real == real_root or real.startswith(real_root + os.sep):
            return Path(os.path.relpath(real, real_root)).as_posix()
    return real


def executed_lines(
    data_file: str | os.PathLike[str], root: Path | None = None
) -> dict[str, list[int]]:
    """Executed lines per measured file, read with coverage.py's CoverageData.

    File names under ``root`` become relative POSIX paths so two runs in the same project compare
    equal; others stay absolute. Files measured with no executed line map to an empty list.
    """
    path = Path(data_file)
    assert path.is_file(), f"data file {path} does not exist"
    data = coverage.CoverageData(basename=os.fspath(path))
    data.read()
    result: dict[str, list[int]] = {}
    for measured in data.measured_files():
        name = _relative_name(measured, root)
        assert name not in result, f"{name} measured twice (as {measured})"
        result[name] = sorted(data.lines(measured) or [])
    return result


def split_debug(stderr: str, topic: str) -> tuple[dict[str, str], str]:
    """The ``ferrocov debug[<topic>]: key: value`` lines ``stderr`` starts with, as a dict, and
    the rest of ``stderr``."""
    prefix = f"ferrocov debug[{topic}]: "
    lines = stderr.splitlines(keepends=True)
    debug: dict[str, str] = {}
    while lines and lines[0].startswith(prefix):
        key, _, value = lines.pop(0)[len(prefix) :].rstrip("\n").partition(": ")
        debug[key] = value
    return debug, "".join(lines)


def data_has_arcs(data_file: str | os.PathLike[str]) -> bool:
    data = coverage.CoverageData(basename=os.fspath(data_file))
    data.read()
    return data.has_arcs()


def marked_lines(source: str | Path, tag: str) -> set[int]:
    """Line numbers of ``source`` (file or text) carrying the comment ``# mark: <tag>``."""
    text = source.read_text() if isinstance(source, Path) else source
    pattern = re.compile(rf"#\s*mark:\s*{re.escape(tag)}\b")
    return {n for n, line in enumerate(text.splitlines(), start=1) if pattern.search(line)}


class Project:
    """A throw-away project directory that commands run in."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def path(self, relpath: str) -> Path:
        return self.root / relpath

    def write(self, relpath: str, text: str) -> Path:
        """Write dedented ``text`` to ``relpath``, creating parent directories."""
        target = self.root / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"))
        return target

    def copy_program(self, name: str) -> Path:
        return copy_program(name, self.root)

    def run(self, cmd: Sequence[str], **kwargs: object) -> Result:
        return run(cmd, self.root, **kwargs)  # type: ignore[arg-type]

    # Each of these takes run()'s keyword arguments (env, stdin, timeout) and ``interpreter``.
    def python(self, *args: str, interpreter: str = sys.executable, **kwargs: object) -> Result:
        return self.run(python_cmd(*args, interpreter=interpreter), **kwargs)

    def ferrocov(self, *args: str, interpreter: str = sys.executable, **kwargs: object) -> Result:
        return self.run(ferrocov_cmd(*args, interpreter=interpreter), **kwargs)

    def coverage(self, *args: str, interpreter: str = sys.executable, **kwargs: object) -> Result:
        return self.run(coverage_cmd(*args, interpreter=interpreter), **kwargs)

    def lines(self, data_file: str = ".coverage") -> dict[str, list[int]]:
        return executed_lines(self.root / data_file, self.root)

    def files_matching(self, pattern: str) -> list[Path]:
        return sorted(self.root.glob(pattern))

    def shard_files(self, data_file: str = ".coverage") -> list[Path]:
        shard_dir = self.root / f"{data_file}-shards"
        return sorted(shard_dir.rglob("*.fcshard")) if shard_dir.is_dir() else []

    def parallel_files(self, data_file: str = ".coverage") -> list[Path]:
        return sorted(self.root.glob(f"{data_file}.*"))


def wait_for_line(proc: subprocess.Popen[bytes], marker: bytes, timeout: float) -> bytes:
    """Read ``proc``'s stdout until a line containing ``marker``; fail after ``timeout`` seconds."""
    import selectors

    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    seen = b""
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        while marker not in seen:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no {marker!r} within {timeout}s; got {seen!r}")
            if not sel.select(remaining):
                continue
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                raise AssertionError(
                    f"process ended (exit {proc.wait()}) before {marker!r}; got {seen!r}"
                )
            seen += chunk
    return seen


def kill_group(proc: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> int:
    """Send ``sig`` to ``proc``'s whole process group and reap it; returns its exit status."""
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        pass
    return proc.wait(timeout=DEFAULT_TIMEOUT)
