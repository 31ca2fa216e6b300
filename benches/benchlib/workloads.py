"""What each mode runs: the command line, environment and working directory of one run of a
workload."""

from __future__ import annotations

import os
from pathlib import Path

from benchlib.common import PKG_IMPORT, PKG_TEST_ARGS, PYTEST_MODES, WORKLOAD_DIR

# The `empty` workload: what starting a measured run costs when the program does nothing.
EMPTY_PROGRAM = "value = 0\n"


def base_run_env() -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("COVERAGE_", "FERROCOV_", "PYTEST_", "PYTHON")) and k != "VIRTUAL_ENV"
    }
    env["PYTHONHASHSEED"] = "0"
    # Only what the venv installs should load: no third-party pytest plugins
    # (a pytest-cov-like plugin would change what is being measured).
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    return env


def build_command(
    vpy: Path,
    workload: str,
    mode: str,
    pkg_dir: Path | None,
    scratch: Path,
    rcfile: Path,
    pytest_cov_vpy: Path | None = None,
    contexts: bool = False,
) -> tuple[list[str], dict, str]:
    """(argv, env, cwd) for one run; the pytest-cov mode runs in pytest_cov_vpy's venv. With
    `contexts` the pytest modes record per-test contexts."""
    env = base_run_env()
    if workload == "cpu":
        source = str(WORKLOAD_DIR)
        target = [str(WORKLOAD_DIR / "cpu_bound.py")]
        cwd = str(scratch)
    elif workload == "empty":
        # Written here rather than kept in benches/workloads, whose files the cpu workload's
        # --source would count.
        empty_dir = scratch / "empty-workload"
        empty_dir.mkdir(exist_ok=True)
        (empty_dir / "empty.py").write_text(EMPTY_PROGRAM)
        source = str(empty_dir)
        target = [str(empty_dir / "empty.py")]
        cwd = str(scratch)
    else:
        assert pkg_dir is not None
        source = str(pkg_dir / PKG_IMPORT)
        target = ["-m", "pytest", "-q", "-p", "no:cacheprovider", *PKG_TEST_ARGS]
        cwd = str(pkg_dir)
        # The unpacked sdist is what gets imported (and so measured).
        env["PYTHONPATH"] = str(pkg_dir)
    if mode == "none":
        return [str(vpy), *target], env, cwd
    env["COVERAGE_FILE"] = str(scratch / ".coverage")
    env["COVERAGE_RCFILE"] = str(rcfile)  # empty: defaults, whatever the sdist ships
    if mode in PYTEST_MODES:
        assert workload == "pkg"
        # Each venv holds one coverage plugin, loaded through its entry point as a user's
        # `pytest --cov` loads it; the default report (term) is printed, as for a user.
        env.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
        python = vpy
        if mode == "pytest-cov":
            assert pytest_cov_vpy is not None
            python = pytest_cov_vpy
        per_test = ["--cov-context=test"] if contexts else []
        return [str(python), *target, f"--cov={PKG_IMPORT}", *per_test], env, cwd
    if mode == "sysmon":
        env["COVERAGE_CORE"] = "sysmon"
    tool = "ferrocov" if mode == "ferrocov" else "coverage"
    return [str(vpy), "-m", tool, "run", f"--source={source}", *target], env, cwd
