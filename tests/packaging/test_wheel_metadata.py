"""What package indexes, pip and auditwheel read from the release wheel: its metadata (classifiers,
license, readme, keywords, no extras), its typing marker, and the glibc it needs."""

from __future__ import annotations

import email.parser
import platform
import subprocess
import sys
import zipfile
from email.message import Message
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.wheel


def _metadata(wheel: Path) -> Message:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        return email.parser.Parser().parsestr(archive.read(name).decode())


def test_classifiers(release_wheel: Path) -> None:
    classifiers = set(_metadata(release_wheel).get_all("Classifier") or [])
    expected = {
        "Framework :: Pytest",
        "Operating System :: POSIX :: Linux",
        "Operating System :: MacOS",
        "Operating System :: Microsoft :: Windows",
        "Programming Language :: Python :: Implementation :: CPython",
        "Programming Language :: Rust",
        "Topic :: Software Development :: Testing",
        "Topic :: Software Development :: Quality Assurance",
        *(f"Programming Language :: Python :: 3.{minor}" for minor in (10, 11, 12, 13)),
    }
    assert expected <= classifiers, sorted(expected - classifiers)
    assert [c for c in classifiers if c.startswith("Development Status :: ")]
    # Python versions the package does not claim: none beyond what CI runs.
    versions = {c for c in classifiers if c.startswith("Programming Language :: Python :: 3.")}
    assert versions == {f"Programming Language :: Python :: 3.{m}" for m in (10, 11, 12, 13)}


def test_license_python_range_and_keywords(release_wheel: Path) -> None:
    metadata = _metadata(release_wheel)
    assert metadata["License-Expression"] == "MIT"
    assert metadata["Requires-Python"] == ">=3.10"
    keywords = (metadata["Keywords"] or "").split(",")
    assert {"coverage", "pytest", "testing"} <= set(keywords), keywords
    # Installing ferrocov needs nothing else, and it offers no extras.
    assert metadata.get_all("Requires-Dist") is None
    assert metadata.get_all("Provides-Extra") is None


def test_readme_is_the_package_page(release_wheel: Path) -> None:
    metadata = _metadata(release_wheel)
    assert metadata["Description-Content-Type"].startswith("text/markdown;")
    readme = (REPO / "README.md").read_text()
    assert metadata.get_payload().strip() == readme.strip()


def test_wheel_holds_the_typing_marker_stub_and_start_up_hook(release_wheel: Path) -> None:
    with zipfile.ZipFile(release_wheel) as archive:
        names = set(archive.namelist())
    assert "ferrocov/py.typed" in names
    assert "ferrocov/_ferrocov.pyi" in names
    assert any(n.startswith("ferrocov/_ferrocov.") and n.endswith(".so") for n in names), names
    assert any(n.endswith(".data/purelib/ferrocov.pth") for n in names), names


def test_auditwheel_says_manylinux2014(release_wheel: Path) -> None:
    """auditwheel reads the symbol versions the extension needs: glibc 2.17's at most, and no
    library outside the manylinux set."""
    proc = subprocess.run(
        [sys.executable, str(REPO / "tools" / "wheels.py"), "audit", str(release_wheel)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip().endswith(f": manylinux_2_17_{platform.machine()}"), proc.stdout
