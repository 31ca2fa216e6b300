"""An xdist worker that cannot see the controller's run (another directory, a clean
environment: what `--tx ssh=...` or `--tx socket=...` with rsync give) measures itself and
sends its data back through xdist's channel, as pytest-cov's workers do: the table equals
pytest-cov's for the same session, with and without `[paths]` mapping the worker's files."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.pytest_cov_env import pytest_cov_python

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX paths in the session")

PACKAGE = {
    "pkg/__init__.py": "",
    "pkg/m.py": (
        "def f(x):\n    if x:\n        return 1\n    return 2\n\n\ndef g():\n    return 3\n"
    ),
    "tests/test_m.py": "import pkg.m\n\n\ndef test_f():\n    assert pkg.m.f(1) == 1\n",
    # xdist copies these to the worker (deprecated in xdist 3, still how remote workers work).
    "pytest.ini": "[pytest]\nrsyncdirs = pkg tests\n",
}
PATHS = "[paths]\nsource =\n    pkg/\n    */pyexecnetcache/pkg/\n"


def _project(root: Path) -> Path:
    for path, text in PACKAGE.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    return root


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _gateway(python: str, home: Path, **env: str) -> Iterator[int]:
    """An execnet socket gateway: `python` with a clean environment (plus `env`), in `home`."""
    server = Path(
        subprocess.run(
            [python, "-c", "import execnet, os; print(os.path.dirname(execnet.__file__))"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip(),
        "script",
        "socketserver.py",
    )
    port = _free_port()
    home.mkdir(parents=True)
    proc = subprocess.Popen(
        [python, str(server), f"127.0.0.1:{port}"],
        cwd=home,
        env={"PATH": "/usr/bin:/bin", "HOME": str(home), **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError("the socket gateway did not start") from None
                time.sleep(0.1)
        yield port
    finally:
        proc.kill()
        proc.wait()


def _controller(
    python: str, project: Path, port: int, *options: str
) -> subprocess.CompletedProcess[str]:
    """A measured session whose only worker is the remote one, run from `project`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FERROCOV_", "COVERAGE_"))}
    env["COLUMNS"] = "200"
    argv = [python, "-m", "pytest", "-p", "no:cacheprovider", "-d", f"--tx=socket=127.0.0.1:{port}"]
    result = subprocess.run(
        [*argv, "--cov=pkg", *options, str(project / "tests")],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _session(python: str, project: Path, port: int) -> str:
    """The session's coverage table, with what differs between two gateways' paths removed."""
    lines = _controller(python, project, port, "--cov-report=term-missing").stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Name "))
    end = next(i for i, line in enumerate(lines) if line.startswith("TOTAL"))
    table = "\n".join(lines[start : end + 1])
    # Each gateway runs in a directory of its own; the rest of each path is the same.
    table = re.sub(r"\S*/pyexecnetcache/", "<worker>/", table)
    return re.sub(r"-+", "-", re.sub(r"\s+", " ", table))


@pytest.mark.parametrize("mapped", [False, True], ids=["worker-paths", "with-paths"])
def test_remote_worker_table_equals_pytest_cov(tmp_path: Path, mapped: bool) -> None:
    reference = pytest_cov_python()
    tables = {}
    for name, python in (("ferrocov", sys.executable), ("pytest-cov", reference)):
        project = _project(tmp_path / name / "proj")
        if mapped:
            (project / ".coveragerc").write_text(PATHS)
        home = tmp_path / name / "remote"
        for port in _gateway(python, home):
            tables[name] = _session(python, project, port)
        if name == "ferrocov":
            # Nothing left behind on the worker's side but xdist's own copy of the project.
            left = sorted(p.name for p in (home / "pyexecnetcache").iterdir())
            assert not [n for n in left if n.startswith(".coverage")], left
    assert tables["ferrocov"] == tables["pytest-cov"]
    if mapped:
        assert re.search(r"(?<!/)pkg/m\.py 6 2 67% 4, 8", tables["ferrocov"]), tables["ferrocov"]
    else:
        assert "<worker>/pkg/m.py 6 2 67% 4, 8" in tables["ferrocov"], tables["ferrocov"]


def test_a_worker_that_measured_nothing_is_named(tmp_path: Path) -> None:
    """A remote worker that cannot measure (here: the configuration the controller names was not
    copied to it) says why, and the session names the worker in a warning instead of reporting
    its tests' lines as missing in silence."""
    project = _project(tmp_path / "proj")
    (project / "cov.ini").write_text("[run]\nbranch = false\n")
    for port in _gateway(sys.executable, tmp_path / "remote"):
        result = _controller(sys.executable, project, port, f"--cov-config={project / 'cov.ini'}")
    output = result.stdout + result.stderr
    assert re.search(r"xdist worker gw0 on \S+ measured nothing: .*cov\.ini", output), output
