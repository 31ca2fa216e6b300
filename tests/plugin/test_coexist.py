"""pytest-cov installed next to ferrocov: the session never crashes on the shared options;
pytest-cov measures, ferrocov says how to choose, and `-p no:pytest_cov` hands over to ferrocov.

pytest-cov 7.1.0 is installed once (without dependencies: pytest and coverage.py are in the test
environment already) into a directory put on PYTHONPATH, so its entry point is seen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import measured_by_coverage_py
from support import executed_lines, missing_oracle

PYTEST_COV = "pytest-cov==7.1.0"


@pytest.fixture(scope="session")
def pytest_cov_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.getbasetemp().parent / "pytest-cov-7.1.0"
    lock = target.with_suffix(".lock")
    import fcntl

    with open(lock, "w") as handle:
        # xdist workers of this suite share the directory; one installs it.
        fcntl.flock(handle, fcntl.LOCK_EX)
        if not (target / "pytest_cov").is_dir():
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    "--no-deps",
                    "--target",
                    str(target),
                    PYTEST_COV,
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                missing_oracle(f"cannot install {PYTEST_COV}: {done.stderr.strip()[-300:]}")
    return target


@pytest.fixture
def both(
    project: pytest.Pytester, pytest_cov_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> pytest.Pytester:
    path = os.environ.get("PYTHONPATH")
    monkeypatch.setenv("PYTHONPATH", str(pytest_cov_dir) + (os.pathsep + path if path else ""))
    return project


def test_pytest_cov_measures_and_ferrocov_says_how_to_choose(both: pytest.Pytester) -> None:
    result = both.runpytest_subprocess("--cov=pkg", "--cov-report=term-missing", "tests")
    assert result.ret == 0
    out = result.stdout.str()
    assert "pytest-cov measures this session" in out
    assert "-p no:pytest_cov" in out and "-p no:ferrocov" in out
    assert "TOTAL" in out and "pytest-cov" in out
    assert "ferrocov-0.1.0" in out  # loaded, just out of the way
    assert not (both.path / ".coverage-shards").exists()


def test_blocking_pytest_cov_selects_ferrocov(both: pytest.Pytester) -> None:
    result = both.runpytest_subprocess("-p", "no:pytest_cov", "--cov=pkg", "tests")
    assert result.ret == 0
    out = result.stdout.str()
    assert "pytest-cov measures" not in out
    assert "TOTAL" in out
    # ferrocov wrote the data: what coverage.py measures running the same tests.
    measured = executed_lines(both.path / ".coverage", both.path)
    assert measured == measured_by_coverage_py(both, "-p", "no:pytest_cov", "tests")


def test_blocking_ferrocov_is_silent(both: pytest.Pytester) -> None:
    result = both.runpytest_subprocess("-p", "no:ferrocov", "--cov=pkg", "tests")
    assert result.ret == 0
    out = result.stdout.str()
    assert "ferrocov" not in out.replace(str(both.path), "")
    assert "TOTAL" in out


def test_same_numbers_as_pytest_cov(both: pytest.Pytester) -> None:
    theirs = both.runpytest_subprocess("--cov=pkg", "--cov-report=term-missing", "tests")
    ours = both.runpytest_subprocess(
        "-p", "no:pytest_cov", "--cov=pkg", "--cov-report=term-missing", "tests"
    )

    def rows(out: str) -> list[str]:
        lines = out.splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith("Name "))
        end = next(i for i, line in enumerate(lines) if line.startswith("TOTAL"))
        return lines[start : end + 1]

    assert rows(ours.stdout.str()) == rows(theirs.stdout.str())
