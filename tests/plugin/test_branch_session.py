"""`pytest --cov --cov-branch` against pytest-cov: both sessions' data files, read by coverage.py's
own reporter, give the same report (coverage.py computes the possible arcs; only the measured
arcs could differ). Also with xdist workers, which measure branches as the controller does."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PACKAGE, TESTS
from support.pytest_cov_env import pytest_cov_python

MORE = """\
def loop(items):
    total = 0
    for item in items:
        if item > 2:
            break
        total += item
    else:
        return -1
    return total
"""

MORE_TESTS = """\
import pkg.more


def test_loop():
    assert pkg.more.loop([1, 5]) == 1
"""


def _project(root: Path) -> Path:
    for name, text in {**PACKAGE, "pkg/more.py": MORE}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (root / "tests").mkdir()
    (root / "tests" / "test_pkg.py").write_text(TESTS)
    (root / "tests" / "test_more.py").write_text(MORE_TESTS)
    return root


def _session(python: str, root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COVERAGE_", "FERROCOV_"))}
    env["PYTHONPATH"] = str(root)
    return subprocess.run(
        [
            *(python, "-m", "pytest", "-p", "no:cacheprovider", "-q"),
            *("--cov=pkg", "--cov-branch", "--cov-report=", *args, "tests"),
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=300,
    )


def _report(root: Path, data_file: Path) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "coverage", "report", "-m", f"--data-file={data_file}"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "COVERAGE_RCFILE": os.devnull},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


@pytest.mark.parametrize("xdist", [False, True], ids=["serial", "xdist"])
def test_cov_branch_session_matches_pytest_cov(tmp_path: Path, xdist: bool) -> None:
    reference = pytest_cov_python()
    root = _project(tmp_path / "proj")
    extra = ("-n", "2") if xdist else ()
    fc = _session(sys.executable, root, *extra)
    assert fc.returncode == 0, fc.stdout + fc.stderr
    shutil.copyfile(root / ".coverage", tmp_path / "fc.data")
    (root / ".coverage").unlink()
    cov = _session(reference, root, *extra)
    assert cov.returncode == 0, cov.stdout + cov.stderr
    shutil.copyfile(root / ".coverage", tmp_path / "cov.data")
    fc_report = _report(root, tmp_path / "fc.data")
    assert "Branch" in fc_report and "more.py" in fc_report, fc_report
    assert fc_report == _report(root, tmp_path / "cov.data")
