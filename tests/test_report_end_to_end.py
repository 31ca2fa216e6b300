"""The whole pipeline: ``ferrocov run`` + ``ferrocov report/json`` vs ``coverage run`` + ``coverage
report/json``.

test_report_parity.py holds the data fixed and compares the reporters; here each tool measures for
itself too, as a user switching from coverage.py would run them. The second part checks that the
reporting commands combine pending shards first: ``ferrocov run -p`` leaves shards, and
``ferrocov report`` must fold them into the data file, report on them and leave none behind.

On Python 3.10 the oracle is coverage.py 7.16.2; a case one of its named differences from 7.17 can
touch is skipped with the difference as the reason (support/oracle_716.py).
"""

from __future__ import annotations

import shutil

import pytest
from support import PROGRAMS_DIR, PY311, Project, needs_py311
from support.oracle_716 import skip_where_716_differs
from support.reports import assert_same_json, json_report, scrub_json_meta

PROGRAMS = [
    "classes_basic.py",
    "conditional_defs.py",
    "decorators_stack.py",
    "exceptions_flow.py",
    "generators_pipeline.py",
    "local_imports.py",
    "match_structures.py",
    "partial_branches.py",
    "pkg_shapes_main.py",
    "pkg_textutils_main.py",
    "pragma_no_cover.py",
    "sys_exit_middle.py",
    "threads_pool.py",
    "uncaught_exception.py",
    "exception_groups_py311.py",
]


def _measure_both(project: Project, program: str, output: str) -> None:
    """``coverage run`` into cov.data and ``ferrocov run`` into fc.data, same exit status, for a
    test comparing ``output`` (see support.oracle_716.OUTPUTS)."""
    cov = project.coverage("run", "--data-file=cov.data", program)
    fc = project.ferrocov("run", "--data-file=fc.data", program)
    assert fc.returncode == cov.returncode, f"{cov.describe()}\n{fc.describe()}"
    assert project.path("cov.data").is_file(), cov.describe()
    assert project.path("fc.data").is_file(), fc.describe()
    skip_where_716_differs(project.root, project.path("cov.data"), [output])


@pytest.mark.parametrize("program", PROGRAMS)
def test_run_then_report(project: Project, program: str) -> None:
    if needs_py311(program) and not PY311:
        pytest.skip("needs Python 3.11+ syntax or APIs")
    project.copy_program(program)
    _measure_both(project, program, "text")

    for args in (("report", "-m"), ("report", "--format=markdown"), ("report", "--format=total")):
        cov = project.coverage(*args, "--data-file=cov.data")
        fc = project.ferrocov(*args, "--data-file=fc.data")
        assert cov.returncode == 0, cov.describe()
        assert fc.returncode == 0, fc.describe()
        assert fc.stdout == cov.stdout, f"{args}\n{cov.describe()}\n{fc.describe()}"


@pytest.mark.parametrize("program", PROGRAMS)
def test_run_then_json(project: Project, program: str) -> None:
    if needs_py311(program) and not PY311:
        pytest.skip("needs Python 3.11+ syntax or APIs")
    project.copy_program(program)
    _measure_both(project, program, "json")

    cov = project.coverage("json", "--data-file=cov.data", "-o", "cov.json")
    fc = project.ferrocov("json", "--data-file=fc.data", "-o", "fc.json")
    assert cov.returncode == 0, cov.describe()
    assert fc.returncode == 0, fc.describe()
    assert program in json_report(project.path("cov.json"))["files"]
    assert_same_json(project.path("cov.json"), project.path("fc.json"))


# --- reporting combines pending shards first ------------------------------------------------------


def _assert_no_pending(project: Project, data_file: str = ".coverage") -> None:
    assert project.shard_files(data_file) == [], project.shard_files(data_file)
    assert project.parallel_files(data_file) == [], project.parallel_files(data_file)


@pytest.mark.parametrize(
    ("cmd", "fmt"),
    [
        (("report", "-m"), "text"),
        (("report", "--format=total"), "text"),
        (("json", "-o", "fc.json"), "json"),
    ],
)
def test_report_combines_parallel_run(project: Project, cmd: tuple[str, ...], fmt: str) -> None:
    program = "pkg_shapes_main.py"
    project.copy_program(program)
    cov_run = project.coverage("run", "--data-file=cov.data", program)
    assert cov_run.returncode == 0, cov_run.describe()
    skip_where_716_differs(project.root, project.path("cov.data"), [fmt])

    fc_run = project.ferrocov("run", "-p", program)
    assert fc_run.returncode == 0, fc_run.describe()
    assert project.shard_files() or project.parallel_files(), "run -p left nothing to combine"
    assert not project.path(".coverage").exists(), "run -p should not have combined"

    fc = project.ferrocov(*cmd)
    assert fc.returncode == 0, fc.describe()
    _assert_no_pending(project)
    # The combined data is a coverage.py data file with what coverage.py measured.
    assert project.lines(".coverage") == project.lines("cov.data")

    if fmt == "json":
        cov = project.coverage("json", "--data-file=cov.data", "-o", "cov.json")
        assert cov.returncode == 0, cov.describe()
        assert_same_json(project.path("cov.json"), project.path("fc.json"))
    else:
        cov = project.coverage(*cmd, "--data-file=cov.data")
        assert cov.returncode == 0, cov.describe()
        assert fc.stdout == cov.stdout


def test_report_combines_shards_of_a_named_data_file(project: Project) -> None:
    program = "classes_basic.py"
    project.copy_program(program)
    assert project.coverage("run", "--data-file=cov.data", program).returncode == 0
    skip_where_716_differs(project.root, project.path("cov.data"), ["text"])
    fc_run = project.ferrocov("run", "-p", "--data-file=fc.data", program)
    assert fc_run.returncode == 0, fc_run.describe()

    fc = project.ferrocov("report", "-m", "--data-file=fc.data")
    cov = project.coverage("report", "-m", "--data-file=cov.data")
    assert fc.returncode == 0, fc.describe()
    assert fc.stdout == cov.stdout
    _assert_no_pending(project, "fc.data")
    assert project.lines("fc.data") == project.lines("cov.data")


def test_report_combines_shards_of_several_runs(project: Project) -> None:
    """Two ``run -p`` of one program on different paths: one report covers both, exactly as
    ``coverage run -p`` twice + ``coverage combine`` + ``coverage json`` does."""
    project.write(
        "child.py",
        """\
        import sys

        def triangle(n):
            return sum(range(n + 1))

        if len(sys.argv) > 1:
            print(triangle(int(sys.argv[1])))
        else:
            print("no argument")
        """,
    )
    cov_env = {"COVERAGE_FILE": "cov.data"}
    for args in (("child.py", "3"), ("child.py",)):
        fc_run = project.ferrocov("run", "-p", *args)
        assert fc_run.returncode == 0, fc_run.describe()
        cov_run = project.coverage("run", "-p", *args, env=cov_env)
        assert cov_run.returncode == 0, cov_run.describe()
    assert len(project.shard_files()) + len(project.parallel_files()) >= 2
    combined = project.coverage("combine", env=cov_env)
    assert combined.returncode == 0, combined.describe()
    skip_where_716_differs(project.root, project.path("cov.data"), ["json"])

    fc = project.ferrocov("json", "-o", "fc.json")
    assert fc.returncode == 0, fc.describe()
    _assert_no_pending(project)
    cov = project.coverage("json", "-o", "cov.json", env=cov_env)
    assert cov.returncode == 0, cov.describe()
    assert json_report(project.path("cov.json"))["totals"]["missing_lines"] == 0
    assert_same_json(project.path("cov.json"), project.path("fc.json"))


def test_report_after_parallel_run_keeps_existing_data(project: Project) -> None:
    """Shards are combined into an existing data file as ``coverage combine --append`` would:
    data from an earlier plain run of another program is not lost. coverage.py 7.14+ does the
    same: its report combines the parallel file into the existing data."""
    project.copy_program("classes_basic.py")
    shutil.copyfile(PROGRAMS_DIR / "walrus.py", project.path("walrus.py"))
    cov_env = {"COVERAGE_FILE": "cov.data"}
    for args in (("classes_basic.py",), ("-p", "walrus.py")):
        cov_run = project.coverage("run", *args, env=cov_env)
        assert cov_run.returncode == 0, cov_run.describe()
    cov = project.coverage("report", env=cov_env)
    assert cov.returncode == 0, cov.describe()
    assert "classes_basic.py" in cov.stdout and "walrus.py" in cov.stdout, cov.stdout
    skip_where_716_differs(project.root, project.path("cov.data"), ["text"])

    first = project.ferrocov("run", "classes_basic.py")
    assert first.returncode == 0, first.describe()
    second = project.ferrocov("run", "-p", "walrus.py")
    assert second.returncode == 0, second.describe()

    fc = project.ferrocov("report")
    assert fc.returncode == 0, fc.describe()
    assert fc.stdout == cov.stdout
    _assert_no_pending(project)
    assert project.lines(".coverage") == project.lines("cov.data")


def test_pretty_json_end_to_end_layout(project: Project) -> None:
    project.copy_program("classes_basic.py")
    _measure_both(project, "classes_basic.py", "json")
    cov = project.coverage("json", "--pretty-print", "--data-file=cov.data", "-o", "cov.json")
    fc = project.ferrocov("json", "--pretty-print", "--data-file=fc.data", "-o", "fc.json")
    assert cov.returncode == 0 and fc.returncode == 0, f"{cov.describe()}\n{fc.describe()}"
    assert scrub_json_meta(project.path("fc.json").read_text()) == scrub_json_meta(
        project.path("cov.json").read_text()
    )
