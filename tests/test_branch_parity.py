"""Branch measurement against coverage.py as the oracle: `ferrocov run --branch` and
`coverage run --branch` on every corpus program, then coverage.py's own reporters (`report -m`
and `json`) read both data files. coverage.py computes the possible arcs itself, so only the
measured arcs can make the reports differ; they must not.
"""

from __future__ import annotations

import json
import sqlite3

import pytest
from support import HAS_FRAME_GATE, PY311, Project, data_has_arcs, needs_py311, program_names

PROGRAMS = program_names()


def coverage_json(project: Project, data_file: str) -> dict[str, object]:
    out = f"{data_file}.json"
    result = project.coverage("json", f"--data-file={data_file}", "-o", out)
    assert result.returncode == 0, result.describe()
    report = json.loads(project.path(out).read_text())
    return {"files": report["files"], "totals": report["totals"]}


def report_both(project: Project) -> None:
    """coverage.py's text and JSON reports from both data files are identical."""
    assert data_has_arcs(project.path("fc.data")) is True
    cov_report = project.coverage("report", "-m", "--show-missing", "--data-file=cov.data")
    fc_report = project.coverage("report", "-m", "--show-missing", "--data-file=fc.data")
    assert cov_report.returncode == 0, cov_report.describe()
    assert fc_report.returncode == 0, fc_report.describe()
    assert fc_report.stdout == cov_report.stdout
    assert coverage_json(project, "fc.data") == coverage_json(project, "cov.data")


@pytest.mark.parametrize("program", PROGRAMS)
def test_branch_reports_match_coverage_py(project: Project, program: str) -> None:
    if needs_py311(program) and not PY311:
        pytest.skip("needs Python 3.11+ syntax or APIs")
    project.copy_program(program)
    cov = project.coverage("run", "--branch", "--data-file=cov.data", program)
    fc = project.ferrocov("run", "--branch", "--data-file=fc.data", program)
    assert fc.returncode == cov.returncode, fc.describe()
    assert fc.stdout == cov.stdout, fc.describe()
    assert "warning" not in fc.stderr, fc.describe()
    report_both(project)
    if HAS_FRAME_GATE:
        # Again with every code object closed as soon as its arcs allow (by default only code
        # that ran 32 times is considered): the gate then runs it untraced.
        env = {"FERROCOV_BRANCH_CLOSURE": "0"}
        fc = project.ferrocov("run", "--branch", "--data-file=fc.data", program, env=env)
        assert fc.returncode == cov.returncode, fc.describe()
        assert fc.stdout == cov.stdout, fc.describe()
        report_both(project)


@pytest.mark.skipif(not HAS_FRAME_GATE, reason="the frame gate is a 3.10/3.11 tracer")
def test_branch_reports_match_without_the_frame_gate(project: Project) -> None:
    project.copy_program("branches_mix.py")
    project.coverage("run", "--branch", "--data-file=cov.data", "branches_mix.py")
    env = {"FERROCOV_FRAME_GATE": "off"}
    fc = project.ferrocov("run", "--branch", "--data-file=fc.data", "branches_mix.py", env=env)
    assert fc.returncode == 0, fc.describe()
    report_both(project)


def test_config_branch_setting_measures_arcs(project: Project) -> None:
    project.copy_program("partial_branches.py")
    project.write(".coveragerc", "[run]\nbranch = true\n")
    project.coverage("run", "--data-file=cov.data", "partial_branches.py")
    fc = project.ferrocov("run", "--data-file=fc.data", "partial_branches.py")
    assert fc.returncode == 0 and "warning" not in fc.stderr, fc.describe()
    report_both(project)


def test_line_and_branch_data_refuse_to_combine(project: Project) -> None:
    """coverage.py's own message; nothing deleted, no data file written."""
    project.write("main.py", "x = 1\nif x:\n    y = 2\n")
    assert project.ferrocov("run", "--parallel-mode", "main.py").returncode == 0
    assert project.ferrocov("run", "--parallel-mode", "--branch", "main.py").returncode == 0
    before = sorted(p.name for p in project.parallel_files())
    assert len(before) == 2
    fc = project.ferrocov("combine")
    assert fc.returncode != 0, fc.describe()
    wordings = (
        "Can't combine branch coverage data with statement data: data file '",
        "Can't combine statement coverage data with branch data: data file '",
    )
    assert any(w in fc.stderr for w in wordings), fc.describe()
    assert "but data file '" in fc.stderr, fc.describe()
    assert sorted(p.name for p in project.parallel_files()) == before
    assert not project.path(".coverage").exists()
    # coverage.py refuses the same files with one of the same two messages (7.16, on 3.10, ends
    # them before ": data file ...").
    cov = project.coverage("combine")
    heads = tuple(w.partition(":")[0] for w in wordings)
    assert cov.returncode != 0 and any(h in cov.output for h in heads), cov.describe()


def test_arc_table_has_self_arcs_and_exits(project: Project) -> None:
    project.write("main.py", "def f(x):\n    if x:\n        return 1\n    return 2\n\nf(0)\n")
    assert project.ferrocov("run", "--branch", "main.py").returncode == 0
    with sqlite3.connect(project.path(".coverage")) as db:
        arcs = set(db.execute("select fromno, tono from arc"))
    assert (2, 4) in arcs  # the branch not taken into the body
    assert (2, 3) not in arcs
    assert {1, 2, 4, 6} <= {a for arc in arcs for a in arc if a > 0}
