"""Pins, mode and workload names, paths, and the small output helpers every part of the overhead
benchmark shares."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

COVERAGE_PIN = "coverage==7.17.5"
# coverage.py 7.17 needs Python 3.11+; 7.16.2 is the newest that runs on 3.10.
COVERAGE_SPECS = [
    'coverage==7.17.5; python_version >= "3.11"',
    'coverage==7.16.2; python_version < "3.11"',
]
PYTEST_PIN = "pytest==9.2.0"
PYTEST_COV_PIN = "pytest-cov==7.1.0"
PKG_NAME = "more-itertools"
PKG_VERSION = "10.8.0"
PKG_IMPORT = "more_itertools"  # the package directory measured with --source
PKG_TEST_ARGS = ["tests"]  # relative to the unpacked sdist

MIN_OVERHEAD = 0.02  # smaller coverage.py overheads are noise: no quotient
DEFAULT_PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
ALL_MODES = ["none", "ferrocov", "coverage", "sysmon", "pytest-ferrocov", "pytest-cov"]
# `pytest --cov` through a plugin: only the pytest workload has a suite to run them on.
PYTEST_MODES = ["pytest-ferrocov", "pytest-cov"]
MODE_LABELS = {
    "none": "no coverage",
    "ferrocov": "ferrocov",
    "coverage": "coverage.py (default core)",
    "sysmon": "coverage.py (sysmon)",
    "pytest-ferrocov": "pytest --cov (ferrocov)",
    "pytest-cov": "pytest --cov (pytest-cov)",
}
WORKLOAD_LABELS = {
    "cpu": "cpu_bound.py",
    "pkg": f"{PKG_NAME}=={PKG_VERSION} tests",
    "empty": "empty.py",
}

BENCH_DIR = Path(__file__).resolve().parent.parent
REPO_ROOT = BENCH_DIR.parent
WORKLOAD_DIR = BENCH_DIR / "workloads"
RESULTS_DIR = BENCH_DIR / "results"
STAMP_NAME = "ferrocov-bench-stamp.json"


class BenchError(Exception):
    """A problem that stops one Python version (not the whole run)."""


def log(msg: str = "") -> None:
    print(msg, flush=True)


def tail(text: str, lines: int = 15) -> str:
    rows = text.rstrip().splitlines()[-lines:]
    return "\n".join("    | " + r for r in rows)


def explain(text: str, lines: int = 8) -> str:
    """The lines of a failed install that say why, else its tail."""
    why = [
        r.strip()
        for r in text.splitlines()
        if re.search(r"(^|\s)(error|caused by)\b", r, re.IGNORECASE)
        and "originates from a subprocess" not in r
    ]
    if not why:
        return tail(text, lines)
    return "\n".join("    | " + r for r in why[:lines])


def peak_rss(argv: list[str], cwd: Path) -> int:
    """Peak RSS (KiB) of one run, measured in a fresh helper process so maxima don't mix."""
    probe = (
        "import resource, subprocess, sys;"
        "subprocess.run(sys.argv[1:], check=True, capture_output=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *argv], cwd=cwd, capture_output=True, text=True, check=True
    )
    return int(out.stdout.strip())
