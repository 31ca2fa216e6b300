"""What an installed ferrocov wheel must do in a fresh venv: set the venv up from the wheel alone,
then `ferrocov run` a program, `pytest --cov -n 2` a project, and keep the lines of a process
killed by SIGKILL. Standard library only, so that it also runs under an interpreter of another
file system (the old-glibc root of tools/old-glibc.sh), as

    python wheel_checks.py setup BASE_PYTHON VENV WHEEL DEPS_DIR
    python wheel_checks.py check VENV_PYTHON WORKDIR [NAME...]

Each check returns the problems it found (empty: it passed); `check` prints them and exits 1.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
# process_scenarios sits in tests/processes, or beside this file where both were copied.
sys.path.insert(0, str(HERE.parent / "processes"))
sys.path.insert(0, str(HERE))

from process_scenarios import (  # noqa: E402
    SCENARIOS,
    marked_lines,
    program_text,
    read_data,
    run_scenario,
)

TIMEOUT = 300.0

# Variables that point at a Rust toolchain; the fresh venv's processes see none of them.
RUST_VARIABLES = ("CARGO_", "RUSTUP_", "RUSTC", "RUSTFLAGS", "RUSTDOCFLAGS")
RUST_PROGRAMS = ("cargo", "rustc", "rustup")


def without_rust(environ: dict[str, str]) -> dict[str, str]:
    """`environ` with no Rust toolchain: its variables unset and every PATH directory holding
    cargo, rustc or rustup dropped."""
    env = {key: value for key, value in environ.items() if not key.startswith(RUST_VARIABLES)}
    kept = [
        entry
        for entry in env.get("PATH", "").split(os.pathsep)
        if entry and not any(os.path.exists(os.path.join(entry, p)) for p in RUST_PROGRAMS)
    ]
    env["PATH"] = os.pathsep.join(kept)
    return env


def clean_env(venv_python: str) -> dict[str, str]:
    """The environment the checks run in: no Rust, no coverage or ferrocov settings, the venv's
    bin directory first."""
    env = {
        key: value
        for key, value in without_rust(dict(os.environ)).items()
        if not key.startswith(("COVERAGE_", "FERROCOV_", "PYTEST_", "PYTHON", "VIRTUAL_ENV"))
    }
    env["PATH"] = os.pathsep.join([os.path.dirname(venv_python), env.get("PATH", "")])
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _run(
    cmd: list[str], cwd: Path, env: dict[str, str], timeout: float = TIMEOUT
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=timeout,
        check=False,
    )


def _describe(proc: subprocess.CompletedProcess[str]) -> str:
    return f"`{' '.join(proc.args)}` exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"


def setup(base_python: str, venv_dir: str, wheel: str, deps: str) -> list[str]:
    """A venv of `base_python` with the wheel, pytest and pytest-xdist, installed by pip run from
    its own wheel in `deps` with no index: nothing is compiled, nothing fetched."""
    env = without_rust(dict(os.environ))
    venv = _run([base_python, "-m", "venv", "--without-pip", venv_dir], Path.cwd(), env)
    if venv.returncode != 0:
        return [_describe(venv)]
    pips = sorted(Path(deps).glob("pip-*.whl"))
    if not pips:
        return [f"no pip wheel in {deps}"]
    python = os.path.join(venv_dir, "bin", "python")
    install = _run(
        [
            python,
            f"{pips[-1]}/pip",
            "install",
            "--quiet",
            "--no-index",
            "--no-cache-dir",
            "--disable-pip-version-check",
            "--find-links",
            deps,
            wheel,
            "pytest",
            "pytest-xdist",
        ],
        Path.cwd(),
        env,
    )
    return [] if install.returncode == 0 else [_describe(install)]


RUN_PROGRAM = """
import sys


def used(n):
    total = 0  # mark: run
    for i in range(n):  # mark: run
        total += i  # mark: run
    return total  # mark: run


def unused():
    return "never"


if __name__ == "__main__":
    print(used(3))  # mark: run
    sys.exit(0)  # mark: run
"""


def check_run(venv_python: str, workdir: Path) -> list[str]:
    """`ferrocov run prog.py` through the console script: the data file holds exactly the lines
    the program ran."""
    root = workdir / "run"
    root.mkdir(parents=True)
    (root / "prog.py").write_text(program_text(RUN_PROGRAM))
    script = os.path.join(os.path.dirname(venv_python), "ferrocov")
    proc = _run([script, "run", "prog.py"], root, clean_env(venv_python))
    if proc.returncode != 0 or proc.stdout != "3\n":
        return [_describe(proc)]
    if not (root / ".coverage").is_file():
        return [f"no .coverage after {_describe(proc)}"]
    # The import-time lines (def, import, if) run too; the body of unused() does not.
    data = {os.path.basename(path): lines for path, lines in read_data(root / ".coverage").items()}
    expected = marked_lines(RUN_PROGRAM, "run") | {1, 4, 11, 15}
    if data.get("prog.py") != expected:
        return [f"lines of prog.py: {sorted(data.get('prog.py', ()))}, expected {sorted(expected)}"]
    return []


XDIST_MODULE = """
def work(worker):
    if worker == "gw0":
        return "first"  # mark: gw0
    if worker == "gw1":
        return "second"  # mark: gw1
    return "neither"
"""

XDIST_TEST = """
import os
import time

import pytest

from pkg.mod import work


@pytest.mark.parametrize("n", range(6))
def test_work(n):
    time.sleep(0.2)  # both workers get tests before either runs out
    assert work(os.environ["PYTEST_XDIST_WORKER"]) in ("first", "second")
"""


def check_pytest_xdist(venv_python: str, workdir: Path) -> list[str]:
    """`pytest --cov=pkg -n 2`: both workers' lines are in the combined data file, and the
    terminal report is there."""
    root = workdir / "xdist"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "mod.py").write_text(program_text(XDIST_MODULE))
    (root / "test_mod.py").write_text(program_text(XDIST_TEST))
    proc = _run(
        [venv_python, "-m", "pytest", "--cov=pkg", "-n", "2", "-p", "no:cacheprovider"],
        root,
        clean_env(venv_python),
    )
    if proc.returncode != 0 or "6 passed" not in proc.stdout:
        return [_describe(proc)]
    problems = []
    if "pkg/mod.py" not in proc.stdout:
        problems.append(f"no coverage report in the output:\n{proc.stdout}")
    real_root = os.path.realpath(root)
    data = {
        os.path.relpath(path, real_root): lines
        for path, lines in read_data(root / ".coverage").items()
    }
    mod = data.get("pkg/mod.py", set())
    for worker in ("gw0", "gw1"):
        missing = marked_lines(XDIST_MODULE, worker) - mod
        if missing:
            problems.append(f"{worker}'s lines {sorted(missing)} missing from {sorted(mod)}")
    leftovers = sorted(
        p.name for p in root.iterdir() if p.name.startswith(".coverage") and p.name != ".coverage"
    )
    if leftovers:
        problems.append(f"left behind: {leftovers}")
    return problems


def check_sigkill(venv_python: str, workdir: Path) -> list[str]:
    """The process scenario where a child is killed by SIGKILL: its lines are kept."""
    scenario = next(s for s in SCENARIOS if s.name == "death-sigkill")
    outcome = run_scenario(scenario, workdir / "sigkill", python=venv_python)
    return [] if outcome.ok else [outcome.describe()]


CHECKS: dict[str, Callable[[str, Path], list[str]]] = {
    "run": check_run,
    "pytest-xdist": check_pytest_xdist,
    "sigkill": check_sigkill,
}


def main(argv: list[str]) -> int:
    usage = textwrap.dedent(__doc__ or "").split("\n\n")[1]
    if argv[:1] == ["setup"] and len(argv) == 5:
        problems = setup(*argv[1:])
    elif argv[:1] == ["check"] and len(argv) >= 3:
        # The scenario harness takes the environment from this process: make it Rust-free too.
        os.environ.clear()
        os.environ.update(clean_env(argv[1]))
        names = argv[3:] or list(CHECKS)
        problems = [
            f"{name}: {problem}"
            for name in names
            for problem in CHECKS[name](argv[1], Path(argv[2]))
        ]
    else:
        print(usage, file=sys.stderr)
        return 2
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
