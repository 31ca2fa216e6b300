"""Build the `analyze` example of ferrocov_analysis once per session; find the oracle."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# oracle.py (coverage.py's own analysis) lives with the checked-in expectations it generates.
sys.path.insert(0, str(REPO / "crates/ferrocov_analysis/resources/expected"))


@pytest.fixture(scope="session")
def analyze_bin() -> Path:
    """Path of the release `analyze` example binary, built if needed."""
    target = Path(os.environ.get("CARGO_TARGET_DIR") or Path.home() / ".cache/ferrocov/target")
    env = dict(os.environ, CARGO_TARGET_DIR=str(target))
    subprocess.run(
        ["cargo", "build", "--release", "-q", "-p", "ferrocov_analysis", "--example", "analyze"],
        cwd=REPO,
        env=env,
        check=True,
    )
    return target / "release" / "examples" / "analyze"
