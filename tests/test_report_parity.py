"""ferrocov's reports vs coverage.py's, both reading the same coverage.py-written data file.

For every corpus program, ``coverage run`` writes ``.coverage``; then coverage.py and ferrocov each
report on that one file: ``report -m`` (text), ``report --format=markdown``, ``report
--format=total``, ``json`` (files and totals), ``xml`` (all but version and timestamp), ``lcov`` and
``annotate -d``, which must be identical. A second part runs the report options and configuration
settings on one multi-file project. Any difference here is a ferrocov bug: the data is shared, so
only the analysis and the formatting can differ.

On Python 3.10 the oracle is coverage.py 7.16.2: every case runs against it, except those whose
inputs one of its named differences from 7.17 can touch (support/oracle_716.py), which are skipped
with the difference as the reason.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from support import PY311, Project, Result, needs_py311, program_names
from support.oracle_716 import skip_where_716_differs
from support.reports import (
    Pair,
    assert_same_json,
    both,
    json_report,
    read_tree,
    scrub_json_meta,
    scrub_xml,
)

PROGRAMS = program_names()


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str], Project]:
    """measured(program, output) -> a project where ``coverage run program`` wrote ``.coverage``,
    for a test comparing ``output`` (see support.oracle_716.OUTPUTS).

    Measured once per program and module: every format's test reports on the same data, each
    writing its output under its own name.
    """
    cache: dict[str, Project] = {}

    def _measured(program: str, output: str) -> Project:
        if needs_py311(program) and not PY311:
            pytest.skip("needs Python 3.11+ syntax or APIs")
        if program not in cache:
            project = Project(tmp_path_factory.mktemp(program.removesuffix(".py")) / "proj")
            project.copy_program(program)
            result = project.coverage("run", program)
            assert project.path(".coverage").is_file(), result.describe()
            cache[program] = project
        project = cache[program]
        _skip_where_716_differs(project, output)
        return project

    return _measured


def _skip_where_716_differs(project: Project, *outputs: str, **kwargs: Any) -> None:
    """Skip where the oracle is coverage.py 7.16.2 and it differs from 7.17 on this project."""
    skip_where_716_differs(project.root, project.path(".coverage"), outputs, **kwargs)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _same_output(pair: Pair, rename: tuple[str, str] | None = None) -> None:
    """Both succeed with the same stdout and stderr (``rename``: coverage.py's output file name
    and ferrocov's, where each wrote its own)."""
    assert pair.cov.returncode == 0, pair.describe()
    assert pair.fc.returncode == pair.cov.returncode, pair.describe()
    cov_out, cov_err = pair.cov.stdout, pair.cov.stderr
    if rename is not None:
        cov_out, cov_err = (text.replace(*rename) for text in (cov_out, cov_err))
    assert (pair.fc.stdout, pair.fc.stderr) == (cov_out, cov_err), pair.describe()


def _write_both(project: Project, cmd: str, out: str, *args: str) -> Pair:
    """``coverage CMD -o cov.OUT`` and ``ferrocov CMD -o fc.OUT``; both must succeed.

    The caller compares the files first and then the messages (``_same_output``), so a test
    whose files differ says so even when the messages differ too.
    """
    pair = Pair(
        project.coverage(cmd, "-o", f"cov.{out}", *args),
        project.ferrocov(cmd, "-o", f"fc.{out}", *args),
    )
    assert pair.cov.returncode == 0, pair.describe()
    assert pair.fc.returncode == 0, pair.describe()
    return pair


def _annotate_both(project: Project) -> Pair:
    pair = Pair(
        project.coverage("annotate", "-d", "cov_annotated"),
        project.ferrocov("annotate", "-d", "fc_annotated"),
    )
    assert pair.cov.returncode == 0, pair.describe()
    assert pair.fc.returncode == 0, pair.describe()
    return pair


# --- every corpus program, every format ----------------------------------------------------------


@pytest.mark.parametrize("program", PROGRAMS)
def test_report_text(measured: Callable[[str, str], Project], program: str) -> None:
    project = measured(program, "text")
    before = _digest(project.path(".coverage"))
    pair = both(project, "report", "-m")
    _same_output(pair)
    assert program in pair.cov.stdout
    assert _digest(project.path(".coverage")) == before, "reporting changed the data file"


@pytest.mark.parametrize("program", PROGRAMS)
def test_report_markdown(measured: Callable[[str, str], Project], program: str) -> None:
    _same_output(both(measured(program, "text"), "report", "--format=markdown"))


@pytest.mark.parametrize("program", PROGRAMS)
def test_report_total(measured: Callable[[str, str], Project], program: str) -> None:
    _same_output(both(measured(program, "text"), "report", "--format=total"))


@pytest.mark.parametrize("program", PROGRAMS)
def test_json(measured: Callable[[str, str], Project], program: str) -> None:
    project = measured(program, "json")
    _write_both(project, "json", "json")
    assert_same_json(project.path("cov.json"), project.path("fc.json"))


@pytest.mark.parametrize("program", PROGRAMS)
def test_xml(measured: Callable[[str, str], Project], program: str) -> None:
    project = measured(program, "xml")
    _write_both(project, "xml", "xml")
    cov_text = scrub_xml(project.path("cov.xml").read_text(encoding="utf-8"))
    fc_text = scrub_xml(project.path("fc.xml").read_text(encoding="utf-8"))
    assert fc_text == cov_text


@pytest.mark.parametrize("program", PROGRAMS)
def test_lcov(measured: Callable[[str, str], Project], program: str) -> None:
    project = measured(program, "lcov")
    _write_both(project, "lcov", "lcov")
    assert project.path("fc.lcov").read_text() == project.path("cov.lcov").read_text()


@pytest.mark.parametrize("program", PROGRAMS)
def test_annotate(measured: Callable[[str, str], Project], program: str) -> None:
    project = measured(program, "annotate")
    _annotate_both(project)
    cov_tree = read_tree(project.path("cov_annotated"))
    assert cov_tree, "coverage.py annotated nothing"
    assert read_tree(project.path("fc_annotated")) == cov_tree


# --- options and configuration, on one project with several files --------------------------------

MAIN = """\
from app import full, partial, guarded
from app.sub import deep

full.add(1, 2)
partial.classify(5)
partial.classify(-1)
guarded.helper(False)
deep.walk(3)
"""

FULL = """\
def add(a, b):
    return a + b
"""

PARTIAL = """\
def classify(n):
    if n < 0:
        return "negative"
    if n == 0:
        return "zero"
    return "positive"


def unused():
    total = 0
    for i in range(3):
        total += i
    return total
"""

GUARDED = """\
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable


class Thing:
    def __repr__(self):
        return "Thing()"


def helper(flag):
    if flag:
        raise NotImplementedError("later")
    if flag is None:  # debug-only
        print("never")
    return 1


def abstract():  # pragma: no cover
    raise NotImplementedError
"""

DEEP = """\
def walk(n):
    steps = []
    while n > 0:
        steps.append(n)
        n -= 1
    return steps


def never():
    return None
"""


@pytest.fixture
def multi(project: Project) -> Project:
    """A package with an empty ``__init__``, a fully covered, a partly covered, a subpackage and
    a module with exclusion candidates, measured by ``coverage run main.py``."""
    project.write("main.py", MAIN)
    project.write("app/__init__.py", "")
    project.write("app/full.py", FULL)
    project.write("app/partial.py", PARTIAL)
    project.write("app/guarded.py", GUARDED)
    project.write("app/sub/__init__.py", "")
    project.write("app/sub/deep.py", DEEP)
    return project


def _measure(project: Project, *outputs: str, **kwargs: Any) -> None:
    """``coverage run main.py``, for a test comparing ``outputs`` (a fail-under threshold given on
    the command line as ``fail_under``)."""
    result = project.coverage("run", "main.py")
    assert result.returncode == 0, result.describe()
    _skip_where_716_differs(project, *outputs, **kwargs)


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(("report", "-m"), id="show-missing"),
        pytest.param(("report", "--skip-covered"), id="skip-covered"),
        pytest.param(("report", "--skip-empty"), id="skip-empty"),
        pytest.param(("report", "--skip-covered", "--skip-empty", "-m"), id="skip-both"),
        pytest.param(("report", "--sort=-cover"), id="sort-cover-desc"),
        pytest.param(("report", "--sort=miss"), id="sort-miss"),
        pytest.param(("report", "--sort=Name"), id="sort-name"),
        pytest.param(("report", "--precision=2", "-m"), id="precision-2"),
        pytest.param(("report", "--format=markdown", "--precision=1"), id="markdown-precision"),
        pytest.param(("report", "--format=total", "--precision=3"), id="total-precision"),
        pytest.param(("report", "--include=app/partial.py,app/sub/*"), id="include"),
        pytest.param(("report", "--omit=app/full.py,main.py"), id="omit"),
        pytest.param(("report", "--omit=*/sub/*", "--format=markdown"), id="omit-markdown"),
    ],
)
def test_report_options(multi: Project, args: tuple[str, ...]) -> None:
    _measure(multi, "text")
    _same_output(both(multi, *args))


def test_options_change_the_report(multi: Project) -> None:
    """The option cases above only mean something if the options change coverage.py's output."""
    _measure(multi)
    plain = multi.coverage("report").stdout
    assert "app/full.py" not in multi.coverage("report", "--skip-covered").stdout
    assert "app/__init__.py" not in multi.coverage("report", "--skip-empty").stdout
    assert "app/__init__.py" in plain
    assert "%" in plain and ".00%" not in plain
    assert ".00%" in multi.coverage("report", "--precision=2").stdout


@pytest.mark.parametrize("cmd", ["report", "json", "xml", "lcov"])
@pytest.mark.parametrize("threshold", ["99", "50", "77.5"])
def test_fail_under(multi: Project, cmd: str, threshold: str) -> None:
    outputs = ("text", "fail-under") if cmd == "report" else ("fail-under",)
    _measure(multi, *outputs, fail_under=float(threshold))
    pair = both(multi, cmd, f"--fail-under={threshold}")
    assert pair.fc.returncode == pair.cov.returncode, pair.describe()
    # The "Wrote ... report" line is test_write_messages' business; the verdict is checked here.
    assert _failure_lines(pair.fc) == _failure_lines(pair.cov), pair.describe()
    if cmd == "report":
        assert pair.fc.stdout == pair.cov.stdout, pair.describe()
    if threshold == "99":
        assert pair.cov.returncode == 2, pair.describe()
        assert "Coverage failure: total of " in pair.cov.stdout
        assert "is less than fail-under=99" in pair.fc.stdout
    elif threshold == "50":
        assert pair.cov.returncode == 0, pair.describe()


def _failure_lines(result: Result) -> tuple[list[str], list[str]]:
    """The fail-under verdict lines, by stream (stdout, stderr)."""

    def verdict(text: str) -> list[str]:
        return [line for line in text.splitlines() if "fail-under" in line]

    return verdict(result.stdout), verdict(result.stderr)


def test_fail_under_from_config_with_precision(multi: Project) -> None:
    _measure(multi, "text")
    multi.write(".coveragerc", "[report]\nfail_under = 99.5\nprecision = 1\n")
    pair = both(multi, "report")
    assert pair.cov.returncode == 2, pair.describe()
    assert pair.fc.returncode == 2, pair.describe()
    assert _failure_lines(pair.fc) == _failure_lines(pair.cov), pair.describe()
    assert pair.fc.stdout == pair.cov.stdout, pair.describe()


@pytest.mark.parametrize(
    "rc",
    [
        pytest.param(
            """\
            [report]
            exclude_also =
                raise NotImplementedError
                def __repr__
                if TYPE_CHECKING:
            """,
            id="exclude_also",
        ),
        pytest.param(
            """\
            [report]
            exclude_lines =
                if flag is None:
                def never
            """,
            id="exclude_lines",
        ),
        pytest.param(
            """\
            [report]
            show_missing = True
            """,
            id="show_missing",
        ),
        pytest.param(
            """\
            [report]
            skip_covered = True
            skip_empty = True
            sort = -miss
            """,
            id="skip-and-sort",
        ),
        pytest.param(
            """\
            [report]
            omit = app/sub/*
            include = app/*
            """,
            id="include-omit",
        ),
    ],
)
def test_report_config(multi: Project, rc: str) -> None:
    """Exclusions, show_missing and filters from ``.coveragerc``, through every format."""
    multi.write(".coveragerc", rc)
    _measure(multi, "text", "json", "xml", "lcov")
    _same_output(both(multi, "report"))
    _same_output(both(multi, "report", "--format=markdown"))
    for cmd in ("json", "xml", "lcov"):
        _write_both(multi, cmd, cmd)
    assert_same_json(multi.path("cov.json"), multi.path("fc.json"))
    assert scrub_xml(multi.path("fc.xml").read_text()) == scrub_xml(
        multi.path("cov.xml").read_text()
    )
    assert multi.path("fc.lcov").read_text() == multi.path("cov.lcov").read_text()


def test_exclusions_take_effect(multi: Project) -> None:
    """The exclusion configs above only mean something if coverage.py excludes lines."""
    multi.write(".coveragerc", "[report]\nexclude_also =\n    raise NotImplementedError\n")
    _measure(multi)
    cov = multi.coverage("json", "-o", "cov.json")
    assert cov.returncode == 0, cov.describe()
    files = json_report(multi.path("cov.json"))["files"]
    assert files["app/guarded.py"]["excluded_lines"], files["app/guarded.py"]


def test_xml_package_depth(multi: Project) -> None:
    multi.write(".coveragerc", "[xml]\npackage_depth = 1\n")
    _measure(multi, "xml")
    _write_both(multi, "xml", "xml")
    cov_text = scrub_xml(multi.path("cov.xml").read_text())
    assert 'package name="app.sub"' not in cov_text  # depth 1 folds the subpackage into "app"
    assert scrub_xml(multi.path("fc.xml").read_text()) == cov_text


def test_xml_default_package_depth_splits_subpackages(multi: Project) -> None:
    _measure(multi, "xml")
    _write_both(multi, "xml", "xml")
    cov_text = scrub_xml(multi.path("cov.xml").read_text())
    assert 'package name="app.sub"' in cov_text
    assert scrub_xml(multi.path("fc.xml").read_text()) == cov_text


def test_lcov_line_checksums(multi: Project) -> None:
    multi.write(".coveragerc", "[lcov]\nline_checksums = true\n")
    _measure(multi, "lcov")
    _write_both(multi, "lcov", "lcov")
    cov_text = multi.path("cov.lcov").read_text()
    assert "DA:1,1," in cov_text  # DA:<line>,<hits>,<checksum>
    assert multi.path("fc.lcov").read_text() == cov_text


@pytest.mark.parametrize("how", ["config", "option"])
def test_json_pretty_print(multi: Project, how: str) -> None:
    if how == "config":
        multi.write(".coveragerc", "[json]\npretty_print = true\n")
        args: tuple[str, ...] = ()
    else:
        args = ("--pretty-print",)
    _measure(multi, "json")
    _write_both(multi, "json", "json", *args)
    cov_text = multi.path("cov.json").read_text()
    assert "\n    " in cov_text
    assert_same_json(multi.path("cov.json"), multi.path("fc.json"))
    # The layout too: same indentation, key order and separators, not just the same values.
    assert scrub_json_meta(multi.path("fc.json").read_text()) == scrub_json_meta(cov_text)


def test_json_compact_layout(multi: Project) -> None:
    _measure(multi, "json")
    _write_both(multi, "json", "json")
    assert_same_json(multi.path("cov.json"), multi.path("fc.json"))
    cov_text = multi.path("cov.json").read_text()
    assert scrub_json_meta(multi.path("fc.json").read_text()) == scrub_json_meta(cov_text)


def test_annotate_multi_file(multi: Project) -> None:
    _measure(multi, "annotate")
    _annotate_both(multi)
    cov_tree = read_tree(multi.path("cov_annotated"))
    assert len(cov_tree) >= 4, sorted(cov_tree)
    assert read_tree(multi.path("fc_annotated")) == cov_tree


@pytest.mark.parametrize("cmd", ["report", "json", "xml", "lcov", "annotate"])
def test_no_data(project: Project, cmd: str) -> None:
    project.write("main.py", "print('never measured')\n")
    pair = both(project, cmd)
    assert pair.cov.returncode == 1, pair.describe()
    assert "No data to report." in pair.cov.output
    assert pair.fc.returncode == 1, pair.describe()
    assert "No data to report." in pair.fc.output, pair.describe()
    assert not project.path(".coverage").exists()


@pytest.mark.parametrize("cmd", ["report", "json", "xml", "lcov", "annotate"])
def test_no_data_message_matches(project: Project, cmd: str) -> None:
    """The same message and status as coverage.py. Deliberate difference: coverage.py prints its
    errors on stdout; ferrocov keeps stdout for data (a report, possibly piped) and prints errors
    on stderr, prefixed "ferrocov: error:" like its other errors."""
    project.write("main.py", "print('never measured')\n")
    pair = both(project, cmd)
    assert pair.fc.returncode == pair.cov.returncode == 1, pair.describe()
    assert pair.cov.stdout.strip() == "No data to report.", pair.describe()
    assert pair.fc.stdout == "", pair.describe()
    assert pair.fc.stderr.strip() == "ferrocov: error: No data to report.", pair.describe()


@pytest.mark.parametrize("cmd", ["json", "xml", "lcov", "annotate"])
def test_write_messages(multi: Project, cmd: str) -> None:
    """What each file-writing command prints, and on which stream, is coverage.py's.

    coverage.py prints "Wrote JSON report to F" on stderr, so ``json -o -`` and friends keep
    stdout clean; a different stream breaks scripts that capture one of them.
    """
    _measure(multi)
    if cmd == "annotate":
        _same_output(_annotate_both(multi), ("cov_annotated", "fc_annotated"))
    else:
        _same_output(_write_both(multi, cmd, cmd), (f"cov.{cmd}", f"fc.{cmd}"))


@pytest.mark.parametrize("cmd", ["json", "xml", "lcov"])
def test_default_output_file(multi: Project, cmd: str) -> None:
    """Without -o, each writes coverage.json / coverage.xml / coverage.lcov in the cwd, holding
    what coverage.py writes there."""
    _measure(multi, cmd)
    cov = multi.coverage(cmd)
    assert cov.returncode == 0, cov.describe()
    written = multi.path(f"coverage.{cmd}")
    theirs = written.rename(multi.path(f"theirs.{cmd}"))
    fc = multi.ferrocov(cmd)
    assert fc.returncode == 0, fc.describe()
    assert written.is_file(), fc.describe()
    if cmd == "json":
        assert "app/partial.py" in json_report(theirs)["files"]
        assert_same_json(theirs, written)
    elif cmd == "xml":
        assert 'filename="app/partial.py"' in theirs.read_text()
        assert scrub_xml(written.read_text()) == scrub_xml(theirs.read_text())
    else:
        assert "SF:app/partial.py\n" in theirs.read_text()
        assert written.read_bytes() == theirs.read_bytes()
