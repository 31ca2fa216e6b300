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
