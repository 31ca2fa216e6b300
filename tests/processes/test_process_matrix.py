"""Every way of starting a Python process, every start method, every bad death: the worker lines
of each are in the combined data, nothing else is left behind, and the program's exit code and
output are what plain Python gives (see process_scenarios.py for the programs)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from process_scenarios import SCENARIOS, Scenario, run_scenario

pytestmark = [
    pytest.mark.processes,
    pytest.mark.skipif(sys.platform == "win32", reason="fork, POSIX signals, /proc"),
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_scenario(scenario: Scenario, tmp_path: Path) -> None:
    outcome = run_scenario(scenario, tmp_path)
    assert outcome.ok, outcome.describe()
