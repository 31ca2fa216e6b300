"""Every way of starting a Python process, every start method, every bad death: the worker lines
of each are in the combined data, nothing else is left behind, and the program's exit code and
output are what plain Python gives (see process_scenarios.py for the programs)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from process_scenarios import SCENARIOS, Scenario, run_scenario
from support import coverage_cmd

pytestmark = [
    pytest.mark.processes,
    pytest.mark.skipif(sys.platform == "win32", reason="fork, POSIX signals, /proc"),
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_scenario(scenario: Scenario, tmp_path: Path) -> None:
    outcome = run_scenario(scenario, tmp_path)
    assert outcome.ok, outcome.describe()


# Branch measurement through the same deaths: every arc a process took before it died is kept
# (its lines, the ends of those arcs, are all there), and coverage.py reads the data as branch data.
BRANCH_SCENARIOS = [
    s
    for s in SCENARIOS
    if s.name
    in (
        "subprocess-run-sys_executable",
        "mp-spawn-pool_unclosed",
        "fork-os_exit",
        "death-sigkill",
        "death-os_exit",
        "death-mp_terminate-fork",
        "death-mp_terminate-spawn",
        "death-mp_kill-forkserver",
    )
]


@pytest.mark.parametrize("scenario", BRANCH_SCENARIOS, ids=[s.name for s in BRANCH_SCENARIOS])
def test_scenario_with_branches(scenario: Scenario, tmp_path: Path) -> None:
    outcome = run_scenario(scenario, tmp_path, branch=True)
    assert outcome.ok, outcome.describe()
    data_file = tmp_path / "ferrocov" / ".coverage"
    with sqlite3.connect(data_file) as db:
        assert db.execute("select value from meta where key = 'has_arcs'").fetchone() == ("1",)
    report = subprocess.run(
        coverage_cmd("report", "-m", f"--data-file={data_file}"),
        cwd=tmp_path / "ferrocov",
        capture_output=True,
        text=True,
        check=False,
    )
    assert report.returncode == 0, report.stdout + report.stderr
    assert "Branch" in report.stdout, report.stdout


# Inside a test's context: every process the program starts, however it starts or dies, records
# under that label (the start-up hook takes it from the parent; a fork keeps it), so the lines a
# worker ran belong to the test that started it. `make stress-contexts` runs the whole matrix so.
CONTEXT_SCENARIOS = [
    s
    for s in SCENARIOS
    if s.name
    in (
        "subprocess-popen-python3",
        "launch-execv",
        "launch-posix_spawn",
        "grandchildren-3-levels",
        "mp-fork-pool_with",
        "mp-spawn-pool_with",
        "mp-forkserver-executor",
        "fork-os_exit",
        "threads-spawn",
        "death-sigkill",
        "death-mp_terminate-spawn",
    )
]


@pytest.mark.parametrize("branch", [False, True], ids=["lines", "branches"])
@pytest.mark.parametrize("scenario", CONTEXT_SCENARIOS, ids=[s.name for s in CONTEXT_SCENARIOS])
def test_scenario_in_a_context(scenario: Scenario, branch: bool, tmp_path: Path) -> None:
    outcome = run_scenario(scenario, tmp_path, branch=branch, context=True)
    assert outcome.ok, outcome.describe()
