"""On 3.12/3.13 a code object that has reported every line it has in the current context stops
hearing LINE (tracer/line_completion.rs): CPython keeps a LINE instrument on jump targets that are
only reached from their own line (a comprehension's loop head, `a or b`), and only turning the
event off removes it. These programs check that it really goes off, that what it no longer
hears was not needed (arcs that come after the lines, a later context), and that code with a line
not yet run keeps it."""

from __future__ import annotations

import json
import re
import sys

import coverage
import pytest
from support import Project
from support.reports import coverage_py_reports

pytestmark = pytest.mark.skipif(
    not (3, 12) <= sys.version_info < (3, 14),
    reason="turning LINE off is the 3.12/3.13 sys.monitoring tracer's",
)

CODE = """
def full(i):
    squares = [k * k for k in range(i % 5) if k]
    pick = squares or None
    label = "odd" if i % 2 else "even"
    for k in range(3): i += k
    return pick, label, i


def partial(i):
    if i < 0:
        return "never"
    return i


def late_arc(flag):
    value = 0
    if flag:
        value = 1
    return value


def loop(n):
    while n > 0:
        n -= 1
    return n


def gen(n):
    for k in range(n):
        yield k


def spread(items):
    total = sum(
        x * 2
        for x in items
    )
    fn = lambda v: (
        v
        + 1
    )
    return fn(total)


class Holder:
    kind = "holder"
    def size(self): return len(self.kind)
"""

# Under ferrocov, prints for each function whether its code still has our LINE event on, and
# whether it still has a BRANCH event on (branch measurement); nothing under coverage.py.
PROBE = """
def probe(*functions):
    try:
        from ferrocov import _ferrocov
    except ImportError:
        return
    status = _ferrocov.status()
    if not status["active"]:
        return
    import json, sys
    tool, events = status["tool_id"], sys.monitoring.events
    print(json.dumps({
        f.__name__: {
            "line": bool(sys.monitoring.get_local_events(tool, f.__code__) & events.LINE),
            "branch": bool(sys.monitoring.get_local_events(tool, f.__code__) & events.BRANCH),
        }
        for f in functions
    }))
"""

MAIN = (
    PROBE
    + """
import code_under_test as c

for i in range(200):
    c.full(i)
    c.partial(i)
    c.loop(i % 4)
    list(c.gen(i % 3))
    c.spread(range(i % 3))
    c.Holder().size()
c.late_arc(True)
c.late_arc(True)
probe(c.full, c.partial, c.late_arc, c.loop, c.gen, c.spread, c.Holder.size)
# The arc late_arc's lines did not need: taken after its LINE event went off.
c.late_arc(False)
"""
)


def probe_output(stdout: str) -> dict[str, dict[str, bool]]:
    line = next(line for line in stdout.splitlines() if line.startswith("{"))
    return json.loads(line)


def reports(project: Project, data_file: str, *args: str) -> tuple[str, dict[str, object]]:
    return coverage_py_reports(project, data_file, "code_under_test.py", *args)


@pytest.mark.parametrize("branch", [False, True], ids=["lines", "branches"])
def test_complete_code_stops_hearing_lines(project: Project, branch: bool) -> None:
    project.write("code_under_test.py", CODE)
    project.write("main.py", MAIN)
    flags = ["--branch"] if branch else []
    fc = project.ferrocov("run", *flags, "--data-file=fc.data", "main.py")
    assert fc.returncode == 0, fc.describe()
    seen = probe_output(fc.stdout)
    # Every line ran: LINE is off.
    for name in ("full", "late_arc", "loop", "gen", "spread", "size"):
        assert not seen[name]["line"], (name, seen)
    # `return "never"` never ran: LINE stays on for it.
    assert seen["partial"]["line"], seen
    # Branch events are not LINE's to give up: late_arc's `if` has gone one way only.
    assert seen["late_arc"]["branch"] == branch, seen
    cov = project.coverage("run", *flags, "--data-file=cov.data", "main.py")
    assert cov.returncode == 0, cov.describe()
    assert reports(project, "fc.data") == reports(project, "cov.data")


CONTEXTS = """
import code_under_test as c


def test_first():
    for i in range(50):
        c.full(i)
        c.loop(3)


def test_second():
    c.late_arc(True)
    c.full(3)


def test_third():
    c.late_arc(False)
    c.loop(0)
    for i in range(50):
        c.full(i)


test_first()
test_second()
test_third()
"""


@pytest.mark.parametrize("branch", [False, True], ids=["lines", "branches"])
def test_each_context_hears_completed_code_again(project: Project, branch: bool) -> None:
    """Code whose LINE went off in one test's context reports its lines in the next one's."""
    project.write("code_under_test.py", CODE)
    project.write("main.py", CONTEXTS)
    project.write(
        ".coveragerc",
        f"[run]\nbranch = {str(branch).lower()}\ndynamic_context = test_function\n",
    )
    fc = project.ferrocov("run", "--data-file=fc.data", "main.py")
    assert fc.returncode == 0, fc.describe()
    # coverage.py's C tracer: its sysmon core has no test_function contexts before 3.14.
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


def test_switch_by_hand_after_completion(project: Project) -> None:
    """`switch_context` called by the program itself re-arms code whose LINE went off."""
    project.write("code_under_test.py", CODE)
    project.write(
        "main.py",
        """
        from ferrocov import _ferrocov
        import code_under_test as c

        for label in ("one", "two", "three"):
            _ferrocov.switch_context(label)
            for i in range(20):
                c.full(i)
        """,
    )
    fc = project.ferrocov("run", "--data-file=fc.data", "main.py")
    assert fc.returncode == 0, fc.describe()
    data = coverage.CoverageData(basename=str(project.path("fc.data")))
    data.read()
    path = next(f for f in data.measured_files() if f.endswith("code_under_test.py"))
    body = project.path("code_under_test.py").read_text().split("\n\n\n")[0].splitlines()
    lines_of_full = set(range(2, len(body) + 1))
    assert len(lines_of_full) == 5
    for label in ("one", "two", "three"):
        data.set_query_contexts([f"^{label}$"])
        assert lines_of_full <= set(data.lines(path) or []), label
