"""Beyond one machine, as with coverage.py: parallel mode ends in coverage.py's own parallel data
files, and the files of several CI jobs (checkouts at different paths, one started from another
directory, one killed) combine with `[paths]` or `relative_files` into the report one job running
everything gives, whether `ferrocov combine` or `coverage combine` does the combining."""

from __future__ import annotations

import re
import shutil
import signal
import sys
from pathlib import Path

import pytest
from support import Project, coverage_cmd, ferrocov_cmd, python_cmd, run

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")

# coverage.py's parallel data file names: .coverage.<host>.pid<pid>.X<six letters>x
PARALLEL_NAME = re.compile(r"^\.coverage\.[^.]+\.pid\d+\.X[A-Za-z]{6}x$")

PACKAGE = {
    "pkg/__init__.py": "",
    "pkg/a.py": "def a1():\n    return 1\n\n\ndef a2():\n    return 2\n",
    "pkg/b.py": "def b1(x):\n    if x:\n        return 'yes'\n    return 'no'\n",
    "pkg/c.py": (
        "def c1():\n    total = 0\n    for i in range(3):\n        total += i\n    return total\n"
    ),
    "pkg/d.py": "def d1():\n    return 'd'\n\n\ndef d2():\n    return 'never'\n",
    "tests/test_a.py": "import pkg.a\n\n\ndef test_a():\n    assert pkg.a.a1() == 1\n",
    "tests/test_b.py": "import pkg.b\n\n\ndef test_b():\n    assert pkg.b.b1(1) == 'yes'\n",
    "tests/test_c.py": "import pkg.c\n\n\ndef test_c():\n    assert pkg.c.c1() == 3\n",
    # Job D's program is killed after it ran pkg.d.d1: its owner leaves only shards.
    "killed.py": (
        "import os, signal\nimport pkg.d\n\npkg.d.d1()\nos.kill(os.getpid(), signal.SIGKILL)\n"
    ),
}


def _checkout(root: Path, config: str) -> Path:
    """A fresh checkout of the project at `root`, with `config` as its .coveragerc."""
    for name, text in PACKAGE.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (root / ".coveragerc").write_text(config)
    return root


def _ok(result, what: str) -> None:
    assert result.returncode == 0, f"{what}\n{result.describe()}"


def _pytest(*args: str) -> list[str]:
    return python_cmd("-m", "pytest", "-q", "-p", "no:cacheprovider", *args)


def _run_jobs(base: Path, run_config: str) -> list[Path]:
    """Four CI jobs in four checkouts; returns the `.coverage.*` files each job uploads."""
    uploads: list[Path] = []
    # Job A: `ferrocov run -p -m pytest` from the checkout's root.
    a = _checkout(base / "job-a" / "proj", run_config)
    _ok(
        run(
            ferrocov_cmd(
                "run", "-p", "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_a.py"
            ),
            a,
        ),
        "job A",
    )
    uploads += sorted(a.glob(".coverage.*"))
    # Job B: started from its tests directory, configuration named explicitly.
    b = _checkout(base / "job-b" / "proj", run_config)
    tests_dir = b / "tests"
    _ok(
        run(
            ferrocov_cmd(
                "run",
                "--rcfile=../.coveragerc",
                "-p",
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "test_b.py",
            ),
            tests_dir,
            env={"PYTHONPATH": str(b)},
        ),
        "job B",
    )
    uploads += sorted(tests_dir.glob(".coverage.*"))
    # Job C: `pytest --cov`, which (like pytest-cov) combines into its data file even in parallel
    # mode; the job names that file for upload with COVERAGE_FILE, as CI recipes do.
    c = _checkout(base / "job-c" / "proj", run_config)
    _ok(
        run(
            _pytest("--cov=pkg", "--cov-report=", "tests/test_c.py"),
            c,
            env={"COVERAGE_FILE": ".coverage.job-c"},
        ),
        "job C",
    )
    uploads += sorted(c.glob(".coverage.*"))
    # Job D: killed by SIGKILL mid-run; its always-run step combines what its processes left
    # and names the result for upload.
    d = _checkout(base / "job-d" / "proj", run_config)
    killed = run(ferrocov_cmd("run", "-p", "killed.py"), d)
    assert killed.returncode == -signal.SIGKILL, killed.describe()
    assert not list(d.glob(".coverage.*")), "a killed run wrote no data file"
    _ok(run(ferrocov_cmd("combine", "-q"), d), "job D combine")
    (d / ".coverage").rename(d / ".coverage.job-d")
    uploads.append(d / ".coverage.job-d")
    return uploads


def _report(cwd: Path, tool) -> str:
    result = run(tool("report", "-m"), cwd)
    assert result.returncode == 0, result.describe()
    return result.stdout


def _one_job_everything(base: Path, run_config: str) -> str:
    """The same work in one job, one checkout: the report every combine must equal."""
    one = _checkout(
        base / "one-job" / "proj", run_config.replace("parallel = true", "parallel = false")
    )
    _ok(
        run(ferrocov_cmd("run", "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"), one),
        "one job",
    )
    assert run(ferrocov_cmd("run", "-a", "killed.py"), one).returncode == -signal.SIGKILL
    _ok(run(ferrocov_cmd("combine", "-a", "-q"), one), "one job combine")
    return _report(one, ferrocov_cmd)


@pytest.mark.parametrize("mode", ["paths", "relative_files"])
def test_ci_jobs_combine_like_one_job(tmp_path: Path, mode: str) -> None:
    run_config = "[run]\nparallel = true\nsource = pkg\n"
    if mode == "relative_files":
        run_config += "relative_files = true\n"
        paths = "[paths]\nsource =\n    pkg/\n    */proj/pkg/\n"
    else:
        paths = f"[paths]\nsource =\n    pkg/\n    {tmp_path}/ci/job-*/proj/pkg/\n"
    uploads = _run_jobs(tmp_path / "ci", run_config + paths)
    assert len(uploads) == 4, uploads
    for upload in uploads[:2]:
        assert PARALLEL_NAME.match(upload.name), upload.name
    expected = _one_job_everything(tmp_path / "ci", run_config + paths)

    reports = {}
    for combiner, tool in (("ferrocov", ferrocov_cmd), ("coverage", coverage_cmd)):
        gather = _checkout(tmp_path / f"gather-{combiner}" / "proj", run_config + paths)
        for upload in uploads:
            shutil.copy(upload, gather / upload.name)
        combined = run(tool("combine"), gather)
        assert combined.returncode == 0, combined.describe()
        assert not list(gather.glob(".coverage.*")), "combined inputs are removed"
        reports[combiner] = (_report(gather, ferrocov_cmd), _report(gather, coverage_cmd))
    for combiner, (ours, theirs) in reports.items():
        assert ours == theirs == expected, f"{combiner} combine:\n{ours}\n{theirs}\n{expected}"
    # The killed job's lines are there: pkg/d.py's d1 ran, d2 did not.
    assert re.search(r"pkg/d\.py\s+4\s+1\s+75%\s+6$", expected, re.MULTILINE), expected


def test_parallel_run_leaves_one_coverage_parallel_file(project: Project) -> None:
    """`ferrocov run -p` ends like `coverage run -p`: a `.coverage.<host>.pid<pid>.X...x` file
    that coverage.py reads, nothing else; a child it started and that was killed is in it."""
    project.write(
        "main.py",
        """
        import subprocess, sys
        import lib
        lib.parent()
        subprocess.run([sys.executable, "-c", "import lib, os, signal; lib.child(); "
                        "os.kill(os.getpid(), signal.SIGKILL)"])
        """,
    )
    project.write("lib.py", "def parent():\n    return 1\n\n\ndef child():\n    return 2\n")
    result = project.ferrocov("run", "-p", "main.py")
    assert result.returncode == 0, result.describe()
    made = sorted(p.name for p in project.root.iterdir() if p.name.startswith(".coverage"))
    assert len(made) == 1 and PARALLEL_NAME.match(made[0]), made
    combined = project.coverage("combine")
    assert combined.returncode == 0, combined.describe()
    assert project.lines()["lib.py"] == [1, 2, 5, 6]
