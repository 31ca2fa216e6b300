"""pytest-xdist: workers are measured into the controller's run, `-n 2` equals a serial run,
and a worker killed in the middle of a test still contributes every line it ran."""

from __future__ import annotations

import json

import pytest
from conftest import json_files

KILLED = """\
import os
import signal

import pkg.mod
import pkg.victim


def test_first():
    assert pkg.mod.covered(0) == "no"


def test_killed():
    pkg.victim.before_the_end()
    {kill}


def test_last():
    assert pkg.mod.covered(1) == "yes"
"""

VICTIM = """\
def before_the_end():
    marker = "ran in the killed worker"
    return marker


def never_runs():
    return "not here"
"""


def test_two_workers_measure_exactly_what_a_serial_run_measures(project: pytest.Pytester) -> None:
    (project.path / "conftest.py").write_text("import pkg.other\n")
    (project.path / "tests" / "test_more.py").write_text(
        "import pkg.mod\n\n"
        + "".join(f"def test_{i}():\n    assert pkg.mod.covered({i % 2})\n\n" for i in range(8))
    )
    serial = project.runpytest_subprocess("--cov=.", "--cov-report=json:serial.json", "tests")
    assert serial.ret == 0
    parallel = project.runpytest_subprocess(
        "-n", "2", "--cov=.", "--cov-report=json:parallel.json", "tests"
    )
    assert parallel.ret == 0
    assert "Coverage JSON written to file parallel.json" in parallel.stdout.str()
    ours = json_files(project.path / "parallel.json")
    assert ours == json_files(project.path / "serial.json")
    assert ours["conftest.py"]["missing_lines"] == []
    assert (
        json.loads((project.path / "parallel.json").read_text())["totals"]
        == json.loads((project.path / "serial.json").read_text())["totals"]
    )


def test_parallel_term_report_has_the_same_heading(project: pytest.Pytester) -> None:
    result = project.runpytest_subprocess("-n", "2", "--cov=pkg", "tests")
    assert result.ret == 0
    out = result.stdout.str()
    assert " tests coverage " in out and "coverage: platform " in out
    assert "TOTAL" in out


# SIGKILL twenty times (the bar), os._exit five times.
KILLS = [
    pytest.param("os.kill(os.getpid(), signal.SIGKILL)", id=f"sigkill-{i}") for i in range(20)
] + [pytest.param("os._exit(1)", id=f"os_exit-{i}") for i in range(5)]


@pytest.mark.crash
@pytest.mark.parametrize("kill", KILLS)
def test_killed_worker_keeps_every_line_it_ran(project: pytest.Pytester, kill: str) -> None:
    (project.path / "pkg" / "victim.py").write_text(VICTIM)
    (project.path / "tests" / "test_killed.py").write_text(KILLED.format(kill=kill))
    result = project.runpytest_subprocess(
        "-n", "2", "--cov=pkg", "--cov-report=json", "tests/test_killed.py"
    )
    # xdist reports the killed worker's test as failed and replaces the worker.
    assert "crashed" in result.stdout.str()
    files = json_files(project.path / "coverage.json")
    assert files["pkg/victim.py"]["executed_lines"] == [1, 2, 3, 6]
    assert files["pkg/victim.py"]["missing_lines"] == [7]
