"""The `no_cover` marker and fixture pause measuring around the test's call only, and keep the
processes it starts unmeasured; the `cov` fixture gives tests the running measurement."""

from __future__ import annotations

import pytest
from conftest import json_files

NO_COVER_TESTS = """\
import subprocess
import sys

import pytest

import pkg.mod


@pytest.fixture
def setup_part():
    pkg.mod.covered(1)
    yield
    pkg.mod.covered(0)


@pytest.mark.no_cover
def test_marker(setup_part):
    pkg.mod.never()


def test_fixture(no_cover):
    subprocess.run([sys.executable, "-c", "import pkg.other; pkg.other.used()"], check=True)
"""


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_no_cover_pauses_only_the_call(project: pytest.Pytester, workers: list[str]) -> None:
    (project.path / "tests" / "test_pkg.py").write_text(NO_COVER_TESTS)
    result = project.runpytest_subprocess(*workers, "--cov=pkg", "--cov-report=json", "tests")
    assert result.ret == 0
    files = json_files(project.path / "coverage.json")
    # Setup and teardown ran covered(1) and covered(0): measured. The call's never(): not.
    assert files["pkg/mod.py"]["missing_lines"] == [8, 9, 10]
    # The subprocess started during a no_cover call was not measured.
    assert files["pkg/other.py"]["executed_lines"] == []


def test_subprocesses_are_measured_otherwise(project: pytest.Pytester) -> None:
    (project.path / "tests" / "test_pkg.py").write_text(
        "import subprocess, sys\n\n"
        "def test_child():\n"
        "    subprocess.run([sys.executable, '-c', 'import pkg.other; pkg.other.used()'],"
        " check=True)\n"
    )
    result = project.runpytest_subprocess("--cov=pkg", "--cov-report=json", "tests")
    assert result.ret == 0
    files = json_files(project.path / "coverage.json")
    assert files["pkg/other.py"]["missing_lines"] == []


COV_FIXTURE_TESTS = """\
import os


def test_cov(cov):
    assert cov is not None
    assert cov.data_file == os.path.join(os.getcwd(), ".coverage")
    assert cov.is_measuring
    with cov.paused():
        assert not cov.is_measuring
        assert os.environ["FERROCOV_DISABLE"] == "1"
    assert cov.is_measuring
    assert "FERROCOV_DISABLE" not in os.environ
"""


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_cov_fixture(project: pytest.Pytester, workers: list[str]) -> None:
    (project.path / "tests" / "test_cov.py").write_text(COV_FIXTURE_TESTS)
    result = project.runpytest_subprocess(*workers, "--cov=pkg", "tests/test_cov.py")
    assert result.ret == 0, result.stdout.str()


def test_cov_fixture_is_none_without_cov(project: pytest.Pytester) -> None:
    (project.path / "tests" / "test_cov.py").write_text(
        "def test_cov(cov):\n    assert cov is None\n"
    )
    assert project.runpytest_subprocess("tests/test_cov.py").ret == 0
    assert project.runpytest_subprocess("--cov=pkg", "--no-cov", "tests/test_cov.py").ret == 0
