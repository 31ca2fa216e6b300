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


# `[run] dynamic_context = test_function`: a program that runs tests by hand, the way a test
# runner calls them, so both tools see the same calls. `calc` is the code under test.
CALC = """
def add(a, b):
    if a < 0:
        return 0
    return a + b


def pick(flag):
    if flag:
        return "yes"
    return "no"


def div(a, b):
    return a / b


def fixture_setup():
    items = []
    for i in range(2):
        items.append(i)
    return items


def tested_elsewhere():
    return pick(False)
"""

TEST_CALC = """
import subprocess
import sys
import unittest

import calc


def test_plain():
    assert calc.add(1, 2) == 3


def test_param(n):
    calc.add(n, 1)
    if n > 1:
        calc.pick(True)


def test_raises():
    calc.pick(True)
    calc.div(1, 0)


def test_catches():
    try:
        calc.div(1, 0)
    except ZeroDivisionError:
        pass
    calc.pick(False)


def test_helper_named_like_a_test():
    return calc.pick(True)


def test_restores_the_trace_function():
    calc.pick(True)
    testmod_like()


def testmod_like():
    # As doctest.testmod's runner does when it ends: until the next call, Python's own
    # trampoline stands in front of the C trace function, and sends this frame's return only to
    # its f_trace (none: it is named like a test, so traced, but neither measured nor starting
    # a context). The test's own return must still end the test's context.
    sys.settrace(sys.gettrace())


def test_outer():
    calc.add(-1, 0)
    test_helper_named_like_a_test()


def test_generator():
    yield calc.add(2, 2)
    calc.pick(True)
    yield 2


def make_local_test():
    def test_local():
        return calc.add(5, 5)

    return test_local


def test_child():
    subprocess.run([sys.executable, "child.py"], check=True)


class TestK:
    def test_method(self):
        calc.pick(False)

    @staticmethod
    def test_static():
        calc.add(7, 0)

    @classmethod
    def test_cls(cls):
        calc.add(8, 0)


class CaseU(unittest.TestCase):
    def test_u(self):
        calc.add(3, 3)


class CaseR(unittest.TestCase):
    def runTest(self):
        calc.pick(True)
"""

RUNNER = """
import io
import sys
import unittest

import calc
import test_calc

with_child = "--child" in sys.argv

calc.fixture_setup()
test_calc.test_plain()
test_calc.test_restores_the_trace_function()
calc.fixture_setup()
for n in (1, 2, 3):
    calc.fixture_setup()
    test_calc.test_param(n)
try:
    test_calc.test_raises()
except ZeroDivisionError:
    pass
calc.pick(False)
test_calc.test_catches()
test_calc.test_outer()
test_calc.test_helper_named_like_a_test()
for _ in test_calc.test_generator():
    calc.fixture_setup()
test_calc.make_local_test()()
calc.tested_elsewhere()
test_calc.TestK().test_method()
test_calc.TestK.test_static()
test_calc.TestK.test_cls()
suite = unittest.TestSuite()
suite.addTest(unittest.defaultTestLoader.loadTestsFromTestCase(test_calc.CaseU))
suite.addTest(test_calc.CaseR())
result = unittest.TextTestRunner(stream=io.StringIO()).run(suite)
assert result.wasSuccessful(), result.errors + result.failures
if with_child:
    test_calc.test_child()
calc.add(9, 9)
"""

CHILD = """
import calc

calc.fixture_setup()
"""


def _test_function_project(project: Project, config: str) -> None:
    project.write("calc.py", CALC)
    project.write("test_calc.py", TEST_CALC)
    project.write("runner.py", RUNNER)
    project.write("child.py", CHILD)
    project.write(".coveragerc", "[run]\ndynamic_context = test_function\n" + config)


def _branch_lines(path: str) -> set[int]:
    """The lines coverage.py's parser gives more than one exit."""
    from coverage.parser import PythonParser

    parser = PythonParser(filename=path)
    parser.parse_source()
    return {line for line, exits in parser.exit_counts().items() if exits > 1}


def _per_context(data_file: str, names: list[str]) -> dict[str, dict[object, list[str]]]:
    """Per file (by base name): per line, and with branch data per arc, the sorted labels.

    The arcs compared are those out of a branch line, on every version: on 3.12+ ferrocov's
    sys.monitoring core records lines as self-arcs plus the arcs branches take (what reports
    need), not every arc coverage.py's C tracer records, and there only the lines measured
    without `--branch` tell which context ran a line. On 3.10/3.11 every arc is compared.
    """
    data = coverage.CoverageData(basename=data_file)
    data.read()
    result: dict[str, dict[object, list[str]]] = {}
    for name in names:
        measured = next(f for f in data.measured_files() if os.path.basename(f) == name)
        per_item: dict[object, list[str]] = {}
        every_arc = sys.version_info < (3, 12)
        if not data.has_arcs() or every_arc:
            per_item.update(
                (line, sorted(labels)) for line, labels in data.contexts_by_lineno(measured).items()
            )
        if data.has_arcs():
            branch_lines = _branch_lines(measured)
            for label in data.measured_contexts():
                data.set_query_contexts([f"^{re.escape(label)}$"])
                for arc in data.arcs(measured) or []:
                    if every_arc or (arc[0] in branch_lines and arc[0] != arc[1]):
                        per_item.setdefault(arc, []).append(label)
            data.set_query_contexts(None)
        result[name] = {key: sorted(set(labels)) for key, labels in per_item.items()}
    return result


@pytest.mark.parametrize("branch", [False, True], ids=["lines", "branch"])
@pytest.mark.parametrize(
    "tests_measured", [True, False], ids=["tests-measured", "tests-not-measured"]
)
def test_test_function_contexts_match_coverage_py(
    project: Project, branch: bool, tests_measured: bool
) -> None:
    _test_function_project(project, "" if tests_measured else "include = calc.py\n")
    extra = ["--branch"] if branch else []
    fc = project.ferrocov("run", *extra, "--data-file=fc.data", "runner.py")
    assert fc.returncode == 0, fc.describe()
    assert "warning" not in fc.stderr, fc.stderr
    cov = project.coverage("run", *extra, "--data-file=cov.data", "runner.py", env=oracle_env())
    assert cov.returncode == 0, cov.describe()
    names = ["calc.py", "runner.py", "test_calc.py"] if tests_measured else ["calc.py"]
    expected = _per_context(str(project.path("cov.data")), names)
    got = _per_context(str(project.path("fc.data")), names)
    assert got == expected
    if branch:
        # `pick`'s two ways, each in the contexts that took it.
        assert expected["calc.py"][(8, 10)] == sorted(
            ["", "calc.tested_elsewhere", "test_calc.TestK.test_method", "test_calc.test_catches"]
        ), expected
        return
    calc = expected["calc.py"]
    # The oracle's labels, as the cases above promise: plain, parametrized (one label), method,
    # static and class methods, unittest's, a nested test-named helper credited to the outer
    # test, a test-named function called outside any test starting its own.
    assert calc[3] == ["test_calc.test_outer"], calc
    # Static and class methods are named through `co_qualname`, which 3.10 lacks: no context.
    by_qualname = ["test_calc.TestK.test_cls", "test_calc.TestK.test_static"]
    assert calc[4] == sorted(
        [
            "test_calc.CaseU.test_u",
            "test_calc.test_generator",
            "test_calc.test_param",
            "test_calc.test_plain",
            "",
            *(by_qualname if sys.version_info >= (3, 11) else []),
        ]
    ), calc
    # `pick(True)`: after the unwinding test, the runner's own call is in no context again.
    assert calc[9] == sorted(
        [
            "test_calc.CaseR.runTest",
            "test_calc.test_generator",
            "test_calc.test_helper_named_like_a_test",
            "test_calc.test_outer",
            "test_calc.test_param",
            "test_calc.test_raises",
            "test_calc.test_restores_the_trace_function",
        ]
    ), calc
    assert calc[10] == sorted(
        ["", "calc.tested_elsewhere", "test_calc.TestK.test_method", "test_calc.test_catches"]
    ), calc
    # Fixture code runs in no context; the generator's loop body runs between its resumptions.
    assert calc[18] == [""], calc


def test_test_function_contexts_with_a_static_context(project: Project) -> None:
    _test_function_project(project, "context = ci\n")
    fc = project.ferrocov("run", "--branch", "--data-file=fc.data", "runner.py")
    assert fc.returncode == 0, fc.describe()
    cov = project.coverage("run", "--branch", "--data-file=cov.data", "runner.py", env=oracle_env())
    assert cov.returncode == 0, cov.describe()
    names = ["calc.py", "test_calc.py"]
    expected = _per_context(str(project.path("cov.data")), names)
    assert expected["calc.py"][(2, 3)] == ["ci|test_calc.test_outer"], expected
    assert expected["calc.py"][(19, 20)] == ["ci"], expected
    assert _per_context(str(project.path("fc.data")), names) == expected


def test_a_child_process_inherits_the_test_label(project: Project) -> None:
    """coverage.py measures no child here (no `patch = subprocess`); ferrocov measures every
    process, and a child started inside a test is part of that test: its lines carry the label,
    and a test function it ran would start no context of its own."""
    _test_function_project(project, "context = ci\n")
    fc = project.ferrocov("run", "runner.py", "--child")
    assert fc.returncode == 0, fc.describe()
    got = _per_context(str(project.path(".coverage")), ["calc.py", "child.py", "runner.py"])
    assert got["child.py"] == {1: ["ci|test_calc.test_child"], 3: ["ci|test_calc.test_child"]}
    # `fixture_setup` in the child, in the test's context; in the parent, in none.
    assert got["calc.py"][18] == ["ci", "ci|test_calc.test_child"]
    # After the test, the parent is back in the static context.
    last = RUNNER.lstrip("\n").splitlines().index("calc.add(9, 9)") + 1
    assert got["runner.py"][last] == ["ci"], got["runner.py"]


ASYNC_LIB = """
import asyncio


async def step(x):
    await asyncio.sleep(0)
    return x + 1


def plain(x):
    return x * 2
"""

ASYNC_TESTS = """
import threading

import lib


async def test_coro():
    a = await lib.step(1)
    lib.plain(a)
    b = await lib.step(a)
    return b


def test_thread():
    t = threading.Thread(target=lib.plain, args=(3,))
    t.start()
    t.join()
    lib.plain(4)
"""

ASYNC_RUNNER = """
import asyncio

import lib
import test_async


async def other():
    await asyncio.sleep(0)
    lib.plain(7)
    await asyncio.sleep(0)
    lib.plain(8)


async def main():
    await asyncio.gather(test_async.test_coro(), other())


asyncio.run(main())
test_async.test_thread()
lib.plain(9)
"""


def test_test_function_contexts_of_coroutines_and_threads(project: Project) -> None:
    """A coroutine test's context ends at each suspension and starts again when it resumes (what
    runs in between, another task, is in no test's context); a thread a test starts runs in the
    test's context while it lasts. Lines only: on 3.10 ferrocov's arcs out of an `await` differ
    from coverage.py's with or without contexts."""
    project.write("lib.py", ASYNC_LIB)
    project.write("test_async.py", ASYNC_TESTS)
    project.write("run.py", ASYNC_RUNNER)
    project.write(".coveragerc", "[run]\ndynamic_context = test_function\n")
    fc = project.ferrocov("run", "--data-file=fc.data", "run.py")
    assert fc.returncode == 0, fc.describe()
    cov = project.coverage("run", "--data-file=cov.data", "run.py", env=oracle_env())
    assert cov.returncode == 0, cov.describe()
    names = ["lib.py", "run.py", "test_async.py"]
    expected = _per_context(str(project.path("cov.data")), names)
    # `plain`: from the coroutine test, the other task, the thread's test and the runner.
    assert expected["lib.py"][10] == ["", "test_async.test_coro", "test_async.test_thread"]
    assert _per_context(str(project.path("fc.data")), names) == expected
