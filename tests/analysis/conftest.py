"""Build the `analyze` example of ferrocov_analysis once per session."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


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
