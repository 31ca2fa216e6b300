"""The tracers themselves: which sys.monitoring tool id they take, what they leave enabled, and
that frames of files that are not measured cost nothing per line on 3.10/3.11."""

from __future__ import annotations

import json
import sys

import pytest
from support import Project

needs_sysmon = pytest.mark.skipif(sys.version_info < (3, 12), reason="sys.monitoring is 3.12+")
needs_ctrace = pytest.mark.skipif(sys.version_info >= (3, 12), reason="C tracer is for 3.10/3.11")

# Runs the tracer through its Python API inside one process, after another tool has taken the
# usual coverage tool id, and prints what the tracer chose.
TOOL_ID_PROGRAM = """
import json, os, sys
from ferrocov import _ferrocov, selection

taken = [int(i) for i in sys.argv[1].split(",") if i]
for tool in taken:
    sys.monitoring.use_tool_id(tool, f"other-{tool}")

_ferrocov.start(
    os.path.abspath("shards"), cwd=os.getcwd(), source_dirs=[], source_specified=False,
    include=[], omit=[], cover_pylib=False, pylib_dirs=selection.pylib_dirs(),
    third_party_dirs=selection.third_party_dirs(), own_dirs=selection.own_dirs(),
)
import work
work.run()
status = _ferrocov.status()
_ferrocov.stop()
tool = status["tool_id"]
print(json.dumps({
    "tool_id": tool,
    "taken": taken,
    "events_after_stop": sys.monitoring.get_events(tool),
    "others_untouched": all(sys.monitoring.get_tool(t) == f"other-{t}" for t in taken),
}))
"""

WORK = """
def run():
    total = 0
    for i in range(3):
        total += i
    return total
"""


@needs_sysmon
@pytest.mark.parametrize("taken", ["", "1", "1,2,3"])
def test_sysmon_takes_the_first_free_tool_id(project: Project, taken: str) -> None:
    project.write("prog.py", TOOL_ID_PROGRAM)
    project.write("work.py", WORK)
    result = project.python("prog.py", taken)
    assert result.returncode == 0, result.describe()
    info = json.loads(result.stdout)
    taken_ids = {int(t) for t in taken.split(",") if t}
    assert info["tool_id"] not in taken_ids
    assert info["tool_id"] == min({1, 2, 3, 4, 5} - taken_ids)
    assert info["others_untouched"]
    # After stop no event stays enabled globally for our tool.
    assert info["events_after_stop"] == 0


@needs_sysmon
def test_sysmon_with_every_tool_id_taken_is_a_clear_error(project: Project) -> None:
    project.write("prog.py", TOOL_ID_PROGRAM)
    project.write("work.py", WORK)
    result = project.python("prog.py", "0,1,2,3,4,5")
    assert result.returncode != 0
    assert "every sys.monitoring tool id" in result.stderr


UNMEASURED_PROBE = """
import json, sys
from ferrocov import _ferrocov
import probe_omitted
import probe_measured
print(json.dumps([_ferrocov.status()["frame_gate"], probe_omitted.flag(), probe_measured.flag()]))
"""

PROBE = """
import sys
def flag():
    try:
        raise KeyError("exceptions turn tracing back on in the middle of a frame")
    except KeyError:
        pass
    return sys._getframe().f_trace_lines
"""

# The frame gate's start-up checks, by the names status() gives them, in the order they run.
GATE_CHECKS = [
    "profiler",
    "python_frame",
    "c_tracefunc",
    "c_profilefunc",
    "cframe",
    "use_tracing",
    *(["current_frame"] if sys.version_info >= (3, 11) else []),
    "f_code",
]
FORCE_CHECK_VAR = "FERROCOV_FRAME_GATE_TEST_FAIL"


def run_unmeasured_probe(project: Project, env: dict[str, str]) -> tuple[str, bool]:
    """Runs the probe with probe_omitted.py unmeasured; returns what status() said of the gate and
    whether the omitted module's frame still had line events on. Checks the lines measured."""
    project.write("prog.py", UNMEASURED_PROBE)
    project.write("probe_omitted.py", PROBE)
    project.write("probe_measured.py", PROBE)
    result = project.ferrocov("run", "--omit=probe_omitted.py", "prog.py", env=env)
    assert result.returncode == 0, result.describe()
    gate, omitted_flag, measured_flag = json.loads(result.stdout)
    assert measured_flag is True
    lines = project.lines()
    assert "probe_omitted.py" not in lines
    assert lines["probe_measured.py"] == [1, 2, 3, 4, 5, 6, 7]
    # Lines after the point where CPython re-enabled tracing mid-frame are attributed to the right
    # file: the omitted module's lines never leak into another file's data.
    assert set(lines["prog.py"]) == {1, 2, 3, 4, 5}
    return gate, omitted_flag


@needs_ctrace
def test_ctrace_frame_gate_keeps_unmeasured_frames_untraced(project: Project) -> None:
    # The PEP 523 gate runs frames of unmeasured files with tracing off altogether, so whether
    # their line events are on is left to CPython.
    gate, _omitted_flag = run_unmeasured_probe(project, {})
    assert gate == "on"


@needs_ctrace
def test_ctrace_frame_gate_switched_off(project: Project) -> None:
    # Plain tracing: every frame is traced, and frames of unmeasured files get no line events.
    gate, omitted_flag = run_unmeasured_probe(project, {"FERROCOV_FRAME_GATE": "off"})
    assert gate == "off: FERROCOV_FRAME_GATE=off"
    assert omitted_flag is False


@needs_ctrace
@pytest.mark.parametrize("check", GATE_CHECKS)
def test_ctrace_frame_gate_check_failing_falls_back_to_plain_tracing(
    project: Project, check: str
) -> None:
    # Each check stops the gate at its own point of the start-up sequence (some in the middle of
    # switching the trace or profile function); measurement must go on as plain tracing.
    gate, omitted_flag = run_unmeasured_probe(project, {FORCE_CHECK_VAR: check})
    assert gate == f"off: check {check} failed: forced by {FORCE_CHECK_VAR}"
    assert omitted_flag is False


@needs_ctrace
def test_ctrace_frame_gate_test_switch_names_a_check(project: Project) -> None:
    gate, _ = run_unmeasured_probe(project, {FORCE_CHECK_VAR: "no_such_check"})
    assert gate.startswith(f"off: {FORCE_CHECK_VAR}=no_such_check names no check (one of: ")
    assert all(check in gate for check in GATE_CHECKS)


# Starts measuring while a profiler is active: a real failing check, no test switch.
PROFILED_START = """
import json, os, sys
from ferrocov import _ferrocov, selection

calls = []
sys.setprofile(lambda frame, event, arg: calls.append(event))
_ferrocov.start(
    os.path.abspath(".coverage-shards"), cwd=os.getcwd(), source_dirs=[], source_specified=False,
    include=[], omit=[], cover_pylib=False, pylib_dirs=selection.pylib_dirs(),
    third_party_dirs=selection.third_party_dirs(), own_dirs=selection.own_dirs(),
)
import work
work.run()
gate = _ferrocov.status()["frame_gate"]
_ferrocov.stop()
sys.setprofile(None)
print(json.dumps({"gate": gate, "profiled": "call" in calls}))
"""


@needs_ctrace
def test_ctrace_frame_gate_stays_off_under_a_profiler(project: Project) -> None:
    project.write("prog.py", PROFILED_START)
    project.write("work.py", WORK)
    result = project.python("prog.py")
    assert result.returncode == 0, result.describe()
    info = json.loads(result.stdout)
    assert info == {"gate": "off: check profiler failed: a profiler is active", "profiled": True}
    combined = project.ferrocov("combine")
    assert combined.returncode == 0, combined.describe()
    assert project.lines()["work.py"] == [1, 2, 3, 4, 5]


RESTORE_TRACE = """
import sys


def helper():
    return "helper ran"


def swap_and_continue():
    saved = sys.gettrace()
    sys.settrace(saved)
    first = "after restore"
    second = helper()
    return first, second


print(swap_and_continue())
print(helper())
"""


def test_restoring_the_trace_function_keeps_measuring(project: Project) -> None:
    # doctest and debuggers save sys.gettrace() and put it back with sys.settrace(); coverage
    # measured on through that, and so must we (3.10/3.11 use a trace function; 3.12+ is
    # unaffected since sys.monitoring is separate from sys.settrace).
    project.write("prog.py", RESTORE_TRACE)
    result = project.ferrocov("run", "prog.py")
    assert result.returncode == 0, result.describe()
    cov = project.coverage("run", "--data-file=.cov", "prog.py")
    assert cov.returncode == 0, cov.describe()
    assert project.lines()["prog.py"] == project.lines(".cov")["prog.py"]
    assert {5, 11, 12, 13} <= set(project.lines()["prog.py"])


# A generator closed before it ever ran: Python enters its frame only to throw GeneratorExit
# into it, with that exception pending. The first look at such a code object (measured or not)
# must leave the pending exception alone; on 3.10/3.11 it once turned into "SystemError: error
# return without exception set" when `types` was first imported under measurement.
UNSTARTED_GENERATORS = """
import helper

def gen():
    yield 1

g = gen()
g.close()
h = gen()
del h
helper.closed()
print("ok")
"""

UNSTARTED_HELPER = """
def _g():
    yield 1

_unstarted = _g()
del _unstarted

def closed():
    def inner():
        yield 2
    inner().close()
"""


def test_generators_closed_before_running(project: Project) -> None:
    project.write("prog.py", UNSTARTED_GENERATORS)
    project.write("helper.py", UNSTARTED_HELPER)
    for omit in ([], ["--omit=helper.py"]):
        result = project.ferrocov("run", *omit, "prog.py")
        assert (result.returncode, result.stdout, result.stderr) == (0, "ok\n", ""), (
            result.describe()
        )
    cov = project.coverage("run", "--data-file=.cov", "--omit=helper.py", "prog.py")
    assert cov.returncode == 0, cov.describe()
    assert project.lines()["prog.py"] == project.lines(".cov")["prog.py"]
