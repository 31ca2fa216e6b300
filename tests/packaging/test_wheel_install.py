"""The release wheel installs into a fresh venv where no Rust toolchain can be found, and works
there: `ferrocov run`, `pytest --cov -n 2`, and a SIGKILLed process's lines (wheel_checks.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import wheel_checks

CHECKS_SCRIPT = Path(wheel_checks.__file__)

pytestmark = pytest.mark.wheel


def _checks(*args: str | Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(CHECKS_SCRIPT), *map(str, args)],
        env=wheel_checks.without_rust(dict(os.environ)),
        capture_output=True,
        text=True,
        errors="replace",
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="module")
def venv_python(
    release_wheel: Path, check_deps: Path, tmp_path_factory: pytest.TempPathFactory
) -> str:
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    setup = _checks("setup", sys.executable, venv, release_wheel, check_deps)
    assert setup.returncode == 0, setup.stdout + setup.stderr
    return str(venv / "bin" / "python")


def test_no_rust_toolchain_is_reachable(venv_python: str) -> None:
    """What the checks' processes see: no cargo, rustc or rustup on PATH, no Rust variables;
    and this machine has a toolchain, so the stripping is what hides it."""
    env = wheel_checks.clean_env(venv_python)
    for program in wheel_checks.RUST_PROGRAMS:
        assert shutil.which(program, path=env["PATH"]) is None, program
    assert not [key for key in env if key.startswith(wheel_checks.RUST_VARIABLES)]


def test_the_installed_package_is_the_wheel(venv_python: str, release_wheel: Path) -> None:
    """The venv's ferrocov is the wheel's: same files, its manylinux tag in the dist-info."""
    code = (
        "import ferrocov, importlib.metadata as m; d = m.distribution('ferrocov');"
        "print(ferrocov.__file__); print(d.read_text('WHEEL'))"
    )
    proc = subprocess.run(
        [venv_python, "-c", code],
        env=wheel_checks.clean_env(venv_python),
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    package_file, wheel_file = proc.stdout.split("\n", 1)
    assert Path(package_file).is_relative_to(Path(venv_python).parent.parent)
    with zipfile.ZipFile(release_wheel) as archive:
        info = next(n for n in archive.namelist() if n.endswith(".dist-info/WHEEL"))
        assert archive.read(info).decode().strip() == wheel_file.strip()
    assert "manylinux2014_" in wheel_file


@pytest.mark.crash
@pytest.mark.parametrize("check", list(wheel_checks.CHECKS))
def test_check_in_fresh_venv(check: str, venv_python: str, tmp_path: Path) -> None:
    proc = _checks("check", venv_python, tmp_path, check)
    assert proc.returncode == 0, proc.stdout + proc.stderr
