"""Real packages' own test suites, measured by coverage.py and by ferrocov.

Three pure-Python packages from PyPI, pinned, whose sdists ship tests that pass offline with only
pytest on CPython 3.10-3.13, each in a few seconds:

- **idna 3.20**: a big table-driven package (Unicode data modules of thousands of lines, a codec,
  a CLI) with 6,000+ tests; its pyproject has ``[tool.coverage]`` with ``fail_under``. The
  hypothesis-based tests/test_idna_properties.py is left out (hypothesis is not installed).
- **toolz 1.2.0**: functional utilities with heavy use of decorators, closures, generators,
  ``curry`` and signature introspection; tests live inside the package and its pyproject's
  ``[tool.coverage.run]`` omits some files, so configuration is exercised too.
- **iniconfig 2.3.1**: a src-layout package that pytest itself imports at start-up, so it is
  measured from inside the test runner's own start, before any test runs.

More-itertools is covered elsewhere; these differ from it in layout (src/, tests inside the
package), size and style. For each: ``coverage run --source=PKG -m pytest`` writes a data file;
``coverage report -m`` and ``ferrocov report -m`` on it must print the same table, and ``coverage
json`` and ``ferrocov json`` must agree exactly (files and totals). Then ``ferrocov run
--source=PKG -m pytest`` + ``ferrocov json`` must measure what coverage.py measured: per file the
same statements, missing and executed lines (excluded lines come from the source alone, and the
JSON comparison on the same sources already checks them); ``coverage html`` and ``ferrocov html``
on coverage.py's data must show the same facts (tests/support/html_site.py). coverage.py gets
``[run] patch = subprocess`` for its run, so that it too measures the child processes the tests
start (idna's CLI tests run ``python -m idna``), which ferrocov measures by default.

On Python 3.10 the oracle is coverage.py 7.16.2; a comparison one of its named differences from 7.17
can touch for a package is skipped with the difference as the reason (support/oracle_716.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from packages import PACKAGES, PYTEST_OPTIONS, Package, measure_child_processes
from sdists import sdist, unpack
from support import Project, Result
from support.html_site import assert_same_site
from support.oracle_716 import skip_where_716_differs
from support.reports import assert_same_json, json_differences, json_report

pytestmark = pytest.mark.slow


PYTEST = ("-m", "pytest", *PYTEST_OPTIONS)
TIMEOUT = 600.0


def _checkout(package: Package, tmp_path: Path) -> tuple[Project, dict[str, str]]:
    root = unpack(sdist(package.name, package.version), tmp_path)
    env = {"PYTHONPATH": str(root / package.pythonpath)}
    return Project(root), env


def _pytest_ok(result: Result) -> None:
    assert result.returncode == 0, result.describe()[-4000:]
    assert " passed" in result.stdout, result.describe()[-4000:]


def _json(project: Project, tool: str, data_file: str, out: str) -> dict[str, object]:
    """``TOOL json`` on ``data_file``; the package's own fail_under may make it exit 2."""
    cmd = project.coverage if tool == "coverage" else project.ferrocov
    result = cmd("json", f"--data-file={data_file}", "-o", out, timeout=TIMEOUT)
    assert result.returncode in (0, 2), result.describe()
    assert project.path(out).is_file(), result.describe()
    return json_report(project.path(out))


@dataclass(frozen=True)
class Measured:
    package: Package
    project: Project
    env: dict[str, str]


@pytest.fixture(scope="module", params=PACKAGES, ids=str)
def measured(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Measured:
    """The unpacked package, with ``coverage run --source=PKG -m pytest`` done into cov.data.

    coverage.py runs with ``patch = subprocess`` so that it measures the child processes ferrocov
    measures by default (packages.measure_child_processes); the setting makes it write parallel
    files, combined here, and is taken out again before anything else reads the configuration.
    """
    package: Package = request.param
    project, env = _checkout(package, tmp_path_factory.mktemp(package.name))
    original = measure_child_processes(project.root)
    try:
        result = project.coverage(
            "run",
            "--data-file=cov.data",
            f"--source={package.source}",
            *PYTEST,
            *package.tests,
            env=env,
            timeout=TIMEOUT,
        )
    finally:
        project.path("pyproject.toml").write_text(original, encoding="utf-8")
    _pytest_ok(result)
    combined = project.coverage("combine", "--data-file=cov.data", timeout=TIMEOUT)
    assert combined.returncode == 0, combined.describe()
    return Measured(package, project, env)


def test_text_report_on_coverage_data(measured: Measured) -> None:
    """The text report on coverage.py's data: what a user reads first."""
    project = measured.project
    skip_where_716_differs(project.root, project.path("cov.data"), ["text"])
    cov_text = project.coverage("report", "-m", "--data-file=cov.data", timeout=TIMEOUT)
    fc_text = project.ferrocov("report", "-m", "--data-file=cov.data", timeout=TIMEOUT)
    assert cov_text.returncode in (0, 2), cov_text.describe()
    assert "TOTAL" in cov_text.stdout, cov_text.describe()
    assert fc_text.returncode == cov_text.returncode, fc_text.describe()
    assert fc_text.stdout == cov_text.stdout


def test_json_report_on_coverage_data(measured: Measured) -> None:
    project = measured.project
    skip_where_716_differs(project.root, project.path("cov.data"), ["json"])
    cov = _json(project, "coverage", "cov.data", "cov.json")
    assert len(cov["files"]) >= 2, sorted(cov["files"])  # type: ignore[arg-type]
    _json(project, "ferrocov", "cov.data", "fc.json")
    assert_same_json(project.path("cov.json"), project.path("fc.json"))


def test_html_report_on_coverage_data(measured: Measured) -> None:
    """The HTML site on coverage.py's data shows coverage.py's facts (support/html_site.py)."""
    project = measured.project
    skip_where_716_differs(project.root, project.path("cov.data"), ["html"])
    data = "--data-file=cov.data"
    cov = project.coverage("html", data, "-d", "cov_html", timeout=TIMEOUT)
    fc = project.ferrocov("html", data, "-d", "fc_html", timeout=TIMEOUT)
    assert cov.returncode in (0, 2), cov.describe()
    assert fc.returncode == cov.returncode, fc.describe()
    assert_same_site(project.path("cov_html"), project.path("fc_html"))


def test_ferrocov_run_measures_the_same(measured: Measured) -> None:
    project, package = measured.project, measured.package
    fc_run = project.ferrocov(
        "run",
        "--data-file=fc.data",
        f"--source={package.source}",
        *PYTEST,
        *package.tests,
        env=measured.env,
        timeout=TIMEOUT,
    )
    _pytest_ok(fc_run)

    cov = _json(project, "coverage", "cov.data", "cov-run.json")["files"]
    fc = _json(project, "ferrocov", "fc.data", "fc-run.json")["files"]
    assert isinstance(cov, dict) and isinstance(fc, dict)
    assert sorted(fc) == sorted(cov)
    differences: list[str] = []
    for name in sorted(cov):
        for key in ("executed_lines", "missing_lines"):
            differences += json_differences(cov[name][key], fc[name][key], f"{name}/{key}")
        for key in ("num_statements", "covered_lines", "missing_lines"):
            differences += json_differences(
                cov[name]["summary"][key], fc[name]["summary"][key], f"{name}/summary/{key}"
            )
    assert not differences, "\n".join(differences[:60])
