"""Measurement contexts recorded by the tracers, against coverage.py's C tracer (`COVERAGE_CORE=
ctrace`): a static context (`ferrocov run --context`, `[run] context`), and contexts switched by the
program, where each context gets every line (and arc) it runs, however often earlier contexts ran
it. On 3.12+ the re-arming must leave other `sys.monitoring` tools alone."""

from __future__ import annotations

import json
import os
import re
import sys

import coverage
import pytest
from support import Project

# Switches contexts with whichever tool measures it: coverage.py's `Coverage.switch_context`,
# or ferrocov's.
SWITCHING = """
import coverage

cov = coverage.Coverage.current()
if cov is not None:
    switch = cov.switch_context
else:
    from ferrocov import measure
    switch = measure.switch_context

import work

work.loop([1, 5])
for label in ["t1", "t2", "t1", "t3"]:
    switch(label)
    work.loop([1, 2])
    work.pick(label == "t2")
    g = work.gen()
    next(g)
switch("t4")
next(g)
switch("")
work.pick(False)
"""

WORK = """
def loop(items):
    total = 0
    for item in items:
        if item > 2:
            break
        total += item
    return total


def pick(flag):
    if flag:
        return "yes"
    return "no"


def gen():
    yield 1
    yield 2
"""


def contexts_of(data_file: str, path: str) -> dict[int, list[str]]:
    """Per line of `path`, the sorted labels of the contexts that ran it, as coverage.py reads
    them (with branch data, from the arcs)."""
    data = coverage.CoverageData(basename=data_file)
    data.read()
    measured = next(f for f in data.measured_files() if f.endswith(path))
    return {
        line: sorted(labels) for line, labels in sorted(data.contexts_by_lineno(measured).items())
    }


def branches_by_context(project: Project, data_file: str, path: str) -> dict[str, object]:
    """Per measured context, coverage.py's own verdict on `path`'s branches under
    ``--contexts`` for that context alone: the raw arcs differ by design (ferrocov stores the
    arcs that decide branches, coverage.py every arc), the branches must not."""
    data = coverage.CoverageData(basename=data_file)
    data.read()
    verdicts: dict[str, object] = {}
    for label in sorted(data.measured_contexts()):
        result = project.coverage(
            "json", f"--data-file={data_file}", f"--contexts=^{re.escape(label)}$", "-o", "-"
        )
        assert result.returncode == 0, result.describe()
        files = json.loads(result.stdout)["files"]
        facts = next(v for k, v in files.items() if k.endswith(path))
        verdicts[label] = (facts["executed_branches"], facts["missing_branches"])
    return verdicts


def oracle_env() -> dict[str, str]:
    return {"COVERAGE_CORE": "ctrace"}


@pytest.mark.parametrize("branch", [False, True], ids=["lines", "branch"])
def test_switched_contexts_match_coverage_py(project: Project, branch: bool) -> None:
    project.write("prog.py", SWITCHING)
    project.write("work.py", WORK)
    extra = ["--branch"] if branch else []
    fc = project.ferrocov("run", *extra, "--data-file=fc.data", "prog.py")
    assert fc.returncode == 0, fc.describe()
    cov = project.coverage("run", *extra, "--data-file=cov.data", "prog.py", env=oracle_env())
    assert cov.returncode == 0, cov.describe()
    expected = contexts_of(str(project.path("cov.data")), "work.py")
    # Each context has `loop`'s lines, not only the first one to run them.
    assert expected[4] == ["", "t1", "t2", "t3"], expected
    if branch and sys.version_info >= (3, 12):
        # A knowing difference on sys.monitoring: coverage.py's tracer credits the line a
        # generator resumes at (its `yield 1`) to the resuming context, through the arc from
        # that line it records; the line did not run in t4, and ferrocov's sys.monitoring path
        # credits the lines that run. (Its 3.10/3.11 trace function records that arc too.)
        resumed_at = project.path("work.py").read_text().splitlines().index("    yield 1") + 1
        assert expected[resumed_at] == ["t1", "t2", "t3", "t4"], expected
        expected[resumed_at] = ["t1", "t2", "t3"]
    if branch:
        assert branches_by_context(project, "fc.data", "work.py") == branches_by_context(
            project, "cov.data", "work.py"
        )
    assert contexts_of(str(project.path("fc.data")), "work.py") == expected


@pytest.mark.parametrize("how", ["option", "config"])
def test_static_context_matches_coverage_py(project: Project, how: str) -> None:
    project.write("prog.py", "import work\nwork.loop([3])\n")
    project.write("work.py", WORK)
    if how == "option":
        args = ["--context=py312 run"]
    else:
        project.write(".coveragerc", "[run]\ncontext = py312 run\n")
        args = []
    fc = project.ferrocov("run", *args, "--data-file=fc.data", "prog.py")
    assert fc.returncode == 0, fc.describe()
    assert "context" not in fc.stderr, fc.stderr
    cov = project.coverage("run", *args, "--data-file=cov.data", "prog.py", env=oracle_env())
    assert cov.returncode == 0, cov.describe()
    expected = contexts_of(str(project.path("cov.data")), "work.py")
    assert expected[2] == ["py312 run"], expected
    assert contexts_of(str(project.path("fc.data")), "work.py") == expected


# Another sys.monitoring tool disables the lines it sees; ferrocov's switches must not re-arm
# them for it (what `sys.monitoring.restart_events()` would do).
OTHER_TOOL = """
import json, sys
from ferrocov import measure

M = sys.monitoring
tool = next(i for i in (4, 3, 2, 1) if M.get_tool(i) is None)
M.use_tool_id(tool, "other")
seen = []


def on_line(code, line):
    seen.append(line)
    return M.DISABLE


def on_branch(code, offset, dest):
    seen.append(("branch", offset))
    return M.DISABLE


M.register_callback(tool, M.events.LINE, on_line)
M.register_callback(tool, M.events.BRANCH, on_branch)
import work
M.set_local_events(tool, work.pick.__code__, M.events.LINE | M.events.BRANCH)
work.pick(True)
first = list(seen)
for label in ["a", "b", "c"]:
    measure.switch_context(label)
    work.pick(True)
print(json.dumps({"first": first, "all": seen}, default=str))
"""


@pytest.mark.skipif(sys.version_info < (3, 12), reason="sys.monitoring is 3.12+")
@pytest.mark.parametrize("branch", [False, True], ids=["lines", "branch"])
def test_rearming_leaves_other_tools_alone(project: Project, branch: bool) -> None:
    project.write("prog.py", OTHER_TOOL)
    project.write("work.py", WORK)
    extra = ["--branch"] if branch else []
    fc = project.ferrocov("run", *extra, "prog.py")
    assert fc.returncode == 0, fc.describe()
    seen = json.loads(fc.stdout)
    assert seen["first"] and seen["all"] == seen["first"], seen
    per_line = contexts_of(str(project.path(".coverage")), "work.py")
    # `pick(True)`'s lines in each context ferrocov switched to.
    assert per_line[11] == ["", "a", "b", "c"], per_line
    assert per_line[12] == ["", "a", "b", "c"], per_line


def test_switching_when_not_measuring_does_nothing(project: Project) -> None:
    project.write(
        "prog.py",
        "from ferrocov import measure\nprint(measure.switch_context('x'))\n",
    )
    result = project.python("prog.py", env={"FERROCOV_RUN_DIR": None})
    assert result.returncode == 0, result.describe()
    assert result.stdout.strip() == "False"
    assert os.environ.get("FERROCOV_CONTEXT") is None
