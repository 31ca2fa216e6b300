"""ferrocov's pytest plugin against pytest-cov 7.1 on the three real packages' test suites.

For each package (packages.py) the same command line,

    python -m pytest TESTS --cov=PKG --cov-report=term-missing --cov-report=json:cov.json

(and again with ``--cov-branch``) runs twice on its own unpacked sdist: once in the pytest-cov
reference venv (tools/pytest-cov-env.sh: pytest-cov 7.1.0 and its coverage.py, no ferrocov) and once
in this test venv, where ferrocov's plugin is the only coverage plugin (pytest-cov must not be
installed here). Both venvs carry the same pytest, and the package is imported from PYTHONPATH in
both, so the same files are measured. The package's own configuration applies (idna's
``fail_under``, toolz's ``omit``), as it would for a user who swaps the plugins.

``--cov=PKG`` is the import name: for idna and toolz it names the directory in the working
directory, for src-layout iniconfig the package, which pytest itself has imported before any
plugin can start measuring, so its module-level lines count as missed under pytest-cov.

One difference is deliberate and built into the reference run: ferrocov measures every Python
process a test starts (idna's CLI tests run ``python -m idna``), while pytest-cov 7 measures child
processes only when told to with coverage.py's ``[run] patch = subprocess``, its documented way
since 7.0. The reference runs therefore get that one setting added to the package's own
configuration; without it pytest-cov reports idna/__main__.py as 0% covered, which ferrocov,
having measured the child processes, reports as 100%.

The terminal report must be the same: every row of the table (Stmts, Miss, Branch, BrPart, Cover,
Missing), the TOTAL row, the lines around it (fail-under verdict, "written to" notices) and
pytest-cov's headings. The JSON reports must agree per file on executed, missing and excluded
lines, executed and missing branches, and on the totals.
"""

from __future__ import annotations

import copy
import importlib.metadata
import importlib.util
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from packages import PACKAGES, PYTEST_OPTIONS, Package, add_run_setting, measure_child_processes
from sdists import sdist, unpack
from support import Result, run
from support.oracle_716 import ORACLE_IS_717, extra_717_exclusions, skip_where_716_differs
from support.pytest_cov_env import pytest_cov_python as reference_python
from support.reports import json_differences

pytestmark = pytest.mark.slow

TIMEOUT = 900.0
# Both runs draw their separator lines to this width.
COLUMNS = "100"

# On Python 3.10 pytest-cov runs on coverage.py 7.16.2 (7.17 needs 3.11+), and ferrocov reports as
# 7.17 does: 7.17 anchors its default `if TYPE_CHECKING:` exclusion so that the blank lines before
# the `if` are excluded too (support/oracle_716.py). Excluded lines are no statements, so the table
# is the same; the JSON report lists the extra excluded lines, which _as_717_reports adds to the
# reference, file by file, from coverage.py's own parse of the source with each version's regex.


@pytest.fixture(scope="session")
def pytest_cov_python() -> str:
    """The python of the pytest-cov reference venv for this Python version, built on first use."""
    return reference_python()


@pytest.fixture(scope="session")
def ferrocov_plugin() -> None:
    """This venv measures with ferrocov's plugin alone."""
    assert importlib.util.find_spec("pytest_cov") is None, (
        "pytest-cov is installed in the test venv: the parity test needs ferrocov's plugin alone"
    )
    plugins = [
        ep
        for ep in importlib.metadata.entry_points(group="pytest11")
        if ep.value.split(".")[0] == "ferrocov"
    ]
    assert plugins, "ferrocov registers no pytest11 entry point: its pytest plugin is not installed"


@dataclass(frozen=True)
class Report:
    """What one ``pytest --cov`` run printed and wrote."""

    result: Result
    root: Path  # the unpacked sdist it ran in
    section: list[str]  # the coverage section of the terminal summary, headings included
    table: dict[str, list[str]]  # row name (file or TOTAL) -> the table's columns, Missing last
    json: dict[str, Any]


def _run_pytest(
    package: Package,
    python: str,
    where: Path,
    *,
    reference: bool,
    branch: bool,
    contexts: str | None = None,
) -> Report:
    """`contexts`: "test" for pytest-cov's ``--cov-context=test``, "test_function" for
    coverage.py's ``[run] dynamic_context``, added to the package's configuration."""
    root = unpack(sdist(package.name, package.version), where)
    if reference:
        measure_child_processes(root)
    if contexts == "test_function":
        add_run_setting(root, 'dynamic_context = "test_function"')
    env = {
        "PYTHONPATH": str(root / package.pythonpath),
        "COLUMNS": COLUMNS,
        # The outer pytest's settings must not reach the inner one.
        "PYTEST_ADDOPTS": None,
        "PYTEST_PLUGINS": None,
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": None,
        "PYTEST_XDIST_WORKER": None,
        "PYTEST_XDIST_WORKER_COUNT": None,
        "PYTEST_XDIST_TESTRUNUID": None,
        "PYTEST_CURRENT_TEST": None,
        # coverage.py's core that credits every test with its lines (the default before 3.14);
        # ferrocov would warn that it ignores the setting.
        "COVERAGE_CORE": "ctrace" if contexts and reference else None,
    }
    result = run(
        [
            python,
            "-m",
            "pytest",
            *PYTEST_OPTIONS,
            *package.tests,
            f"--cov={package.name}",
            "--cov-report=term-missing",
            "--cov-report=json:cov.json",
            *(["--cov-branch"] if branch else []),
            *(["--cov-context=test"] if contexts == "test" else []),
            # pytest-cov warns that `--cov-context` would do better, an error under toolz's
            # `filterwarnings = error`; ferrocov warns only when both are asked for.
            *(
                ["-W", "ignore::pytest_cov.CentralCovContextWarning"]
                if reference and contexts == "test_function"
                else []
            ),
            # A knowing difference (tests/plugin/test_cov_context.py checks ours): the lines a
            # child process runs carry its test's label in ferrocov's data, none in pytest-cov's.
            *(f"--deselect={t}" for t in (package.starts_processes if contexts else ())),
        ],
        root,
        env=env,
        timeout=TIMEOUT,
    )
    assert result.returncode == 0, result.describe()[-6000:]
    assert " passed" in result.stdout, result.describe()[-6000:]
    section = coverage_section(result.stdout)
    assert section, f"no coverage section in the output:\n{result.describe()[-6000:]}"
    report_file = root / "cov.json"
    assert report_file.is_file(), result.describe()[-6000:]
    return Report(result, root, section, table_rows(section), json.loads(report_file.read_text()))


_SEPARATOR = re.compile(r"^([=_-])\1+ (.*) \1+$")
_SESSION_END = re.compile(r"^\d+ (passed|failed|skipped|error)")


def coverage_section(stdout: str) -> list[str]:
    """The lines from pytest-cov's "tests coverage" heading to the next section of the summary."""
    lines = stdout.splitlines()
    starts = [
        n
        for n, line in enumerate(lines)
        if (match := _SEPARATOR.match(line)) and match.groups() == ("=", "tests coverage")
    ]
    if not starts:
        return []
    section = [lines[starts[0]]]
    for line in lines[starts[0] + 1 :]:
        match = _SEPARATOR.match(line)
        if (match and match.group(1) == "=") or _SESSION_END.match(line):
            break
        section.append(line)
    while section and not section[-1].strip():
        section.pop()
    return section


TABLE_COLUMNS = ("Stmts", "Miss", "Branch", "BrPart", "Cover", "Missing")


def table_rows(section: list[str]) -> dict[str, list[str]]:
    """The report table's rows by name: the columns of its heading (Stmts, Miss, then Branch and
    BrPart with branches, Cover, Missing), Missing possibly empty; the heading is row "Name"."""
    rows: dict[str, list[str]] = {}
    columns = 0
    for line in section:
        heading = line.split()
        if heading[:3] == ["Name", "Stmts", "Miss"]:
            rows["Name"] = heading[1:]
            columns = len(heading) - 1  # Missing included
            continue
        if not columns or not line.strip() or set(line) <= {"-", " "}:
            continue
        fields = line.split(None, columns)
        cover = columns - 1  # the Cover column's index, counting Name as 0
        if len(fields) < cover + 1 or not fields[cover].endswith("%"):
            columns = 0  # the lines below the table
            continue
        rows[fields[0]] = [
            *fields[1 : cover + 1],
            fields[cover + 1] if len(fields) > cover + 1 else "",
        ]
        if fields[0] == "TOTAL":
            columns = 0
    return rows


def table_differences(expected: dict[str, list[str]], actual: dict[str, list[str]]) -> list[str]:
    """Per row, what pytest-cov printed and what ferrocov printed, where they differ."""
    columns = expected.get("Name", list(TABLE_COLUMNS))
    out = []
    for name in list(expected) + [n for n in actual if n not in expected]:
        if name not in actual:
            out.append(f"{name}: only in pytest-cov's table")
        elif name not in expected:
            out.append(f"{name}: only in ferrocov's table")
        else:
            for column, want, got in zip(columns, expected[name], actual[name], strict=True):
                if want != got:
                    out.append(f"{name} {column}: pytest-cov={want!r} ferrocov={got!r}")
    if not out and list(expected) != list(actual):
        out.append(f"row order: pytest-cov={list(expected)} ferrocov={list(actual)}")
    return out


LINE_KEYS = ("executed_lines", "missing_lines", "excluded_lines")
SUMMARY_KEYS = (
    "num_statements",
    "covered_lines",
    "missing_lines",
    "excluded_lines",
    "num_branches",
    "num_partial_branches",
    "covered_branches",
    "missing_branches",
)


def json_file_differences(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """Per file and in total, where the two JSON reports disagree on what was measured."""
    cov_files, fc_files = expected["files"], actual["files"]
    assert isinstance(cov_files, dict) and isinstance(fc_files, dict)
    out = json_differences(sorted(cov_files), sorted(fc_files), "files")
    for name in sorted(cov_files.keys() & fc_files.keys()):
        cov, fc = cov_files[name], fc_files[name]
        for key in (*LINE_KEYS, "executed_branches", "missing_branches"):
            if key in cov or key in fc:
                out += json_differences(cov.get(key), fc.get(key), f"{name}/{key}")
        for key in SUMMARY_KEYS:
            if key in cov["summary"] or key in fc["summary"]:
                cov_value, fc_value = cov["summary"].get(key), fc["summary"].get(key)
                out += json_differences(cov_value, fc_value, f"{name}/{key}")
    cov_totals, fc_totals = expected["totals"], actual["totals"]
    assert isinstance(cov_totals, dict) and isinstance(fc_totals, dict)
    for key in SUMMARY_KEYS:
        if key in cov_totals or key in fc_totals:
            cov_value, fc_value = cov_totals.get(key), fc_totals.get(key)
            out += json_differences(cov_value, fc_value, f"totals/{key}")
    return out


def _as_717_reports(reference: Report) -> dict[str, Any]:
    """The JSON report of coverage.py 7.16.2 with the exclusions 7.17 adds (a deep copy)."""
    report = copy.deepcopy(reference.json)
    for name, entry in report["files"].items():
        lines = extra_717_exclusions(reference.root, str(reference.root / name))
        entry["excluded_lines"] = sorted(set(entry["excluded_lines"]) | lines)
        added = len(entry["excluded_lines"]) - entry["summary"]["excluded_lines"]
        entry["summary"]["excluded_lines"] += added
        report["totals"]["excluded_lines"] += added
    return report


@pytest.mark.parametrize("branch", [False, True], ids=["lines", "branches"])
@pytest.mark.parametrize("package", PACKAGES, ids=str)
def test_same_report_as_pytest_cov(
    package: Package, branch: bool, tmp_path: Path, pytest_cov_python: str, ferrocov_plugin: None
) -> None:
    reference = _run_pytest(
        package, pytest_cov_python, tmp_path / "pytest-cov", reference=True, branch=branch
    )
    # The table and the fail-under verdict can't be translated; the JSON's extra exclusions can.
    skip_where_716_differs(reference.root, reference.root / ".coverage", ["text", "fail-under"])
    ours = _run_pytest(
        package, sys.executable, tmp_path / "ferrocov", reference=False, branch=branch
    )
    assert ("Branch" in reference.table["Name"]) == branch, "\n".join(reference.section)

    assert "TOTAL" in reference.table, "\n".join(reference.section)
    differences = table_differences(reference.table, ours.table)
    assert not differences, "term-missing tables differ:\n" + "\n".join(differences)

    expected_json = reference.json if ORACLE_IS_717 else _as_717_reports(reference)
    differences = json_file_differences(expected_json, ours.json)
    assert not differences, "JSON reports differ:\n" + "\n".join(differences[:60])

    # Everything else in the section: headings, separators, fail-under verdict, notices.
    assert ours.section == reference.section, (
        "coverage sections differ\n--- pytest-cov\n"
        + "\n".join(reference.section)
        + "\n--- ferrocov\n"
        + "\n".join(ours.section)
    )


def _contexts_by_line(root: Path, branch: bool) -> dict[str, dict[int, list[str]]]:
    """Per measured file (relative to `root`), per line, the sorted labels of the tests that ran
    it, as coverage.py reads the data file."""
    import coverage

    data = coverage.CoverageData(basename=str(root / ".coverage"))
    data.read()
    assert data.has_arcs() == branch
    result = {}
    for measured in data.measured_files():
        name = Path(measured).resolve().relative_to(root.resolve()).as_posix()
        by_line = data.contexts_by_lineno(measured)
        result[name] = {line: sorted(labels) for line, labels in sorted(by_line.items())}
    return result


@pytest.mark.parametrize("branch", [False, True], ids=["lines", "branches"])
@pytest.mark.parametrize("contexts", ["test", "test_function"])
@pytest.mark.parametrize("package", PACKAGES, ids=str)
def test_same_contexts_as_pytest_cov(
    package: Package,
    contexts: str,
    branch: bool,
    tmp_path: Path,
    pytest_cov_python: str,
    ferrocov_plugin: None,
) -> None:
    """Per file and line, the same tests as pytest-cov with coverage.py's C tracer, and the
    same reports: ``--cov-context=test`` (pytest-cov's ``nodeid|phase`` labels) and ``[run]
    dynamic_context = "test_function"`` (coverage.py's qualified test names)."""
    reference = _run_pytest(
        package,
        pytest_cov_python,
        tmp_path / "pytest-cov",
        reference=True,
        branch=branch,
        contexts=contexts,
    )
    ours = _run_pytest(
        package,
        sys.executable,
        tmp_path / "ferrocov",
        reference=False,
        branch=branch,
        contexts=contexts,
    )
    expected = _contexts_by_line(reference.root, branch)
    got = _contexts_by_line(ours.root, branch)
    labels = {label for lines in expected.values() for ls in lines.values() for label in ls}
    # pytest-cov's labels end in a phase; coverage.py's name a test function, "mod.Class.test_x".
    sign = "|run" if contexts == "test" else ".test"
    assert any(sign in label for label in labels), sorted(labels)[:10]
    differences = [
        f"{name}:{line}: pytest-cov {expected.get(name, {}).get(line)} "
        f"ferrocov {got.get(name, {}).get(line)}"
        for name in sorted(set(expected) | set(got))
        for line in sorted(set(expected.get(name, {})) | set(got.get(name, {})))
        if expected.get(name, {}).get(line) != got.get(name, {}).get(line)
    ]
    assert not differences, f"{len(differences)} lines differ:\n" + "\n".join(differences[:40])
    assert table_differences(reference.table, ours.table) == []
