"""The scenario matrix driven through pytest: a generated project's test runs a scenario program
inside the pytest process (as ``python prog.py`` would, via ``runpy``), so every worker process is
started from inside a test, and the session runs with ``--cov`` serially and with pytest-xdist
``-n 2``. The worker lines must be in the session's ``.coverage``, the session must pass, and
nothing but the data file may be left next to it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from process_scenarios import (
    SCENARIO_TIMEOUT,
    SCENARIOS,
    START_METHODS,
    Scenario,
    expected_lines,
    program_text,
    read_data,
    scenario_env,
)

pytestmark = [
    pytest.mark.processes,
    pytest.mark.skipif(sys.platform == "win32", reason="fork, POSIX signals"),
]

# A representative subset of process_scenarios.SCENARIOS: a subprocess, a Pool ended by `with`
# (terminate) under every start method, a ProcessPoolExecutor, forked children leaving with
# os._exit, children killed by SIGKILL and SIGTERM, threads in the pytest process and in a fork.
CHOSEN = (
    "subprocess-run-sys_executable",
    *(f"mp-{method}-pool_with" for method in START_METHODS),
    f"mp-{'spawn' if 'spawn' in START_METHODS else START_METHODS[0]}-executor",
    "fork-os_exit",
    "death-sigkill",
    "death-sigterm",
    "threads-here",
    "threads-fork",
)
BY_NAME = {scenario.name: scenario for scenario in SCENARIOS}
CHOSEN_SCENARIOS = [BY_NAME[name] for name in CHOSEN]

# The project's test: run the scenario's program as `python prog.py ARGS` in its directory would,
# but in this (measured) pytest process. Other tests give the second xdist worker something to do.
TEST_SCENARIO = """\
import runpy
import sys
from pathlib import Path

SCENARIO = Path(__file__).resolve().parent.parent / "scen"


def test_before():
    assert sum(range(3)) == 3


def test_scenario(monkeypatch):
    monkeypatch.chdir(SCENARIO)
    monkeypatch.setattr(sys, "argv", ["prog.py", *{args!r}])
    monkeypatch.syspath_prepend(str(SCENARIO))
    runpy.run_path(str(SCENARIO / "prog.py"), run_name="__main__")


def test_after():
    assert sum(range(4)) == 6
"""

MODES = {"serial": (), "xdist": ("-n", "2")}


def _project(root: Path, scenario: Scenario) -> set[str]:
    """Write the project; return its files (relative paths), all that may be there afterwards
    besides the data file."""
    files = {f"scen/{name}": program_text(text) for name, text in scenario.files.items()}
    files["tests/test_scenario.py"] = TEST_SCENARIO.format(args=scenario.args)
    files["pytest.ini"] = "[pytest]\n"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return set(files)


def _params() -> list[object]:
    params = []
    for scenario in CHOSEN_SCENARIOS:
        for mode in MODES:
            params.append(pytest.param(scenario, mode, id=f"{scenario.name}-{mode}"))
    return params


@pytest.mark.parametrize(("scenario", "mode"), _params())
def test_scenario_through_pytest(scenario: Scenario, mode: str, tmp_path: Path) -> None:
    root = tmp_path / "project"
    files = _project(root, scenario)
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        *MODES[mode],
        "--cov=scen",
        "--cov-report=",
        "tests",
    ]
    try:
        result = subprocess.run(
            cmd,
            cwd=root,
            env=scenario_env(sys.executable),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=SCENARIO_TIMEOUT,
            check=False,
            start_new_session=True,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{cmd} did not finish within {SCENARIO_TIMEOUT} s")
    session = f"{result.stdout}\n{result.stderr}"
    assert result.returncode == 0, session

    problems = []
    data_file = root / ".coverage"
    real_root = os.path.realpath(root)
    measured = (
        {os.path.relpath(path, real_root): lines for path, lines in read_data(data_file).items()}
        if data_file.is_file()
        else {}
    )
    if not data_file.is_file():
        problems.append("no data file")
    for name, expected in expected_lines(scenario).items():
        missing = expected - measured.get(f"scen/{name}", set())
        if missing:
            problems.append(f"lost lines of {name}: {sorted(missing)}")
    allowed = {".coverage", *files, *(str(Path(name).parent) for name in files)}
    leftovers = sorted(
        rel
        for rel in (str(path.relative_to(root)) for path in root.rglob("*"))
        if rel not in allowed
    )
    if leftovers:
        problems.append(f"left behind: {leftovers}")
    assert problems == [], "\n".join([*problems, session])
