#!/usr/bin/env python3
"""Benchmark ferrocov against coverage.py and against no coverage at all.

    python3 benches/run.py [--pythons 3.10,3.11,3.12,3.13] [--repeat N] [--quick]

For each CPython found (pyenv's ~/.pyenv/versions/3.1x.y, `pyenv prefix`, or
python3.1x on PATH) this creates or reuses a venv under
~/.cache/ferrocov-bench/venv-<version>, installs ferrocov from this checkout
(or from --ferrocov-wheel-dir), coverage.py and pytest at pinned versions, and
times each workload in each mode, interleaved round-robin across repeats:

    none      no coverage
    ferrocov  python -m ferrocov run --source=S ...
    coverage  python -m coverage run --source=S ...       (default core)
    sysmon    the same with COVERAGE_CORE=sysmon           (CPython 3.12+)
    pytest-ferrocov  python -m pytest --cov=PKG ...  with ferrocov's plugin
    pytest-cov       python -m pytest --cov=PKG ...  with pytest-cov, in a venv
                     of its own (~/.cache/ferrocov-bench/venv-pytest-cov-<version>)
    (the two pytest modes run the `pkg` workload only)

Workloads: `cpu` = benches/workloads/cpu_bound.py, `pkg` = the test suite of
a pinned PyPI package (PKG_NAME==PKG_VERSION) run from its unpacked sdist.

Prints a table per Python, a Markdown fragment for BENCHMARKS.md, and writes
benches/results/latest.json. Pure standard library; see benches/README.md.
"""

from __future__ import annotations

import argparse
import datetime
import glob
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

# ---------------------------------------------------------------- pins

COVERAGE_PIN = "coverage==7.17.5"
# coverage.py 7.17 needs Python 3.11+; 7.16.2 is the newest that runs on 3.10.
COVERAGE_SPECS = [
    'coverage==7.17.5; python_version >= "3.11"',
    'coverage==7.16.2; python_version < "3.11"',
]
PYTEST_PIN = "pytest==9.2.0"
PYTEST_COV_PIN = "pytest-cov==7.1.0"
PKG_NAME = "more-itertools"
PKG_VERSION = "10.8.0"
PKG_IMPORT = "more_itertools"  # the package directory measured with --source
PKG_TEST_ARGS = ["tests"]  # relative to the unpacked sdist

MIN_OVERHEAD = 0.02  # smaller coverage.py overheads are noise: no quotient
DEFAULT_PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
ALL_MODES = ["none", "ferrocov", "coverage", "sysmon", "pytest-ferrocov", "pytest-cov"]
# `pytest --cov` through a plugin: only the pytest workload has a suite to run them on.
PYTEST_MODES = ["pytest-ferrocov", "pytest-cov"]
MODE_LABELS = {
    "none": "no coverage",
    "ferrocov": "ferrocov",
    "coverage": "coverage.py (default core)",
    "sysmon": "coverage.py (sysmon)",
    "pytest-ferrocov": "pytest --cov (ferrocov)",
    "pytest-cov": "pytest --cov (pytest-cov)",
}
WORKLOAD_LABELS = {
    "cpu": "cpu_bound.py",
    "pkg": f"{PKG_NAME}=={PKG_VERSION} tests",
}

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
WORKLOAD_DIR = BENCH_DIR / "workloads"
RESULTS_DIR = BENCH_DIR / "results"
STAMP_NAME = "ferrocov-bench-stamp.json"


class BenchError(Exception):
    """A problem that stops one Python version (not the whole run)."""


def log(msg: str = "") -> None:
    print(msg, flush=True)


def tail(text: str, lines: int = 15) -> str:
    rows = text.rstrip().splitlines()[-lines:]
    return "\n".join("    | " + r for r in rows)


def explain(text: str, lines: int = 8) -> str:
    """The lines of a failed install that say why, else its tail."""
    why = [
        r.strip()
        for r in text.splitlines()
        if re.search(r"(^|\s)(error|caused by)\b", r, re.IGNORECASE)
        and "originates from a subprocess" not in r
    ]
    if not why:
        return tail(text, lines)
    return "\n".join("    | " + r for r in why[:lines])


# ---------------------------------------------------------------- discovery


def version_key(path: str) -> tuple:
    name = os.path.basename(path.rstrip("/"))
    return tuple(int(p) for p in name.split("."))


def find_python(spec: str) -> str | None:
    """Return an interpreter path for '3.12' (or a path given as is)."""
    if os.sep in spec:
        return spec if os.access(spec, os.X_OK) else None
    candidates = []
    pyenv_root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    for d in glob.glob(os.path.join(pyenv_root, "versions", spec + ".*")):
        # Only plain releases such as 3.12.1 (not 3.12-dev, 3.13.0t, envs).
        if re.fullmatch(re.escape(spec) + r"\.\d+", os.path.basename(d)):
            exe = os.path.join(d, "bin", "python")
            if os.access(exe, os.X_OK):
                candidates.append(d)
    if candidates:
        best = max(candidates, key=version_key)
        return os.path.join(best, "bin", "python")
    if shutil.which("pyenv"):
        try:
            out = subprocess.run(
                ["pyenv", "prefix", spec], capture_output=True, text=True, timeout=30
            )
            prefix = (
                out.stdout.strip().splitlines()[0]
                if out.returncode == 0 and out.stdout.strip()
                else ""
            )
            exe = os.path.join(prefix, "bin", "python")
            if prefix and os.access(exe, os.X_OK):
                return exe
        except (OSError, subprocess.SubprocessError):
            pass
    return shutil.which("python" + spec)


def interpreter_info(python: str) -> dict:
    code = (
        "import sys, platform; print(platform.python_version()); "
        "print(sys.version_info[0]); print(sys.version_info[1])"
    )
    out = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise BenchError(f"{python} does not run: {out.stderr.strip()}")
    full, major, minor = out.stdout.split()
    return {"version": full, "minor": (int(major), int(minor))}


# ---------------------------------------------------------------- setup


def run_logged(
    cmd: list[str], log_path: Path, timeout: float, cwd: str | None = None, env: dict | None = None
) -> tuple[bool, str]:
    """Run a setup command, append its output to log_path; (ok, output)."""
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=cwd, env=env)
        text = out.stdout + out.stderr
        ok = out.returncode == 0
    except subprocess.TimeoutExpired as exc:
        text = f"timed out after {timeout:.0f}s: {exc}"
        ok = False
    except OSError as exc:
        text = f"could not start: {exc}"
        ok = False
    with open(log_path, "a") as f:
        f.write(f"$ {' '.join(cmd)}\n{text}\n(exit ok={ok})\n\n")
    return ok, text


def setup_env() -> dict:
    """Environment for installs: no stray coverage or venv settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("COVERAGE_", "FERROCOV_", "PYTHON")) and k != "VIRTUAL_ENV"
    }
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def pinned_venv(python: str, venv: Path, pins: list[str], log_path: Path, args) -> Path:
    """A venv at `venv` holding `pins`, created or topped up as needed; returns its python.
    A stamp records what was installed, so an unchanged venv costs no pip run."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_path.write_text("")
    vpy = venv / "bin" / "python"
    if not vpy.exists():
        log(f"  creating venv {venv}")
        ok, text = run_logged([python, "-m", "venv", str(venv)], log_path, 300)
        if not ok:
            raise BenchError(f"venv creation failed:\n{explain(text)}")
    stamp_path = venv / STAMP_NAME
    want = {"pins": pins}
    try:
        have = json.loads(stamp_path.read_text())
    except (OSError, ValueError):
        have = None
    if have != want:
        log(f"  installing {' '.join(pins)} into {venv.name}")
        ok, text = run_logged(
            [str(vpy), "-m", "pip", "install", "-q", *pins],
            log_path,
            args.install_timeout,
            env=setup_env(),
        )
        if not ok:
            raise BenchError(
                f"pip install into {venv.name} failed (log: {log_path}):\n{explain(text)}"
            )
        stamp_path.write_text(json.dumps(want))
    return vpy


def ensure_venv(python: str, version: str, cache: Path, args) -> Path:
    venv = cache / f"venv-{version}"
    log_path = cache / "logs" / f"setup-{version}.log"
    pinned_venv(python, venv, [*COVERAGE_SPECS, PYTEST_PIN], log_path, args)
    return venv


def ensure_pytest_cov_venv(python: str, version: str, cache: Path, args) -> Path:
    """The pytest-cov venv: the same coverage.py and pytest pins plus pytest-cov, no ferrocov.

    Kept apart from the main venv so that each `pytest --cov` run has one coverage plugin only.
    """
    venv = cache / f"venv-pytest-cov-{version}"
    log_path = cache / "logs" / f"setup-pytest-cov-{version}.log"
    pins = [*COVERAGE_SPECS, PYTEST_PIN, PYTEST_COV_PIN]
    vpy = pinned_venv(python, venv, pins, log_path, args)
    ok, _ = run_logged(
        [
            str(vpy),
            "-c",
            "import importlib.util as u, sys; sys.exit(u.find_spec('ferrocov') is None)",
        ],
        log_path,
        120,
        env=setup_env(),
    )
    if ok:
        raise BenchError(f"ferrocov is importable in {venv}: it must hold pytest-cov alone")
    return venv


def ferrocov_pytest_plugin(vpy: Path) -> str | None:
    """Why ferrocov's pytest plugin cannot run in the venv, or None when it is registered."""
    code = (
        "import importlib.metadata as m\n"
        "eps = [e for e in m.entry_points(group='pytest11')\n"
        "       if e.value.split('.')[0] == 'ferrocov']\n"
        "print(len(eps))\n"
        "for e in eps: e.load()\n"
    )
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            [str(vpy), "-c", code],
            capture_output=True,
            text=True,
            cwd=tmp,
            env=setup_env(),
            timeout=120,
        )
    if out.returncode != 0:
        last = (out.stderr.strip().splitlines() or ["?"])[-1]
        return f"ferrocov's pytest plugin does not load: {last}"
    if out.stdout.strip() == "0":
        return "this ferrocov registers no pytest plugin (pytest11 entry point)"
    return None


def install_ferrocov(vpy: Path, version: str, cache: Path, args) -> dict:
    """Install ferrocov into the venv; return {'ok', 'reason', 'version'}."""
    log_path = cache / "logs" / f"ferrocov-{version}.log"
    log_path.write_text("")
    env = setup_env()
    # Build outside the checkout (pip builds local projects in place) and keep
    # the cargo cache between runs, so later builds are incremental.
    env.setdefault("CARGO_TARGET_DIR", str(cache / "cargo-target"))
    if args.ferrocov_wheel_dir:
        cmd = [
            str(vpy),
            "-m",
            "pip",
            "install",
            "-q",
            "--force-reinstall",
            "--no-deps",
            "--no-index",
            "--find-links",
            str(Path(args.ferrocov_wheel_dir).resolve()),
            "ferrocov",
        ]
        what = f"wheel from {args.ferrocov_wheel_dir}"
    elif args.no_ferrocov_install:
        cmd = None
        what = "already-installed ferrocov (--no-ferrocov-install)"
    elif not (REPO_ROOT / "pyproject.toml").exists():
        cmd = None
        what = None
        reason = f"no pyproject.toml at {REPO_ROOT}: the checkout cannot be pip-installed yet"
    else:
        cmd = [
            str(vpy),
            "-m",
            "pip",
            "install",
            "-q",
            "--force-reinstall",
            "--no-deps",
            str(REPO_ROOT),
        ]
        what = f"checkout {REPO_ROOT}"
    if cmd is not None:
        log(f"  installing ferrocov: {what} (log: {log_path})")
        t0 = time.perf_counter()
        ok, text = run_logged(cmd, log_path, args.install_timeout, env=env)
        if not ok:
            log(f"  ferrocov install FAILED, ferrocov columns skipped:\n{explain(text)}")
            return {"ok": False, "reason": f"pip install failed (see {log_path})", "version": None}
        log(f"  ferrocov installed in {time.perf_counter() - t0:.0f}s")
    elif what is None:
        log(f"  ferrocov skipped: {reason}")
        # It may still be importable from an earlier install; fall through.
    # Import it from a neutral directory so a source tree is never picked up.
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            [str(vpy), "-c", "import ferrocov; print(getattr(ferrocov, '__version__', 'unknown'))"],
            capture_output=True,
            text=True,
            cwd=tmp,
            env=setup_env(),
            timeout=120,
        )
    if out.returncode != 0:
        last = (out.stderr.strip().splitlines() or ["?"])[-1]
        reason = f"`import ferrocov` fails in the venv: {last}"
        if cmd is None and what is None:
            reason = f"no pyproject.toml at {REPO_ROOT} and {reason}"
        log(f"  ferrocov mode skipped: {reason}")
        return {"ok": False, "reason": reason, "version": None}
    ver = out.stdout.strip()
    if cmd is None and what is None:
        log(f"  note: using a ferrocov {ver} installed earlier in this venv")
    return {"ok": True, "reason": None, "version": ver}


def ensure_package_source(vpy: Path, cache: Path, args) -> Path:
    """Download and unpack the pinned sdist once; return the unpacked dir."""
    src_root = cache / "src"
    src_root.mkdir(parents=True, exist_ok=True)
    dist_name = PKG_NAME.replace("-", "_")
    unpacked = src_root / f"{dist_name}-{PKG_VERSION}"
    marker = unpacked / ".ferrocov-bench-unpacked"
    if marker.exists():
        return unpacked
    dl = src_root / "sdists"
    dl.mkdir(exist_ok=True)
    # sdist names normalise '-', '_' and '.' differently across tools.
    name_re = r"[-_.]+".join(re.escape(part) for part in re.split(r"[-_.]+", PKG_NAME))
    pattern = re.compile(name_re + "-" + re.escape(PKG_VERSION) + r"\.tar\.gz", re.IGNORECASE)

    def find_sdists() -> list[Path]:
        return sorted(p for p in dl.glob("*.tar.gz") if pattern.fullmatch(p.name))

    sdists = find_sdists()
    if not sdists:
        log(f"  downloading sdist {PKG_NAME}=={PKG_VERSION}")
        ok, text = run_logged(
            [
                str(vpy),
                "-m",
                "pip",
                "download",
                "-q",
                "--no-binary",
                ":all:",
                "--no-deps",
                "-d",
                str(dl),
                f"{PKG_NAME}=={PKG_VERSION}",
            ],
            cache / "logs" / "sdist-download.log",
            args.install_timeout,
            env=setup_env(),
        )
        if not ok:
            raise BenchError(f"pip download of {PKG_NAME}=={PKG_VERSION} failed:\n{explain(text)}")
        sdists = find_sdists()
        if not sdists:
            raise BenchError(
                f"pip download produced no .tar.gz for {PKG_NAME}=={PKG_VERSION} in {dl}"
            )
    if unpacked.exists():
        shutil.rmtree(unpacked)
    with tempfile.TemporaryDirectory(dir=src_root) as tmp:
        with tarfile.open(sdists[0]) as tf:
            if hasattr(tarfile, "data_filter"):
                tf.extractall(tmp, filter="data")
            else:
                tf.extractall(tmp)
        tops = [p for p in Path(tmp).iterdir() if p.is_dir()]
        if len(tops) != 1:
            raise BenchError(f"unexpected layout in {sdists[0]}")
        tops[0].rename(unpacked)
    for needed in [PKG_IMPORT, *PKG_TEST_ARGS]:
        if not (unpacked / needed).exists():
            raise BenchError(f"{unpacked / needed} missing: the sdist does not ship it")
    marker.write_text(f"{PKG_NAME}=={PKG_VERSION}\n")
    return unpacked


# ---------------------------------------------------------------- running


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
) -> tuple[list[str], dict, str]:
    """(argv, env, cwd) for one run; the pytest-cov mode runs in pytest_cov_vpy's venv."""
    env = base_run_env()
    if workload == "cpu":
        source = str(WORKLOAD_DIR)
        target = [str(WORKLOAD_DIR / "cpu_bound.py")]
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
        return [str(python), *target, f"--cov={PKG_IMPORT}"], env, cwd
    if mode == "sysmon":
        env["COVERAGE_CORE"] = "sysmon"
    tool = "ferrocov" if mode == "ferrocov" else "coverage"
    return [str(vpy), "-m", tool, "run", f"--source={source}", *target], env, cwd


def timed_run(argv: list[str], env: dict, cwd: str, timeout: float, out_path: Path) -> dict:
    """Run once; return wall/cpu seconds, exit code, or a timeout marker."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(out_path, "wb") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            argv,
            env=env,
            cwd=cwd,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            rc = proc.wait(timeout=timeout)
            timed_out = False
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            rc = proc.wait()
            timed_out = True
        wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "rc": rc, "timed_out": timed_out}


def check_data(vpy: Path, env: dict, cwd: str) -> tuple[float | None, str]:
    """Read the data file just written with coverage.py's reporter: total %."""
    renv = dict(env)
    renv.pop("COVERAGE_CORE", None)
    try:
        out = subprocess.run(
            [str(vpy), "-m", "coverage", "report", "--format=total"],
            capture_output=True,
            text=True,
            env=renv,
            cwd=cwd,
            timeout=300,
        )
    except subprocess.TimeoutExpired:
        return None, "coverage report timed out"
    if out.returncode != 0:
        return None, (out.stdout + out.stderr).strip().splitlines()[-1:][0] if (
            out.stdout + out.stderr
        ).strip() else f"exit {out.returncode}"
    try:
        return float(out.stdout.strip()), ""
    except ValueError:
        return None, f"unexpected report output {out.stdout.strip()!r}"


def bench_python(spec: str, args, cache: Path) -> dict:
    res: dict = {"spec": spec, "status": "ok", "error": None, "workloads": {}}
    python = find_python(spec)
    if python is None:
        res.update(status="missing", error=f"no CPython {spec} found (pyenv, PATH)")
        log(f"\n=== Python {spec}: not found, skipped")
        return res
    info = interpreter_info(python)
    version = info["version"]
    res.update(python=python, version=version)
    log(f"\n=== Python {version} ({python})")
    venv = ensure_venv(python, version, cache, args)
    vpy = venv / "bin" / "python"
    res["venv"] = str(venv)

    modes = [m for m in args.modes if not (m == "sysmon" and info["minor"] < (3, 12))]
    skipped: dict[str, str] = {}
    if "sysmon" in args.modes and info["minor"] < (3, 12):
        skipped["sysmon"] = "sys.monitoring needs CPython 3.12+"
    if "ferrocov" in modes or "pytest-ferrocov" in modes:
        fc = install_ferrocov(vpy, version, cache, args)
        res["ferrocov"] = fc
        for m in ("ferrocov", "pytest-ferrocov"):
            if not fc["ok"] and m in modes:
                modes.remove(m)
                skipped[m] = fc["reason"]
    if "pytest-ferrocov" in modes:
        why = ferrocov_pytest_plugin(vpy)
        if why:
            log(f"  pytest --cov (ferrocov) skipped: {why}")
            modes.remove("pytest-ferrocov")
            skipped["pytest-ferrocov"] = why
    pytest_cov_vpy = None
    if "pytest-cov" in modes:
        try:
            pytest_cov_vpy = ensure_pytest_cov_venv(python, version, cache, args) / "bin" / "python"
            res["pytest_cov_venv"] = str(pytest_cov_vpy.parent.parent)
        except BenchError as exc:
            log(f"  pytest --cov (pytest-cov) skipped: {exc}")
            modes.remove("pytest-cov")
            skipped["pytest-cov"] = str(exc)
    cov_ver = subprocess.run(
        [str(vpy), "-c", "import coverage; print(coverage.__version__)"],
        capture_output=True,
        text=True,
        env=setup_env(),
    ).stdout.strip()
    res["coverage_version"] = cov_ver

    pkg_dir = None
    workloads = list(args.workloads)
    if "pkg" in workloads:
        try:
            pkg_dir = ensure_package_source(vpy, cache, args)
            res["pkg_dir"] = str(pkg_dir)
        except BenchError as exc:
            log(f"  ERROR: {WORKLOAD_LABELS['pkg']} unavailable, workload skipped: {exc}")
            res["workloads"]["pkg"] = {
                "label": WORKLOAD_LABELS["pkg"],
                "error": str(exc),
                "modes": {},
            }
            workloads.remove("pkg")
    scratch = cache / "scratch" / version
    scratch.mkdir(parents=True, exist_ok=True)
    rcfile = cache / "empty.coveragerc"
    rcfile.write_text("# intentionally empty: coverage.py / ferrocov defaults\n")
    out_dir = cache / "logs" / f"runs-{version}"
    out_dir.mkdir(parents=True, exist_ok=True)

    # Per workload: warm-up uncovered run (writes .pyc files, sets the
    # expected exit code), then N interleaved rounds over the modes.
    state: dict = {}
    for wl in workloads:
        argv, env, cwd = build_command(vpy, wl, "none", pkg_dir, scratch, rcfile)
        log(f"  warm-up {WORKLOAD_LABELS[wl]} (no coverage) ...")
        r = timed_run(argv, env, cwd, args.timeout, out_dir / f"{wl}-warmup.out")
        wres = {"label": WORKLOAD_LABELS[wl], "expected_rc": r["rc"], "modes": {}}
        res["workloads"][wl] = wres
        if r["timed_out"]:
            wres["error"] = f"uncovered warm-up run timed out after {args.timeout:.0f}s"
            log(f"  ERROR: {wres['error']}")
            continue
        if r["rc"] != 0:
            log(
                f"  WARNING: the uncovered run exits {r['rc']} (expected 0); "
                "covered runs must match it.\n"
                f"{tail((out_dir / f'{wl}-warmup.out').read_text(errors='replace'))}"
            )
        log(f"    {r['wall']:.2f}s, exit {r['rc']}")
        for m in ALL_MODES:
            if m in PYTEST_MODES and wl != "pkg":
                continue
            if m in skipped and m in args.modes:
                wres["modes"][m] = {"status": "skipped", "reason": skipped[m]}
        for m in modes:
            if m in PYTEST_MODES and wl != "pkg":
                continue
            wres["modes"][m] = {"status": "ok", "samples": [], "cpu_samples": [], "errors": []}
        state[wl] = wres

    for rep in range(args.repeat):
        # Rotate the mode order each round so no mode always runs first.
        order = modes[rep % len(modes) :] + modes[: rep % len(modes)]
        for wl, wres in state.items():
            if "error" in wres:
                continue
            for m in order:
                mres = wres["modes"].get(m)
                if mres is None or mres["status"] != "ok":
                    continue
                argv, env, cwd = build_command(vpy, wl, m, pkg_dir, scratch, rcfile, pytest_cov_vpy)
                if "COVERAGE_FILE" in env:
                    for stale in scratch.glob(".coverage*"):
                        if stale.is_dir():
                            shutil.rmtree(stale, ignore_errors=True)
                        else:
                            stale.unlink()
                out_path = out_dir / f"{wl}-{m}-{rep}.out"
                r = timed_run(argv, env, cwd, args.timeout, out_path)
                if r["timed_out"]:
                    msg = f"timed out after {args.timeout:.0f}s"
                elif r["rc"] != wres["expected_rc"]:
                    msg = (
                        f"exit code {r['rc']}, the uncovered run exits {wres['expected_rc']} "
                        f"(output: {out_path})"
                    )
                else:
                    msg = None
                if msg:
                    mres["status"] = "error"
                    mres["errors"].append(msg)
                    log(
                        f"  [{rep + 1}/{args.repeat}] {wl:4s} {m:15s} ERROR: {msg}\n"
                        f"{tail(out_path.read_text(errors='replace'))}"
                    )
                    continue
                mres["samples"].append(r["wall"])
                mres["cpu_samples"].append(r["cpu"])
                printed = out_path.read_text(errors="replace")
                out_path.unlink()
                extra = ""
                if m in PYTEST_MODES and not re.search(r"^TOTAL\s", printed, re.MULTILINE):
                    # The plugin measured but printed no report table: say so.
                    mres["data_warning"] = "no TOTAL row in the terminal report"
                    extra = "  (WARNING: no TOTAL row in the terminal report)"
                if m != "none" and "total_pct" not in mres:
                    # Read back by the coverage.py of the venv that ran it.
                    pct, why = check_data(Path(argv[0]), env, cwd)
                    mres["total_pct"] = pct
                    if pct is None:
                        mres["data_warning"] = why
                        extra += f"  (WARNING: data not readable by coverage.py: {why})"
                    else:
                        extra += f"  (measured {pct:.0f}% of the source)"
                log(f"  [{rep + 1}/{args.repeat}] {wl:4s} {m:15s} {r['wall']:8.2f}s{extra}")

    for wres in res["workloads"].values():
        base = wres["modes"].get("none", {})
        base_med = statistics.median(base["samples"]) if base.get("samples") else None
        for mres in wres["modes"].values():
            if mres.get("samples"):
                mres["median"] = statistics.median(mres["samples"])
                mres["min"] = min(mres["samples"])
                mres["cpu_median"] = statistics.median(mres["cpu_samples"])
                if base_med:
                    mres["ratio"] = mres["median"] / base_med
        fc = wres["modes"].get("ferrocov", {})
        for ref in ("coverage", "sysmon"):
            cr = wres["modes"].get(ref, {})
            if not (fc.get("ratio") and cr.get("ratio")):
                continue
            # Below ~2% coverage.py's overhead is within run-to-run noise and
            # a quotient of two noise terms means nothing.
            if cr["ratio"] - 1 < MIN_OVERHEAD:
                wres.setdefault("ferrocov_overhead_note", {})[ref] = (
                    f"coverage.py overhead below {MIN_OVERHEAD:.0%}"
                )
                continue
            wres.setdefault("ferrocov_overhead_vs", {})[ref] = (fc["ratio"] - 1) / (cr["ratio"] - 1)
        pf = wres["modes"].get("pytest-ferrocov", {})
        pc = wres["modes"].get("pytest-cov", {})
        if pf.get("ratio") and pc.get("ratio"):
            vs = {"time": pf["median"] / pc["median"]}
            if pc["ratio"] - 1 >= MIN_OVERHEAD:
                vs["overhead"] = (pf["ratio"] - 1) / (pc["ratio"] - 1)
            wres["pytest_ferrocov_vs_pytest_cov"] = vs
    if any(
        mres.get("status") == "error"
        for w in res["workloads"].values()
        for mres in w["modes"].values()
    ) or any("error" in w for w in res["workloads"].values()):
        res["status"] = "errors"
    return res


# ---------------------------------------------------------------- reporting


def fmt_ratio(x: float | None) -> str:
    return f"{x:.2f}x" if x is not None else "-"


def print_table(res: dict) -> None:
    if res.get("status") == "missing" or "version" not in res:
        return
    log(
        f"\nPython {res['version']}  (coverage {res.get('coverage_version')}, "
        f"ferrocov {(res.get('ferrocov') or {}).get('version') or 'n/a'})"
    )
    hdr = (
        f"  {'workload':34s} {'mode':28s} {'median s':>9s} {'ratio':>7s} {'min s':>8s} "
        f"{'cpu s':>8s} {'n':>3s}  note"
    )
    log(hdr)
    log("  " + "-" * (len(hdr) - 2))
    for wres in res["workloads"].values():
        if "error" in wres:
            log(f"  {wres['label']:34s} {'-':28s} ERROR: {wres['error']}")
            continue
        for m in ALL_MODES:
            mres = wres["modes"].get(m)
            if mres is None:
                continue
            note = ""
            if mres["status"] == "skipped":
                note = "skipped: " + mres["reason"]
            elif mres["status"] == "error":
                note = "ERROR: " + "; ".join(mres["errors"][:2])
            if mres.get("data_warning"):
                note += " data warning: " + mres["data_warning"]
            med = f"{mres['median']:9.2f}" if "median" in mres else f"{'-':>9s}"
            mn = f"{mres['min']:8.2f}" if "min" in mres else f"{'-':>8s}"
            cpu = f"{mres['cpu_median']:8.2f}" if "cpu_median" in mres else f"{'-':>8s}"
            n = len(mres.get("samples", []))
            log(
                f"  {wres['label']:34s} {MODE_LABELS[m]:28s} {med} "
                f"{fmt_ratio(mres.get('ratio')):>7s} "
                f"{mn} {cpu} {n:3d}  {note}"
            )
        ov = wres.get("ferrocov_overhead_vs", {})
        parts = [f"{MODE_LABELS[k]}: {v:.2f}" for k, v in ov.items()]
        parts += [
            f"{MODE_LABELS[k]}: n/a ({why})"
            for k, why in wres.get("ferrocov_overhead_note", {}).items()
        ]
        if "ferrocov" in wres["modes"]:
            log(
                f"  {'':34s} ferrocov overhead / coverage.py overhead: "
                f"{', '.join(parts) if parts else 'n/a'}"
            )
        pf = wres["modes"].get("pytest-ferrocov", {})
        pc = wres["modes"].get("pytest-cov", {})
        if pf or pc:
            log(f"  {'':34s} pytest --cov: {pytest_summary(wres)}")


def pytest_summary(wres: dict) -> str:
    """The `pytest --cov` ratios of one workload in words."""
    pf = wres["modes"].get("pytest-ferrocov", {})
    pc = wres["modes"].get("pytest-cov", {})
    parts = [
        f"ferrocov/none {fmt_ratio(pf.get('ratio'))}",
        f"pytest-cov/none {fmt_ratio(pc.get('ratio'))}",
    ]
    vs = wres.get("pytest_ferrocov_vs_pytest_cov")
    if vs:
        parts.append(f"ferrocov time / pytest-cov time {vs['time']:.2f}")
        if "overhead" in vs:
            parts.append(f"ferrocov overhead / pytest-cov overhead {vs['overhead']:.2f}")
        else:
            parts.append(f"pytest-cov overhead below {MIN_OVERHEAD:.0%}: no overhead quotient")
    return ", ".join(parts)


def markdown(results: list[dict], modes: list[str]) -> str:
    cols = [m for m in ALL_MODES if m in modes and m not in PYTEST_MODES]
    head = ["Python", "Workload"] + [MODE_LABELS[m] for m in cols]
    if "ferrocov" in cols:
        head.append("ferrocov overhead / coverage.py overhead")
    lines = [
        "| " + " | ".join(head) + " |",
        "|" + "|".join(["---"] * 2 + ["---:"] * (len(head) - 2)) + "|",
    ]
    for res in results:
        if "version" not in res:
            continue
        for wres in res["workloads"].values():
            row = [res["version"], wres["label"]]
            for m in cols:
                mres = wres["modes"].get(m, {})
                if "median" in mres:
                    row.append(f"{mres['median']:.2f} s ({fmt_ratio(mres.get('ratio'))})")
                elif mres.get("status") == "error":
                    row.append("error")
                else:
                    row.append("n/a")
            if "ferrocov" in cols:
                ov = wres.get("ferrocov_overhead_vs", {})
                row.append(
                    ", ".join(
                        f"{v:.2f} vs {'sysmon' if k == 'sysmon' else 'default'}"
                        for k, v in ov.items()
                    )
                    or "n/a"
                )
            lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def markdown_pytest(results: list[dict]) -> str:
    """The `pytest --cov` runs: no coverage against each plugin, and the two plugins compared."""
    head = [
        "Python",
        "Workload",
        MODE_LABELS["none"],
        MODE_LABELS["pytest-ferrocov"],
        MODE_LABELS["pytest-cov"],
        "ferrocov time / pytest-cov time",
        "ferrocov overhead / pytest-cov overhead",
    ]
    lines = [
        "| " + " | ".join(head) + " |",
        "|" + "|".join(["---"] * 2 + ["---:"] * (len(head) - 2)) + "|",
    ]
    for res in results:
        if "version" not in res:
            continue
        for wres in res["workloads"].values():
            if not any(m in wres["modes"] for m in PYTEST_MODES):
                continue
            row = [res["version"], wres["label"]]
            for m in ("none", *PYTEST_MODES):
                mres = wres["modes"].get(m, {})
                if "median" in mres:
                    row.append(f"{mres['median']:.2f} s ({fmt_ratio(mres.get('ratio'))})")
                elif mres.get("status") == "error":
                    row.append("error")
                else:
                    row.append("n/a")
            vs = wres.get("pytest_ferrocov_vs_pytest_cov", {})
            row.append(f"{vs['time']:.2f}" if "time" in vs else "n/a")
            row.append(f"{vs['overhead']:.2f}" if "overhead" in vs else "n/a")
            lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def machine_info() -> dict:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = None
    try:
        out = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
        )
        if out.returncode == 0:
            commit = out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return {"cpu": cpu, "cpus": os.cpu_count(), "platform": platform.platform(), "commit": commit}


# ---------------------------------------------------------------- main


def parse_args(argv: list[str]):
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--pythons",
        default=",".join(DEFAULT_PYTHONS),
        help="comma-separated versions (3.12) or interpreter paths [%(default)s]",
    )
    p.add_argument(
        "--repeat", type=int, default=None, help="timed runs per mode; median is reported [5]"
    )
    p.add_argument("--quick", action="store_true", help="1 repeat, CPU workload only")
    p.add_argument(
        "--workloads", default=None, help="comma-separated: cpu,pkg [cpu,pkg; cpu with --quick]"
    )
    p.add_argument(
        "--modes", default=",".join(ALL_MODES), help="comma-separated subset of %(default)s"
    )
    p.add_argument(
        "--ferrocov-wheel-dir",
        default=None,
        help="install ferrocov from prebuilt wheels in this directory instead of the checkout",
    )
    p.add_argument(
        "--no-ferrocov-install",
        action="store_true",
        help="do not (re)install ferrocov; use whatever the venv already has",
    )
    p.add_argument(
        "--timeout", type=float, default=1200.0, help="per-run timeout in seconds [%(default)s]"
    )
    p.add_argument(
        "--install-timeout",
        type=float,
        default=1800.0,
        help="timeout for each pip install/download [%(default)s]",
    )
    p.add_argument(
        "--cache-dir",
        default=os.path.expanduser("~/.cache/ferrocov-bench"),
        help="venvs, sdists and run logs [%(default)s]",
    )
    p.add_argument(
        "--json", default=str(RESULTS_DIR / "latest.json"), help="results file [%(default)s]"
    )
    args = p.parse_args(argv)
    if args.repeat is None:
        args.repeat = 1 if args.quick else 5
    if args.repeat < 1:
        p.error("--repeat must be at least 1")
    if args.workloads is None:
        args.workloads = "cpu" if args.quick else "cpu,pkg"
    args.workloads = [w.strip() for w in args.workloads.split(",") if w.strip()]
    bad = [w for w in args.workloads if w not in WORKLOAD_LABELS]
    if bad or not args.workloads:
        p.error(f"unknown workload(s) {bad}; choose from {list(WORKLOAD_LABELS)}")
    args.modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    bad = [m for m in args.modes if m not in ALL_MODES]
    if bad or "none" not in args.modes:
        p.error(f"--modes must include 'none' and only use {ALL_MODES}")
    args.pythons = [s.strip() for s in args.pythons.split(",") if s.strip()]
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    cache = Path(args.cache_dir)
    cache.mkdir(parents=True, exist_ok=True)
    started = datetime.datetime.now(datetime.timezone.utc)
    log(
        f"ferrocov benchmark: pythons={','.join(args.pythons)} repeat={args.repeat} "
        f"workloads={','.join(args.workloads)} modes={','.join(args.modes)}"
    )
    results = []
    report = {
        "started": started.isoformat(timespec="seconds"),
        "machine": machine_info(),
        "config": {
            "repeat": args.repeat,
            "workloads": args.workloads,
            "modes": args.modes,
            "coverage": COVERAGE_PIN,
            "pytest": PYTEST_PIN,
            "pytest-cov": PYTEST_COV_PIN,
            "package": f"{PKG_NAME}=={PKG_VERSION}",
            "timeout": args.timeout,
        },
        "results": results,
    }
    json_path = Path(args.json)

    def save() -> None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        if json_path.parent.resolve() == RESULTS_DIR and not (RESULTS_DIR / ".gitignore").exists():
            (RESULTS_DIR / ".gitignore").write_text("*.json\n")
        report["finished"] = datetime.datetime.now(datetime.timezone.utc).isoformat(
            timespec="seconds"
        )
        json_path.write_text(json.dumps(report, indent=2) + "\n")

    interrupted = False
    for spec in args.pythons:
        try:
            res = bench_python(spec, args, cache)
        except BenchError as exc:
            res = {"spec": spec, "status": "error", "error": str(exc), "workloads": {}}
            log(f"  ERROR (Python {spec} skipped): {exc}")
        except KeyboardInterrupt:
            log("\ninterrupted: reporting what was measured so far")
            interrupted = True
            break
        results.append(res)
        print_table(res)
        save()
    save()

    log("\n" + "=" * 78)
    for res in results:
        print_table(res)
    log(f"\nResults: {json_path}")
    log(
        "\nMarkdown for BENCHMARKS.md (median wall time of "
        f"{args.repeat} run{'s' if args.repeat > 1 else ''}, ratio to no coverage):"
    )
    wants_pytest = any(m in PYTEST_MODES for m in args.modes)
    if not wants_pytest or any(m not in ("none", *PYTEST_MODES) for m in args.modes):
        log("\n" + markdown(results, args.modes))
    if wants_pytest:
        log(f"\n`pytest --cov` ({PYTEST_COV_PIN} in a venv of its own):\n")
        log(markdown_pytest(results))
    mi = report["machine"]
    log(
        f"\n_Measured {started:%Y-%m-%d} on {mi['cpu']} ({mi['cpus']} CPUs), "
        f"{COVERAGE_PIN}, {PYTEST_PIN}, {PYTEST_COV_PIN}._"
    )

    found = [r for r in results if r.get("status") != "missing"]
    if not found:
        log("\nno Python interpreter could be benchmarked")
        return 2
    if interrupted:
        return 130
    if any(r.get("status") in ("error", "errors") for r in results):
        log("\nsome runs failed: see the ERROR lines above")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
