"""`pytest --cov-context=test` against pytest-cov with coverage.py's C tracer (`COVERAGE_CORE=
ctrace`, the core that credits every test): the same contexts, with the same labels, for every
line (and every arc with `--cov-branch`), serially and under xdist; a static context (`[run]
context`) prefixes every label as coverage.py's does. Also: a process a test starts, killed, keeps
its lines under that test's label."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import coverage
import pytest
from support.pytest_cov_env import pytest_cov_python

PACKAGE = {
    "pkg/__init__.py": "",
    "pkg/shared.py": """\
def shared(x):
    if x > 1:
        return "big"
    return "small"


def only_b():
    total = 0
    for i in range(3):
        total += i
    return total


def numbers():
    yield 1
    yield 2
    yield 3


class Resource:
    def __init__(self):
        self.open = True

    def close(self):
        self.open = False
""",
}

TESTS = """\
import pytest

import pkg.shared


@pytest.fixture
def resource():
    r = pkg.shared.Resource()
    yield r
    r.close()


def test_a():
    assert pkg.shared.shared(1) == "small"
    assert next(pkg.shared.numbers()) == 1


def test_b(resource):
    assert pkg.shared.shared(2) == "big"
    assert pkg.shared.only_b() == 3
    assert list(pkg.shared.numbers()) == [1, 2, 3]


@pytest.mark.parametrize("n", [1, 5])
def test_param(n):
    pkg.shared.shared(n)


class TestK:
    def test_m(self, resource):
        assert pkg.shared.shared(1) == "small"
"""


def _project(root: Path, config: str = "") -> Path:
    for name, text in PACKAGE.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (root / "tests").mkdir()
    (root / "tests" / "test_shared.py").write_text(TESTS)
    if config:
        (root / ".coveragerc").write_text(config)
    return root


def _session(python: str, root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COVERAGE_", "FERROCOV_"))}
    env["PYTHONPATH"] = str(root)
    # coverage.py's core that records contexts for every test (its sys.monitoring core would
    # credit each line to the first test only, or refuse).
    env["COVERAGE_CORE"] = "ctrace"
    return subprocess.run(
        [
            *(python, "-m", "pytest", "-p", "no:cacheprovider", "-q"),
            *("--cov=pkg", "--cov-context=test", "--cov-report=", *args, "tests"),
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=300,
    )


def contexts(data_file: Path, root: Path) -> dict[str, object]:
    """Per file (relative to `root`): per line the sorted context labels, read by coverage.py's
    CoverageData; with branch data also, per context, coverage.py's own verdict on the file's
    branches under ``--contexts`` for that context alone (the raw arcs differ by design:
    ferrocov stores the arcs that decide branches, coverage.py every arc)."""
    data = coverage.CoverageData(basename=os.fspath(data_file))
    data.read()
    result: dict[str, object] = {}
    for measured in data.measured_files():
        name = Path(os.path.relpath(measured, root)).as_posix()
        result[name] = {
            line: sorted(labels) for line, labels in data.contexts_by_lineno(measured).items()
        }
    if data.has_arcs():
        cov = coverage.Coverage(data_file=os.fspath(data_file), config_file=False)
        cov.load()
        for label in sorted(data.measured_contexts()):
            out = data_file.parent / "contexts.json"
            cov.json_report(outfile=os.fspath(out), contexts=[f"^{re.escape(label)}$"])
            for measured, facts in json.loads(out.read_text())["files"].items():
                name = Path(os.path.relpath(measured, root)).as_posix()
                verdict = (facts["executed_branches"], facts["missing_branches"])
                result[f"{name} branches in {label!r}"] = verdict
    return result


@pytest.mark.parametrize("branch", [False, True], ids=["lines", "branch"])
@pytest.mark.parametrize("xdist", [False, True], ids=["serial", "xdist"])
def test_cov_context_test_matches_pytest_cov(tmp_path: Path, xdist: bool, branch: bool) -> None:
    reference = pytest_cov_python()
    root = _project(tmp_path / "proj")
    extra = [*(("-n", "2") if xdist else ()), *(("--cov-branch",) if branch else ())]
    fc = _session(sys.executable, root, *extra)
    assert fc.returncode == 0, fc.stdout + fc.stderr
    shutil.copyfile(root / ".coverage", tmp_path / "fc.data")
    (root / ".coverage").unlink()
    cov = _session(reference, root, *extra)
    assert cov.returncode == 0, cov.stdout + cov.stderr
    expected = contexts(root / ".coverage", root)
    got = contexts(tmp_path / "fc.data", root)
    # The oracle credits lines to each test that ran them (what coverage.py's sysmon core
    # misses): `shared`'s first statement is run by five tests' `|run`.
    first = expected["pkg/shared.py"][2]
    assert len([label for label in first if label.endswith("|run")]) == 5, first
    assert branch == any(" branches in " in str(key) for key in expected), expected
    assert got == expected


def test_static_context_prefixes_each_label(tmp_path: Path) -> None:
    reference = pytest_cov_python()
    root = _project(tmp_path / "proj", "[run]\ncontext = ci\n")
    fc = _session(sys.executable, root)
    assert fc.returncode == 0, fc.stdout + fc.stderr
    shutil.copyfile(root / ".coverage", tmp_path / "fc.data")
    (root / ".coverage").unlink()
    cov = _session(reference, root)
    assert cov.returncode == 0, cov.stdout + cov.stderr
    data = coverage.CoverageData(basename=os.fspath(tmp_path / "fc.data"))
    data.read()
    labels = data.measured_contexts()
    assert "ci" in labels and "ci|tests/test_shared.py::test_a|run" in labels, labels
    assert contexts(tmp_path / "fc.data", root) == contexts(root / ".coverage", root)


CHILD_TEST = """\
import os
import signal
import subprocess
import sys


def test_starts_a_child():
    child = subprocess.Popen(
        [sys.executable, "-c", "import pkg.worker; pkg.worker.work()"],
        stdout=subprocess.PIPE,
    )
    assert child.stdout.readline() == b"ready\\n"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
"""

WORKER = """\
import sys
import time


def work():
    done = sum(range(10))
    sys.stdout.write("ready\\n")
    sys.stdout.flush()
    time.sleep(60)
    return done
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_killed_child_keeps_its_lines_under_the_test_label(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "worker.py").write_text(WORKER)
    (root / "tests").mkdir()
    (root / "tests" / "test_child.py").write_text(CHILD_TEST)
    started = time.monotonic()
    fc = _session(sys.executable, root)
    assert fc.returncode == 0, fc.stdout + fc.stderr
    assert time.monotonic() - started < 60, "the child was not killed"
    per_line = contexts(root / ".coverage", root)["pkg/worker.py"]
    label = "tests/test_child.py::test_starts_a_child|run"
    # The child imported and ran `work` up to its write (lines 1-2, 5-7) in the test's context
    # only. Not the flush (8): with PYTHONUNBUFFERED the parent may read and kill before it.
    for line in (1, 2, 5, 6, 7):
        assert per_line[line] == [label], (line, per_line)


def dynamic_contexts(data_file: Path, root: Path) -> dict[str, dict[object, list[str]]]:
    """Per file (relative to `root`): per line the sorted context labels, and with branch data
    per arc out of a branch line (every arc on 3.10/3.11) the labels that took it; on 3.12+
    lines are not read from arcs there. ferrocov's sys.monitoring core records lines as self-arcs
    plus the arcs that decide branches, coverage.py's C tracer every arc."""
    import re

    from coverage.parser import PythonParser

    data = coverage.CoverageData(basename=os.fspath(data_file))
    data.read()
    every_arc = sys.version_info < (3, 12)
    result: dict[str, dict[object, list[str]]] = {}
    for measured in data.measured_files():
        name = Path(os.path.relpath(measured, root)).as_posix()
        per_item: dict[object, list[str]] = {}
        if every_arc or not data.has_arcs():
            for line, labels in data.contexts_by_lineno(measured).items():
                per_item[line] = sorted(labels)
        if data.has_arcs():
            parser = PythonParser(filename=measured)
            parser.parse_source()
            branch_lines = {line for line, exits in parser.exit_counts().items() if exits > 1}
            for label in data.measured_contexts():
                data.set_query_contexts([f"^{re.escape(label)}$"])
                for arc in data.arcs(measured) or []:
                    if every_arc or (arc[0] in branch_lines and arc[0] != arc[1]):
                        per_item.setdefault(arc, []).append(label)
            data.set_query_contexts(None)
        result[name] = {key: sorted(set(labels)) for key, labels in per_item.items()}
    return result


def _line_of(text: str, needle: str) -> int:
    """The number of the first line of `text` that contains `needle`."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def _plain_session(
    python: str, root: Path, *args: str, cov: str = "pkg"
) -> subprocess.CompletedProcess[str]:
    """A `pytest --cov=pkg` (or `cov`) session without `--cov-context` (labels from the
    configuration)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COVERAGE_", "FERROCOV_"))}
    env["PYTHONPATH"] = str(root)
    env["COVERAGE_CORE"] = "ctrace"
    return subprocess.run(
        [
            *(python, "-m", "pytest", "-p", "no:cacheprovider", "-q"),
            *(f"--cov={cov}", "--cov-report=", *args, "tests"),
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=300,
    )


@pytest.mark.parametrize("branch", [False, True], ids=["lines", "branch"])
@pytest.mark.parametrize("cov", ["pkg", "."], ids=["pkg", "tests-too"])
def test_dynamic_context_test_function_matches_pytest_cov(
    tmp_path: Path, branch: bool, cov: str
) -> None:
    """`[run] dynamic_context = test_function` under pytest: each test function's lines under its
    qualified name, fixtures in the empty context, as pytest-cov (with coverage.py's C tracer)
    records them. Under xdist pytest-cov refuses the setting (DistCovError); ferrocov's workers
    record the same labels as a serial session."""
    reference = pytest_cov_python()
    root = _project(tmp_path / "proj", "[run]\ndynamic_context = test_function\n")
    extra = ("--cov-branch",) if branch else ()
    fc = _plain_session(sys.executable, root, *extra, cov=cov)
    assert fc.returncode == 0, fc.stdout + fc.stderr
    assert "dynamic_context" not in fc.stdout + fc.stderr, fc.stdout + fc.stderr
    shutil.copyfile(root / ".coverage", tmp_path / "fc.data")
    (root / ".coverage").unlink()
    # One file, one worker: the tests share a generator and must run in order.
    fc_xdist = _plain_session(sys.executable, root, "-n", "2", "--dist=loadfile", *extra, cov=cov)
    assert fc_xdist.returncode == 0, fc_xdist.stdout + fc_xdist.stderr
    shutil.copyfile(root / ".coverage", tmp_path / "fc-xdist.data")
    (root / ".coverage").unlink()
    oracle = _plain_session(reference, root, *extra, cov=cov)
    assert oracle.returncode == 0, oracle.stdout + oracle.stderr
    assert "CentralCovContextWarning" in oracle.stdout, oracle.stdout
    expected = dynamic_contexts(root / ".coverage", root)
    if cov == "." and not branch:
        # The test file's own lines, in its tests' contexts: `test_a`'s first line.
        first = _line_of(TESTS, 'assert pkg.shared.shared(1) == "small"')
        assert expected["tests/test_shared.py"][first] == ["test_shared.test_a"], expected
    shared = expected["pkg/shared.py"]
    if not branch:
        # `shared`'s first line: four tests (one label for both parametrized cases); the
        # fixture's `Resource()` in no test's context.
        four = ["test_shared.TestK.test_m", "test_shared.test_a", "test_shared.test_b"]
        assert shared[2] == sorted([*four, "test_shared.test_param"]), shared
        assert shared[_line_of(PACKAGE["pkg/shared.py"], "self.open = True")] == [""], shared
    else:
        # `shared`'s two ways, each in the tests that took it.
        assert shared[(2, 3)] == ["test_shared.test_b", "test_shared.test_param"], shared
    assert dynamic_contexts(tmp_path / "fc.data", root) == expected
    assert dynamic_contexts(tmp_path / "fc-xdist.data", root) == expected


def test_cov_context_test_wins_over_dynamic_context(tmp_path: Path) -> None:
    """Both asked for: pytest-cov warns (CentralCovContextWarning) and coverage.py then mixes both
    kinds of label; ferrocov warns the same way and records `--cov-context=test`'s labels only,
    exactly as without the setting."""
    root = _project(tmp_path / "proj", "[run]\ndynamic_context = test_function\n")
    fc = _session(sys.executable, root, "-W", "default")
    assert fc.returncode == 0, fc.stdout + fc.stderr
    assert "CentralCovContextWarning" in fc.stdout, fc.stdout
    both = contexts(root / ".coverage", root)
    (root / ".coverage").unlink()
    (root / ".coveragerc").unlink()
    alone = _session(sys.executable, root)
    assert alone.returncode == 0, alone.stdout + alone.stderr
    assert both == contexts(root / ".coverage", root)
    data = coverage.CoverageData(basename=os.fspath(root / ".coverage"))
    data.read()
    labels = data.measured_contexts()
    assert all(label == "" or label.endswith(("|setup", "|run", "|teardown")) for label in labels)


FAILING_TESTS = """\
import pytest

import pkg.shared


def test_fails():
    pkg.shared.shared(5)
    assert pkg.shared.only_b() == 4


@pytest.mark.no_cover
def test_not_covered():
    pkg.shared.shared(1)
    raise ValueError("no_cover and failing")


def test_after():
    assert pkg.shared.shared(1) == "small"
"""


def test_dynamic_context_after_failing_and_no_cover_tests(tmp_path: Path) -> None:
    """A test that fails (its frame unwinds) ends its context, and a `no_cover` test that fails
    leaves none running: the next test gets its own label, as with pytest-cov."""
    reference = pytest_cov_python()
    root = _project(tmp_path / "proj", "[run]\ndynamic_context = test_function\n")
    (root / "tests" / "test_shared.py").write_text(FAILING_TESTS)
    fc = _plain_session(sys.executable, root)
    assert fc.returncode == 1, fc.stdout + fc.stderr
    assert "2 failed, 1 passed" in fc.stdout, fc.stdout
    shutil.copyfile(root / ".coverage", tmp_path / "fc.data")
    (root / ".coverage").unlink()
    cov = _plain_session(reference, root)
    assert cov.returncode == 1, cov.stdout + cov.stderr
    expected = contexts(root / ".coverage", root)
    shared = expected["pkg/shared.py"]
    assert shared[4] == ["test_shared.test_after"], shared
    assert shared[8] == ["test_shared.test_fails"], shared
    assert contexts(tmp_path / "fc.data", root) == expected
