"""ferrocov's reports of branch data vs coverage.py's, both reading the same data file.

For every corpus program, ``coverage run --branch`` writes ``.coverage``; coverage.py and ferrocov
each report on that one file in every format (``report -m``, Markdown, ``--format=total``,
``--skip-covered``, JSON, XML, LCOV), which must be identical. The data is shared, so only the
possible arcs (ferrocov's own analysis), the branch arithmetic and the formatting can differ.
A second part reports on ``ferrocov run --branch``'s data with both tools, closing the loop from
measurement to report. On Python 3.10 the oracle is coverage.py 7.16.2, with its named
differences from 7.17 skipped (support/oracle_716.py).
"""

from __future__ import annotations

import sqlite3

import pytest
from support import PY311, Project, needs_py311, program_names
from support.oracle_716 import skip_where_716_differs
from support.reports import Pair, both, json_report, scrub_xml

PROGRAMS = program_names()
OUTPUTS = ("text", "json", "xml", "lcov")


def same_reports(project: Project, data_file: str) -> None:
    """Every report format of ``data_file``, from both tools, is identical."""
    skip_where_716_differs(project.root, project.path(data_file), OUTPUTS)
    data = f"--data-file={data_file}"
    for args in (
        ("report", "-m"),
        ("report", "--format=markdown"),
        ("report", "--format=total"),
        ("report", "-m", "--skip-covered", "--sort=cover"),
    ):
        pair = both(project, *args, data)
        assert pair.cov.returncode == 0, pair.describe()
        assert (pair.fc.returncode, pair.fc.stdout) == (0, pair.cov.stdout), pair.describe()
    for cmd, suffix in (("json", "json"), ("xml", "xml"), ("lcov", "lcov")):
        pair = Pair(
            project.coverage(cmd, data, "-o", f"cov.{suffix}"),
            project.ferrocov(cmd, data, "-o", f"fc.{suffix}"),
        )
        assert pair.cov.returncode == 0 and pair.fc.returncode == 0, pair.describe()
        cov_path, fc_path = project.path(f"cov.{suffix}"), project.path(f"fc.{suffix}")
        if cmd == "json":
            assert json_report(fc_path) == json_report(cov_path)
        elif cmd == "xml":
            assert scrub_xml(fc_path.read_text()) == scrub_xml(cov_path.read_text())
        else:
            assert fc_path.read_text() == cov_path.read_text()


def measured(project: Project, program: str) -> None:
    if needs_py311(program) and not PY311:
        pytest.skip("needs Python 3.11+ syntax or APIs")
    project.copy_program(program)


@pytest.mark.parametrize("program", PROGRAMS)
def test_branch_reports_of_coverage_py_data(project: Project, program: str) -> None:
    measured(project, program)
    result = project.coverage("run", "--branch", "--data-file=cov.data", program)
    assert project.path("cov.data").is_file(), result.describe()
    same_reports(project, "cov.data")


@pytest.mark.parametrize("program", PROGRAMS)
def test_branch_reports_of_ferrocov_data(project: Project, program: str) -> None:
    measured(project, program)
    result = project.ferrocov("run", "--branch", "--data-file=fc.data", program)
    assert project.path("fc.data").is_file(), result.describe()
    same_reports(project, "fc.data")


def test_partial_branch_settings(project: Project) -> None:
    """``partial_branches``/``partial_also`` and a branch data file with no ``[run] branch``."""
    project.write(
        "main.py",
        "import sys\n"
        "def f(n):\n"
        "    if n:  # maybe\n"
        "        return 1\n"
        "    while len(sys.argv) < 9:  # forever\n"
        "        if n is None:  # pragma: no branch\n"
        "            break\n"
        "        return 2\n"
        "\n"
        "f(1)\nf(0)\n",
    )
    project.write(".coveragerc", "[report]\npartial_also =\n    # maybe\n")
    assert project.coverage("run", "--branch", "--data-file=cov.data", "main.py").returncode == 0
    same_reports(project, "cov.data")
    project.write(".coveragerc", "[report]\npartial_branches =\n    # forever\n")
    same_reports(project, "cov.data")


def test_fail_under_counts_branches(project: Project) -> None:
    project.write("main.py", "def f(n):\n    if n:\n        return 1\n    return 2\n\nf(1)\n")
    assert project.ferrocov("run", "--branch", "main.py").returncode == 0
    # 4 of 5 statements and 1 of 2 branches: 71% with branches, 80% (a pass) on lines alone.
    pair = both(project, "report", "--fail-under=80")
    assert pair.cov.returncode == 2, pair.describe()
    assert (pair.fc.returncode, pair.fc.stdout) == (2, pair.cov.stdout), pair.describe()
    assert "71%" in pair.fc.stdout


def test_changed_source_and_foreign_arcs(project: Project) -> None:
    """Arcs that no longer exist (the source changed since it was measured) and arcs no tracer
    could record (another tool's, or damage): reported as coverage.py reports them, no crash."""
    project.copy_program("branches_mix.py")
    assert (
        project.coverage("run", "--branch", "--data-file=cov.data", "branches_mix.py").returncode
        == 0
    )
    assert (
        project.ferrocov("run", "--branch", "--data-file=fc.data", "branches_mix.py").returncode
        == 0
    )
    source = project.path("branches_mix.py")
    lines = source.read_text().splitlines(keepends=True)
    # Keep the functions defined in the first half; the calls at the end go.
    cut = next(n for n in range(len(lines) // 2, len(lines)) if lines[n].startswith("def "))
    source.write_text("".join(lines[:cut]) + "if len(lines) > 3:\n    pass\n")
    for data_file in ("cov.data", "fc.data"):
        with sqlite3.connect(project.path(data_file)) as db:
            (file_id,) = db.execute("select id from file").fetchone()
            (context_id,) = db.execute("select id from context").fetchone()
            foreign = [(5000, 6000), (-3, 9999), (1, -77), (2, 2)]
            db.executemany(
                "insert or ignore into arc (file_id, context_id, fromno, tono) values (?, ?, ?, ?)",
                [(file_id, context_id, a, b) for a, b in foreign],
            )
        same_reports(project, data_file)
