"""Downloading and unpacking the pinned sdists of the real-package tests (the ``slow`` ones).

Sdists are downloaded once with pip into ~/.cache/ferrocov/real-packages (FERROCOV_REAL_PACKAGES
overrides the place) and unpacked afresh into each test's temporary directory.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import tarfile
from pathlib import Path

from support import missing_oracle

CACHE_DIR = Path(
    os.environ.get("FERROCOV_REAL_PACKAGES", Path.home() / ".cache" / "ferrocov" / "real-packages")
)


def sdist(name: str, version: str) -> Path:
    """The cached sdist of ``name==version``, downloaded with pip on first use.

    Skips the test when pip cannot fetch it (no network), saying so.
    """
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    # xdist workers may want the same sdist at once: one downloads, the others wait for it.
    with open(CACHE_DIR / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        found = _cached(name, version)
        if found is None:
            proc = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "download",
                    "--quiet",
                    "--no-binary",
                    ":all:",
                    "--no-deps",
                    f"{name}=={version}",
                    "-d",
                    str(CACHE_DIR),
                ],
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            found = _cached(name, version)
            if found is None:
                missing_oracle(
                    f"could not download the sdist of {name}=={version} "
                    f"(exit {proc.returncode}): {proc.stderr.strip()[-500:]}"
                )
    return found


def _cached(name: str, version: str) -> Path | None:
    for candidate in (name, name.replace("-", "_")):
        path = CACHE_DIR / f"{candidate}-{version}.tar.gz"
        if path.is_file():
            return path
    return None


def unpack(archive: Path, dest: Path) -> Path:
    """Unpack an sdist under ``dest``; returns its top-level directory."""
    with tarfile.open(archive) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(dest, filter="data")
        else:  # CPython before 3.10.12 / 3.11.4; the archive is our own pinned download
            tar.extractall(dest)
        tops = {Path(member.name).parts[0] for member in tar.getmembers()}
    assert len(tops) == 1, tops
    return dest / tops.pop()
