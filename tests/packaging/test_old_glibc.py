"""The release wheel on a glibc older than the build machine's: Debian 11's (2.31), in the root
file system tools/old-glibc.sh keeps, with a CPython 3.11 built there. The same checks as in a
fresh venv here (wheel_checks.py) run inside it, with that root's interpreter.

The root costs about 10 minutes to make, so this module is collected only under
`FERROCOV_OLD_GLIBC=1`, which `make old-glibc` sets after making the root (conftest.py); there,
a missing root is made or the test fails. It runs in the Python 3.11 session only, whose wheel it
installs."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import IN_CI, missing_oracle

REPO = Path(__file__).resolve().parents[2]
TOOL = REPO / "tools" / "old-glibc.sh"
CHECKS = Path(__file__).with_name("wheel_checks.py")
SCENARIOS = REPO / "tests" / "processes" / "process_scenarios.py"
# Where tools/old-glibc.sh installs the root's interpreter.
ROOT_PYTHON = "/opt/python3.11/bin/python3.11"

pytestmark = [
    pytest.mark.wheel,
    pytest.mark.skipif(sys.version_info[:2] != (3, 11), reason="the old-glibc root has 3.11"),
    pytest.mark.skipif(platform.machine() != "x86_64", reason="the root is x86_64"),
]


def _tool(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(TOOL), *args],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="module")
def old_root() -> Path:
    if os.geteuid() != 0:
        missing_oracle("the old-glibc root needs root (debootstrap, chroot)")
    found = _tool("root")
    if found.returncode != 0:
        if not IN_CI:
            pytest.skip("no old-glibc root: `make old-glibc` makes one (about 10 minutes)")
        made = _tool("provision", timeout=1800)
        if made.returncode != 0:
            message = f"tools/old-glibc.sh provision failed:\n{made.stderr[-5000:]}"
            pytest.fail(message, pytrace=False)
        found = _tool("root")
    return Path(found.stdout.strip())


@pytest.fixture
def inside(old_root: Path) -> Iterator[tuple[Path, str]]:
    """A fresh directory in the root's /tmp: its host path and its path inside."""
    name = f"ferrocov-wheel-{uuid.uuid4().hex[:12]}"
    host = old_root / "tmp" / name
    host.mkdir()
    yield host, f"/tmp/{name}"
    shutil.rmtree(host, ignore_errors=True)


def _glibc(cmd: list[str]) -> tuple[int, ...]:
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()
    assert out.startswith("glibc "), out
    return tuple(int(part) for part in out.split()[1].split("."))


@pytest.mark.crash
def test_wheel_works_on_older_glibc(
    inside: tuple[Path, str], release_wheel: Path, check_deps: Path
) -> None:
    host, there = inside
    code = "import os; print(os.confstr('CS_GNU_LIBC_VERSION'))"
    old = _glibc([str(TOOL), "run", ROOT_PYTHON, "-c", code])
    new = _glibc([sys.executable, "-c", code])
    assert old < new, f"the root's glibc {old} is not older than this machine's {new}"
    assert old < (2, 32)

    shutil.copy2(release_wheel, host / release_wheel.name)
    shutil.copytree(check_deps, host / "deps")
    (host / "checks").mkdir()
    for script in (CHECKS, SCENARIOS):
        shutil.copy2(script, host / "checks" / script.name)
    checks = f"{there}/checks/{CHECKS.name}"
    setup = _tool(
        "run",
        ROOT_PYTHON,
        checks,
        "setup",
        ROOT_PYTHON,
        f"{there}/venv",
        f"{there}/{release_wheel.name}",
        f"{there}/deps",
    )
    assert setup.returncode == 0, setup.stdout + setup.stderr
    (host / "work").mkdir()
    run = _tool("run", ROOT_PYTHON, checks, "check", f"{there}/venv/bin/python", f"{there}/work")
    assert run.returncode == 0, run.stdout + run.stderr
