"""The release wheel these tests check, and what a fresh venv needs besides it.

The wheel is tools/wheels.py's manylinux2014 wheel for the running Python, built once per source
tree (cached by hash under $FERROCOV_CACHE/release-wheels, shared with `make wheels`), so a CI run
builds one wheel per Python version and a re-run on the same tree builds none.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("FERROCOV_CACHE") or Path.home() / ".cache" / "ferrocov")
CHECK_REQUIREMENTS = REPO / "tools" / "wheel-check-requirements.txt"
VERSION = f"{sys.version_info[0]}.{sys.version_info[1]}"

if not sys.platform.startswith("linux"):
    collect_ignore_glob = ["test_*.py"]  # the builds and the checks are Linux-only
elif os.environ.get("FERROCOV_OLD_GLIBC") != "1":
    # The glibc 2.31 root costs about 10 minutes to make on a fresh machine, more than CI's time
    # budget allows beside everything else: `make old-glibc` makes it and runs this module.
    collect_ignore = ["test_old_glibc.py"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "wheel: builds or reuses the release wheel and installs it in a fresh venv"
    )


@pytest.fixture(scope="session")
def release_wheel() -> Path:
    """The manylinux2014 wheel of this tree for the running Python."""
    proc = subprocess.run(
        [sys.executable, str(REPO / "tools" / "wheels.py"), "linux", sys.executable],
        capture_output=True,
        text=True,
        errors="replace",
        check=False,
    )
    if proc.returncode != 0:
        pytest.fail(f"the release wheel did not build:\n{proc.stderr[-5000:]}", pytrace=False)
    wheel = Path(proc.stdout.strip().splitlines()[-1])
    assert wheel.is_file(), proc.stdout
    return wheel


@pytest.fixture(scope="session")
def check_deps() -> Path:
    """A directory of wheels for tools/wheel-check-requirements.txt (pip, pytest, pytest-xdist)
    for the running Python's version, downloaded once and reused while that file is unchanged."""
    deps = CACHE / "wheel-check-deps" / VERSION
    stamp = deps / "requirements.txt"
    wanted = CHECK_REQUIREMENTS.read_text()
    if stamp.is_file() and stamp.read_text() == wanted:
        return deps
    partial = deps.with_name(f"{VERSION}.partial-{os.getpid()}")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--disable-pip-version-check",
            "--only-binary=:all:",
            "--python-version",
            VERSION,
            "--dest",
            str(partial),
            "-r",
            str(CHECK_REQUIREMENTS),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        pytest.fail(f"could not download {CHECK_REQUIREMENTS.name}:\n{proc.stderr}", pytrace=False)
    (partial / "requirements.txt").write_text(wanted)
    if deps.exists() and not (stamp.is_file() and stamp.read_text() == wanted):
        shutil.rmtree(deps, ignore_errors=True)  # downloaded for an older requirements file
    try:
        partial.rename(deps)
    except OSError:  # another xdist worker was first: its copy is as good
        shutil.rmtree(partial)
    return deps
