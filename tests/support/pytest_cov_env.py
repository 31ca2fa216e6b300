"""The pytest-cov reference environment (tools/pytest-cov-env.sh): pytest-cov 7.1 with the pinned
coverage.py and pytest-xdist, and no ferrocov, for tests that compare a session under both
plugins."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from . import TESTS_DIR, missing_oracle

ENV_SCRIPT = TESTS_DIR.parent / "tools" / "pytest-cov-env.sh"
BUILD_TIMEOUT = 900.0


def base_python() -> str:
    """The interpreter this test venv was made from, for the reference venv."""
    minor = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    for name in (minor, f"python{sys.version_info[0]}"):
        candidate = Path(sys.base_prefix) / "bin" / name
        if candidate.is_file():
            return str(candidate)
    raise AssertionError(f"no base interpreter under {sys.base_prefix}/bin")


def pytest_cov_python() -> str:
    """The python of the reference venv for this Python version, built on first use."""
    proc = subprocess.run(
        ["bash", str(ENV_SCRIPT), base_python()],
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
        check=False,
    )
    if proc.returncode != 0:
        message = f"tools/pytest-cov-env.sh failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}"
        missing_oracle(f"cannot build the pytest-cov reference venv: {message}")
    return proc.stdout.strip().splitlines()[-1]
