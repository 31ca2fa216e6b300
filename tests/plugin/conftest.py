"""Fixtures for the pytest plugin's tests: pytester sessions run in their own process (measuring
is process-wide), on a small package whose lines are easy to tell apart."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import executed_lines

PACKAGE = {
    "pkg/__init__.py": "",
    "pkg/mod.py": """\
def covered(x):
    if x:
        return "yes"
    return "no"


def never():
    a = 1
    b = 2
    return a + b
""",
    "pkg/other.py": """\
VALUE = 1


def used():
    return VALUE
""",
}

TESTS = """\
import pkg.mod
import pkg.other


def test_covered():
    assert pkg.mod.covered(1) == "yes"


def test_other():
    assert pkg.other.used() == 1
"""


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A project with the package `pkg` (some lines never run) and tests for it."""
    for name, text in PACKAGE.items():
        path = pytester.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (pytester.path / "tests").mkdir()
    (pytester.path / "tests" / "test_pkg.py").write_text(TESTS)
    # The project's tests must not see this suite's xdist worker or an outer run.
    for var in (
        "FERROCOV_RUN_DIR",
        "FERROCOV_CONFIG",
        "FERROCOV_DISABLE",
        "COVERAGE_FILE",
        "COVERAGE_RCFILE",
        "PYTEST_ADDOPTS",
    ):
        monkeypatch.delenv(var, raising=False)
    return pytester


def run_ferrocov(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The `ferrocov` command line, in `cwd`."""
    return subprocess.run(
        [sys.executable, "-m", "ferrocov", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def run_coverage(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """coverage.py's own command line, reading ferrocov's data file."""
    return subprocess.run(
        [sys.executable, "-m", "coverage", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "COVERAGE_RCFILE": os.devnull},
    )


def measured_by_coverage_py(project: pytest.Pytester, *args: str) -> dict[str, list[int]]:
    """The lines coverage.py itself measures running the project's tests (``coverage run
    --source=pkg -m pytest ARGS`` with ferrocov's plugin blocked, into oracle.data): what a
    pytest-cov session measures, as both start before the test modules import ``pkg``."""
    data = project.path / "oracle.data"
    proc = subprocess.run(
        [
            *(sys.executable, "-m", "coverage", "run", f"--data-file={data}", "--source=pkg"),
            *("-m", "pytest", "-p", "no:ferrocov", "-p", "no:cacheprovider", "-q", *args),
        ],
        cwd=project.path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert data.is_file(), proc.stdout + proc.stderr
    lines = executed_lines(data, project.path)
    data.unlink()
    return lines


def json_files(path: Path) -> dict[str, dict[str, object]]:
    """A JSON report's per-file line results, without the parts that change between runs."""
    report = json.loads(path.read_text())
    return {
        name: {
            "executed_lines": data["executed_lines"],
            "missing_lines": data["missing_lines"],
            "summary": data["summary"],
        }
        for name, data in report["files"].items()
    }


def table(stdout: str) -> str:
    """The coverage table from a session's output: from the `Name` header to the TOTAL line."""
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Name "))
    end = next(i for i, line in enumerate(lines) if line.startswith("TOTAL"))
    return "\n".join(lines[start : end + 1]) + "\n"


def row(stdout: str, name: str) -> list[str]:
    """The cells of a file's row in a coverage table."""
    return next(line for line in stdout.splitlines() if line.startswith(f"{name} ")).split()
