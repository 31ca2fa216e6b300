"""Branch measurement on 3.10/3.11 closes a code object (the frame gate runs it untraced) once
every arc its lines can take is recorded. These programs run hot code whose last arcs come late,
in several contexts, and from a file changed since its import: coverage.py's reports of our
data must still equal those of its own, and the mechanism must really have closed code (the
corpus runs with closing at the first start in tests/test_branch_parity.py)."""

from __future__ import annotations

import re

import coverage
import pytest
from support import HAS_FRAME_GATE, Project
from support.reports import coverage_py_reports

pytestmark = pytest.mark.skipif(
    not HAS_FRAME_GATE, reason="closing code objects is the 3.10/3.11 frame gate's"
)

# Prints how many code objects ferrocov closed (nothing under coverage.py).
CLOSED_REPORT = """
def report_closed():
    try:
        from ferrocov import _ferrocov
    except ImportError:
        return
    if _ferrocov.status()["active"]:
        print("closed", _ferrocov.status()["closed_code_objects"])
"""

HOT = """
def classify(i):
    if i % 3 == 0:
        kind = "fizz"
    elif i % 5 == 0:
        kind = "buzz"
    else:
        kind = "plain"
    return kind


def late(i):
    total = 0
    for k in range(i % 4):
        total += k
    if i == 4_000:
        return -1
    while total > 2:
        total -= 2
    return total


def rare(i):
    kind = 0
    if i < 4_000:
        kind = 1
    return kind


def multi(i):
    value = (
        i
        + 1
    )
    return [x for x in range(value % 3)] or (
        None
    )
"""

MAIN = (
    CLOSED_REPORT
    + """
import hot

counts = {}
for i in range(5_000):
    kind = hot.classify(i)
    counts[kind] = counts.get(kind, 0) + 1
    hot.late(i)
    hot.rare(i)
    hot.multi(i)
print(sorted(counts.items()))
report_closed()
"""
)


def reports(project: Project, data_file: str, *args: str) -> tuple[str, dict[str, object]]:
    """Only `hot.py`'s: the main programs differ on purpose (only ferrocov's run prints what it
    closed)."""
    return coverage_py_reports(project, data_file, "hot.py", *args)


def closed_count(stdout: str) -> int:
    found = re.search(r"^closed (\d+)$", stdout, re.MULTILINE)
    assert found, stdout
    return int(found.group(1))


@pytest.mark.parametrize("setting", [None, "0"], ids=["default", "at-first-start"])
def test_hot_code_closes_and_reports_match(project: Project, setting: str | None) -> None:
    project.write("hot.py", HOT)
    project.write("main.py", MAIN)
    env = {} if setting is None else {"FERROCOV_BRANCH_CLOSURE": setting}
    cov = project.coverage("run", "--branch", "--data-file=cov.data", "main.py")
    assert cov.returncode == 0, cov.describe()
    fc = project.ferrocov("run", "--branch", "--data-file=fc.data", "main.py", env=env)
    assert fc.returncode == 0, fc.describe()
    # `classify` closes; `late` and `rare` only after i == 4000 takes their last arcs; `multi`'s
    # multi-line statements are compared by their first lines.
    assert closed_count(fc.stdout) >= 2, fc.stdout
    assert reports(project, "fc.data") == reports(project, "cov.data")


def test_switched_off_closes_nothing(project: Project) -> None:
    project.write("hot.py", HOT)
    project.write("main.py", MAIN)
    env = {"FERROCOV_BRANCH_CLOSURE": "off"}
    fc = project.ferrocov("run", "--branch", "--data-file=fc.data", "main.py", env=env)
    assert fc.returncode == 0, fc.describe()
    assert closed_count(fc.stdout) == 0
    cov = project.coverage("run", "--branch", "--data-file=cov.data", "main.py")
    assert reports(project, "fc.data") == reports(project, "cov.data"), cov.describe()


TESTS_BY_HAND = (
    CLOSED_REPORT
    + """
import hot


def test_first():
    for i in range(300):
        hot.classify(i)


def test_second():
    for i in range(1, 300, 3):
        hot.classify(i)
        hot.late(i)
        hot.rare(i * 20)


def test_third():
    for i in range(300):
        hot.classify(i)


test_first()
test_second()
test_third()
report_closed()
"""
)


def test_each_context_records_what_closed_code_runs(project: Project) -> None:
    """A code object closed in one test's context runs traced again in the next one's."""
    project.write("hot.py", HOT)
    project.write("main.py", TESTS_BY_HAND)
    project.write(".coveragerc", "[run]\nbranch = true\ndynamic_context = test_function\n")
    env = {"FERROCOV_BRANCH_CLOSURE": "0"}
    fc = project.ferrocov("run", "--data-file=fc.data", "main.py", env=env)
    assert fc.returncode == 0, fc.describe()
    assert closed_count(fc.stdout) >= 2, fc.stdout
    cov = project.coverage(
        "run", "--data-file=cov.data", "main.py", env={"COVERAGE_CORE": "ctrace"}
    )
    assert cov.returncode == 0, cov.describe()
    data = coverage.CoverageData(basename=str(project.path("cov.data")))
    data.read()
    labels = sorted(data.measured_contexts())
    assert len(labels) == 4, labels
    for label in labels:
        only = f"--contexts=^{re.escape(label)}$"
        assert reports(project, "fc.data", only) == reports(project, "cov.data", only), label


def test_source_changed_since_import(project: Project) -> None:
    """The file on disk is not the one that runs: its arcs cannot close the code."""
    project.write("hot.py", HOT)
    project.write(
        "main.py",
        """
        import pathlib
        import hot

        path = pathlib.Path("hot.py")
        path.write_text("# edited\\n\\n" + path.read_text().replace("return kind", "pass"))
        for i in range(2_000):
            hot.classify(i)
            hot.late(i)
        """,
    )
    original = project.path("hot.py").read_text()
    env = {"FERROCOV_BRANCH_CLOSURE": "0"}
    fc = project.ferrocov("run", "--branch", "--data-file=fc.data", "main.py", env=env)
    assert fc.returncode == 0, fc.describe()
    project.write("hot.py", original)
    cov = project.coverage("run", "--branch", "--data-file=cov.data", "main.py")
    assert cov.returncode == 0, cov.describe()
    # Both tools report against the edited file; the arcs behind the reports must agree.
    assert reports(project, "fc.data") == reports(project, "cov.data")


UNREADABLE = [b"\xff\xfe\x00garbage(((\n", b"def classify(i):\n    if ("]


@pytest.mark.parametrize("replacement", UNREADABLE, ids=["bad-bytes", "truncated"])
def test_source_unreadable_after_import(project: Project, replacement: bytes) -> None:
    """Bad bytes or a truncated file on disk: nothing is closed, nothing lost, the run passes."""
    project.write("hot.py", HOT)
    main = f"""
import pathlib
import hot

pathlib.Path("hot.py").write_bytes({replacement!r})
for i in range(2_000):
    hot.classify(i)
    hot.late(i)
"""
    project.write("main.py", main + CLOSED_REPORT + "\nreport_closed()\n")
    original = project.path("hot.py").read_text()
    arcs = {}
    # By default the file is analysed after 32 starts, when the disk holds the bad bytes.
    for setting in ("32", "off"):
        project.write("hot.py", original)
        env = {"FERROCOV_BRANCH_CLOSURE": setting}
        fc = project.ferrocov("run", "--branch", f"--data-file={setting}.data", "main.py", env=env)
        assert fc.returncode == 0, fc.describe()
        assert closed_count(fc.stdout) == 0, fc.stdout
        data = coverage.CoverageData(basename=str(project.path(f"{setting}.data")))
        data.read()
        hot = next(f for f in data.measured_files() if f.endswith("hot.py"))
        arcs[setting] = sorted(data.arcs(hot) or [])
    assert arcs["32"] and arcs["32"] == arcs["off"]
