"""Reporting with contexts: ferrocov's reports on a data file that holds contexts equal
coverage.py's on the same file.

The data is coverage.py's own, measured with its C tracer (``COVERAGE_CORE=ctrace``), lines and
branches, in two label shapes: ``[run] dynamic_context = test_function`` (``test_calc.test_add``,
``test_calc.TestAcc.test_push``, the empty context for the rest) and pytest-cov's
(``tests/test_calc.py::test_p[3]|run``, made with ``Coverage.switch_context``, as pytest-cov's
``--cov-context=test`` makes them); one case runs pytest-cov itself. On that data:

- ``report --contexts=...`` / ``[report] contexts``: the narrowed numbers, lines and branches;
  ``xml`` and ``lcov`` ignore the setting, as coverage.py's do; a bad regex is an error.
- ``json --show-contexts``: every field, the contexts of files, functions and classes included.
  coverage.py orders a line's labels as a set iterates and the lines as its SQL rows come, so
  both reports' ``contexts`` objects are compared sorted; ferrocov writes them sorted.
- ``html --show-contexts``: each line's "N ctx" / "(empty)" and its labels (support.html_site),
  the "No contexts were measured" warning, and the page size with 2,000 contexts.
- ``ferrocov contexts FILE[:LINE[-LINE]]``, which coverage.py lacks: checked against
  coverage.py's ``CoverageData.contexts_by_lineno``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import coverage
import pytest
from support import PY311, Project
from support.html_site import assert_same_site, source_page
from support.reports import Pair, both, json_differences, scrub_xml

CALC = """\
DEBUG = False  # pragma: no cover


def add(a, b):
    return a + b


def classify(n):
    if n < 0:
        return "negative"
    if n == 0:
        return "zero"
    return "positive"


class Acc:
    def __init__(self):
        self.total = 0

    def push(self, x):
        if x:
            self.total += x
        return self.total

    def never(self):
        return None
"""

TESTS = """\
from app import calc


def test_add():
    assert calc.add(1, 2) == 3


def test_classify_negative():
    assert calc.classify(-1) == "negative"


def test_classify_zero():
    assert calc.classify(0) == "zero"


class TestAcc:
    def test_push(self):
        assert calc.Acc().push(2) == 2
"""

# test_function: each test_* call is a context, everything else the empty one.
DRIVE = """\
import test_calc
from app import calc

calc.classify(5)
test_calc.test_add()
test_calc.test_classify_negative()
test_calc.test_classify_zero()
test_calc.TestAcc().test_push()
"""

# pytest-cov's labels, switched as its plugin switches them; N tests, phases without code
# leave no context.
SWITCH = """\
import os
import coverage
from app import calc

cov = coverage.Coverage.current()
calc.classify(5)
for i in range(int(os.environ.get("N_TESTS", "7"))):
    for phase in ("setup", "run", "teardown"):
        cov.switch_context(f"tests/test_calc.py::test_p[{i}]|{phase}")
        if phase == "setup" and i % 3 == 0:
            calc.Acc()
        if phase == "run":
            calc.add(i, 1)
            calc.classify(-i if i % 2 else 0)
            calc.Acc().push(i % 4)
"""

CTRACE = {"COVERAGE_CORE": "ctrace"}


def _project(root: Path, kind: str, branch: bool, n_tests: int = 7) -> Project:
    project = Project(root)
    project.write("app/__init__.py", "")
    project.write("app/calc.py", CALC)
    project.write("test_calc.py", TESTS)
    if kind == "test_function":
        project.write(".coveragerc", "[run]\ndynamic_context = test_function\n")
        project.write("drive.py", DRIVE)
    else:
        project.write("drive.py", SWITCH)
    env = {**CTRACE, "N_TESTS": str(n_tests)}
    # pytest-cov measures the code under test (`--cov=app`), so a phase that runs none of it
    # leaves no context; test_function data measures the tests and the driver too.
    only = [] if kind == "test_function" else ["--include=app/*"]
    args = [*(["--branch"] if branch else []), *only, "drive.py"]
    result = project.coverage("run", *args, env=env)
    assert result.returncode == 0, result.describe()
    if kind == "test_function":
        # The reports read the same configuration; measuring is over.
        project.path(".coveragerc").unlink()
    return project


KINDS = ["test_function", "pytest_cov_labels"]


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> Any:
    cache: dict[tuple[str, bool], Project] = {}

    def _measured(kind: str, branch: bool) -> Project:
        key = (kind, branch)
        if key not in cache:
            root = tmp_path_factory.mktemp(f"{kind}_{branch}") / "proj"
            cache[key] = _project(root, kind, branch)
        return cache[key]

    return _measured


def _contexts_of(project: Project) -> set[str]:
    data = coverage.CoverageData(basename=str(project.path(".coverage")))
    data.read()
    return set(data.measured_contexts())


def _same(pair: Pair) -> None:
    assert pair.cov.returncode == pair.fc.returncode, pair.describe()
    assert pair.fc.stdout == pair.cov.stdout, pair.describe()


def test_the_data_holds_contexts(measured: Any) -> None:
    """The oracle's data is what the other tests assume: several contexts, the empty one too."""
    functions = _contexts_of(measured("test_function", False))
    assert functions == {
        "",
        "test_calc.test_add",
        "test_calc.test_classify_negative",
        "test_calc.test_classify_zero",
        "test_calc.TestAcc.test_push",
    }
    labels = _contexts_of(measured("pytest_cov_labels", True))
    assert "tests/test_calc.py::test_p[3]|run" in labels
    assert "tests/test_calc.py::test_p[3]|setup" in labels
    assert "tests/test_calc.py::test_p[1]|setup" not in labels  # ran no measured code


# --- report --contexts ------------------------------------------------------------------------

FILTERS = {
    "test_function": ["test_add", "classify", "^test_calc\\.TestAcc", "nothing-matches", "", "."],
    "pytest_cov_labels": [
        r"\|run$",
        r"test_p\[[13]\]\|run",
        "setup,teardown",
        "^$",
        "a(?=dd)|p\\[0",
        "p\\[{1,1}",
    ],
}


@pytest.mark.parametrize("branch", [False, True], ids=["lines", "branches"])
@pytest.mark.parametrize("kind", KINDS)
def test_report_narrowed_to_contexts(measured: Any, kind: str, branch: bool) -> None:
    project = measured(kind, branch)
    unfiltered = project.coverage("report", "-m").stdout
    for regexes in FILTERS[kind]:
        pair = both(project, "report", "-m", f"--contexts={regexes}")
        _same(pair)
        if regexes in ("nothing-matches", "^$"):
            assert pair.cov.stdout != unfiltered
    pair = both(project, "report", "--format=total", f"--contexts={FILTERS[kind][0]}")
    _same(pair)


@pytest.mark.parametrize("branch", [False, True], ids=["lines", "branches"])
def test_report_contexts_setting_and_option(measured: Any, branch: bool) -> None:
    """``[report] contexts`` narrows report, json and html; ``--contexts`` replaces it; xml and
    lcov ignore it, as coverage.py's do (they have no ``--contexts``)."""
    project = measured("pytest_cov_labels", branch)
    project.write(".coveragerc", "[report]\ncontexts =\n    test_p\\[2\\]\n    test_p\\[5\\]\n")
    try:
        _same(both(project, "report", "-m"))
        _same(both(project, "report", "-m", "--contexts=setup"))
        for cmd, out in (("xml", "xml"), ("lcov", "lcov")):
            pair = Pair(
                project.coverage(cmd, "-o", f"cov.{out}"),
                project.ferrocov(cmd, "-o", f"fc.{out}"),
            )
            assert pair.cov.returncode == pair.fc.returncode == 0, pair.describe()
            cov_text = project.path(f"cov.{out}").read_text()
            fc_text = project.path(f"fc.{out}").read_text()
            if cmd == "xml":
                cov_text, fc_text = scrub_xml(cov_text), scrub_xml(fc_text)
            assert fc_text == cov_text
        rejected = project.ferrocov("xml", "--contexts=x")
        assert rejected.returncode != 0 and "--contexts" in rejected.stderr
        if PY311:
            _compare_json(project, "--show-contexts")
    finally:
        project.path(".coveragerc").unlink()


# Not here, a knowing difference: a variable-width look-behind such as "(?<=a+)b", which Python's
# re refuses and the regex engine ferrocov uses (fancy-regex) accepts and runs.
@pytest.mark.parametrize("regex", ["(", "[a-", "*"])
def test_bad_context_regex_is_a_clear_error(measured: Any, regex: str) -> None:
    project = measured("test_function", False)
    for cmd in ("report", "json", "html"):
        pair = both(project, cmd, f"--contexts=ok,{regex}")
        assert pair.cov.returncode == 1, pair.describe()
        assert pair.fc.returncode == 1, pair.describe()
        assert f"Invalid context regex {regex!r}: " in pair.cov.stdout + pair.cov.stderr
        assert f"ferrocov: error: Invalid context regex {regex!r}: " in pair.fc.stderr, (
            pair.describe()
        )
        assert "panicked" not in pair.fc.stderr


# --- json --show-contexts ---------------------------------------------------------------------


def _sorted_contexts(value: Any) -> Any:
    """Every ``contexts`` object with its lines in numeric order and its labels sorted."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key == "contexts" and isinstance(item, dict):
                out[key] = {line: sorted(item[line]) for line in sorted(item, key=int)}
            else:
                out[key] = _sorted_contexts(item)
        return out
    if isinstance(value, list):
        return [_sorted_contexts(item) for item in value]
    return value


def _compare_json(project: Project, *args: str) -> dict[str, Any]:
    pair = Pair(
        project.coverage("json", "-o", "cov.json", *args),
        project.ferrocov("json", "-o", "fc.json", *args),
    )
    assert pair.cov.returncode == pair.fc.returncode == 0, pair.describe()
    cov = json.loads(project.path("cov.json").read_text())
    fc = json.loads(project.path("fc.json").read_text())
    for report in (cov, fc):
        report["meta"].pop("version")
        report["meta"].pop("timestamp")
    cov, fc = _sorted_contexts(cov), _sorted_contexts(fc)
    differences = json_differences(cov, fc)
    assert not differences, "JSON reports differ:\n" + "\n".join(differences[:60])
    # ferrocov's own order is already the sorted one.
    raw = json.loads(project.path("fc.json").read_text())
    raw["meta"].pop("version")
    raw["meta"].pop("timestamp")
    assert json.dumps(raw) == json.dumps(fc)
    return fc


needs_717 = pytest.mark.skipif(
    not PY311,
    reason="coverage.py 7.16.2 (the oracle on 3.10) gives every region the whole file's "
    "contexts; 7.17.4 gives each its own lines' (#2374), as ferrocov does",
)


@needs_717
@pytest.mark.parametrize("branch", [False, True], ids=["lines", "branches"])
@pytest.mark.parametrize("kind", KINDS)
def test_json_show_contexts(measured: Any, kind: str, branch: bool) -> None:
    project = measured(kind, branch)
    report = _compare_json(project, "--show-contexts")
    assert report["meta"]["show_contexts"] is True
    calc = report["files"]["app/calc.py"]
    assert "" in calc["contexts"]["4"]  # the def line ran at import, in the empty context
    assert calc["functions"]["add"]["contexts"], calc["functions"]["add"]
    _compare_json(project, "--show-contexts", f"--contexts={FILTERS[kind][1]}")
    _compare_json(project, "--show-contexts", "--pretty-print")
    no_contexts = _compare_json(project)
    assert "contexts" not in no_contexts["files"]["app/calc.py"]


@needs_717
def test_json_show_contexts_setting(measured: Any) -> None:
    project = measured("test_function", True)
    project.write(".coveragerc", "[json]\nshow_contexts = true\n")
    try:
        report = _compare_json(project)
        assert report["meta"]["show_contexts"] is True
    finally:
        project.path(".coveragerc").unlink()


# --- html --show-contexts ---------------------------------------------------------------------


def _calc_page(site: Path) -> Path:
    # app/calc.py's page (z_<hash>_calc_py.html), not test_calc.py's.
    (page,) = site.glob("z_*_calc_py.html")
    return page


def _html_both(project: Project, *args: str) -> Pair:
    pair = Pair(
        project.coverage("html", "-d", "cov_html", *args),
        project.ferrocov("html", "-d", "fc_html", *args),
    )
    assert pair.cov.returncode == pair.fc.returncode == 0, pair.describe()
    return pair


@pytest.mark.parametrize("branch", [False, True], ids=["lines", "branches"])
@pytest.mark.parametrize("kind", KINDS)
def test_html_show_contexts(measured: Any, kind: str, branch: bool) -> None:
    project = measured(kind, branch)
    _html_both(project, "--show-contexts")
    assert_same_site(project.path("cov_html"), project.path("fc_html"))
    page = source_page(_calc_page(project.path("fc_html")))
    labels = {line.ctx_label for line in page.lines}
    assert "(empty)" in labels, labels
    assert any(label.endswith(" ctx") for label in labels), labels
    _html_both(project, "--show-contexts", f"--contexts={FILTERS[kind][1]}")
    assert_same_site(project.path("cov_html"), project.path("fc_html"))


def test_html_contexts_without_show_contexts_and_warning(measured: Any, project: Project) -> None:
    ctx = measured("test_function", True)
    _html_both(ctx, "--contexts=test_add")
    assert_same_site(ctx.path("cov_html"), ctx.path("fc_html"))
    # Data measured without contexts: both warn that there are none to show.
    project.write("main.py", "x = 1\n")
    assert project.coverage("run", "main.py").returncode == 0
    pair = _html_both(project, "--show-contexts")
    assert "No contexts were measured" in pair.cov.stderr, pair.describe()
    assert "ferrocov: warning: No contexts were measured" in pair.fc.stderr, pair.describe()
    assert_same_site(project.path("cov_html"), project.path("fc_html"))


def test_html_page_stays_small_with_2000_contexts(tmp_path: Path) -> None:
    project = _project(tmp_path / "proj", "pytest_cov_labels", True, n_tests=2000)
    assert len(_contexts_of(project)) > 2000
    _html_both(project, "--show-contexts")
    assert_same_site(project.path("cov_html"), project.path("fc_html"))
    cov_size = _calc_page(project.path("cov_html")).stat().st_size
    fc_size = _calc_page(project.path("fc_html")).stat().st_size
    print(f"calc page with 2,000 tests: coverage.py {cov_size} bytes, ferrocov {fc_size} bytes")
    # Each page names every label once and lists each line's as runs of indexes into that
    # table; coverage.py also names each label once, with a list of codes per line.
    assert fc_size < cov_size, (cov_size, fc_size)


# --- ferrocov contexts FILE[:LINE[-LINE]] -----------------------------------------------------


def _oracle_contexts(project: Project, path: str, lines: range | None) -> list[str]:
    data = coverage.CoverageData(basename=str(project.path(".coverage")))
    data.read()
    measured = next(f for f in data.measured_files() if f.replace(os.sep, "/").endswith("/" + path))
    found: set[str] = set()
    for line, labels in data.contexts_by_lineno(measured).items():
        if lines is None or line in lines:
            found.update(labels)
    return sorted(found)


@pytest.mark.parametrize("branch", [False, True], ids=["lines", "branches"])
@pytest.mark.parametrize("kind", KINDS)
def test_contexts_command(measured: Any, kind: str, branch: bool) -> None:
    project = measured(kind, branch)
    for spec, lines in [
        ("app/calc.py", None),
        ("app/calc.py:5", range(5, 6)),
        ("app/calc.py:9-13", range(9, 14)),
        ("./app/../app/calc.py:20-22", range(20, 23)),
        (str(project.path("app/calc.py")) + ":1", range(1, 2)),
    ]:
        result = project.ferrocov("contexts", spec)
        assert result.returncode == 0, result.describe()
        expected = _oracle_contexts(project, "app/calc.py", lines)
        assert result.stdout.splitlines() == [c or "(empty)" for c in expected], spec
        as_json = project.ferrocov("contexts", "--json", spec)
        assert as_json.returncode == 0, as_json.describe()
        answer = json.loads(as_json.stdout)
        assert answer["contexts"] == expected
        assert answer["file"].endswith("calc.py")
        assert set(answer["contexts"]) == {c for cs in answer["by_line"].values() for c in cs}


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("nowhere.py", 'No data for "nowhere.py"'),
        ("app/calc.py:0", "Bad line range"),
        ("app/calc.py:9-3", "Bad line range"),
        ("app/calc.py:x", "Bad line range"),
        ("app/calc.py:", "Bad line range"),
    ],
)
def test_contexts_command_errors(measured: Any, spec: str, message: str) -> None:
    project = measured("test_function", False)
    result = project.ferrocov("contexts", spec)
    assert result.returncode == 1, result.describe()
    assert result.stderr.startswith(f"ferrocov: error: {message}"), result.describe()
    assert result.stdout == ""


def test_contexts_command_narrowed(measured: Any) -> None:
    project = measured("pytest_cov_labels", False)
    result = project.ferrocov("contexts", "--contexts=setup", "app/calc.py")
    assert result.returncode == 0, result.describe()
    assert result.stdout.splitlines() == [
        c for c in _oracle_contexts(project, "app/calc.py", None) if "setup" in c
    ]


# --- hostile data --------------------------------------------------------------------------


def _sql(project: Project, *statements: str) -> None:
    import sqlite3

    con = sqlite3.connect(project.path(".coverage"))
    with con:
        for statement in statements:
            con.execute(statement)
    con.close()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (
            "UPDATE context SET context = CAST(X'ff00' AS TEXT) WHERE id = 2",
            "a context name is not valid UTF-8",
        ),
        # (A number stored there becomes text: the column has text affinity.)
        ("UPDATE context SET context = X'6869' WHERE id = 2", "a context name of type Blob"),
        ("DELETE FROM context WHERE id = 2", "refers to missing context id 2"),
    ],
)
def test_odd_context_table_is_a_clear_error(tmp_path: Path, damage: str, message: str) -> None:
    project = _project(tmp_path / "proj", "test_function", False)
    _sql(project, damage)
    for args in (
        ("report", "--contexts=test"),
        ("json", "--show-contexts"),
        ("html", "--show-contexts"),
        ("contexts", "app/calc.py"),
    ):
        result = project.ferrocov(*args)
        assert result.returncode == 1, result.describe()
        assert message in result.stderr, result.describe()
        assert "panicked" not in result.stderr


def test_context_labels_that_look_like_markup(tmp_path: Path) -> None:
    """A label with HTML, quotes, a regex's specials and non-ASCII text survives every report."""
    project = _project(tmp_path / "proj", "pytest_cov_labels", False, n_tests=2)
    _sql(
        project,
        "UPDATE context SET context = '</script><b>\"x\" & é|run' "
        "WHERE context = 'tests/test_calc.py::test_p[1]|run'",
    )
    _html_both(project, "--show-contexts")
    assert_same_site(project.path("cov_html"), project.path("fc_html"))
    if PY311:
        _compare_json(project, "--show-contexts")
    _same(both(project, "report", "--contexts=<b>"))
    result = project.ferrocov("contexts", "app/calc.py:5")
    assert '</script><b>"x" & é|run' in result.stdout, result.describe()


# --- pytest-cov itself -------------------------------------------------------------------------


@pytest.mark.parametrize("branch", [False, True], ids=["lines", "branches"])
def test_pytest_cov_contexts(project: Project, branch: bool) -> None:
    from support.pytest_cov_env import pytest_cov_python

    python = pytest_cov_python()
    project.write("app/__init__.py", "")
    project.write("app/calc.py", CALC)
    project.write("tests/test_calc.py", TESTS)
    project.write("tests/conftest.py", "")
    args = ["-m", "pytest", "-p", "no:cacheprovider", "--cov=app", "--cov-context=test"]
    if branch:
        args.append("--cov-branch")
    result = project.run([python, *args, "tests"], env=CTRACE)
    assert result.returncode == 0, result.describe()
    assert any("|run" in c for c in _contexts_of(project))
    _same(both(project, "report", "-m", "--contexts=classify"))
    if PY311:
        _compare_json(project, "--show-contexts")
    _html_both(project, "--show-contexts")
    assert_same_site(project.path("cov_html"), project.path("fc_html"))
