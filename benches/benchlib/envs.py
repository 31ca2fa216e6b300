"""Interpreters and venvs: finding each CPython, the pinned venvs (main and pytest-cov), installing
ferrocov into the main one, and the pinned package's unpacked sdist."""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path

from benchlib.common import (
    COVERAGE_SPECS,
    PKG_IMPORT,
    PKG_NAME,
    PKG_TEST_ARGS,
    PKG_VERSION,
    PYTEST_COV_PIN,
    PYTEST_PIN,
    REPO_ROOT,
    STAMP_NAME,
    BenchError,
    explain,
    log,
)

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


def python_in_neutral_dir(vpy: Path, code: str) -> subprocess.CompletedProcess[str]:
    """Runs `code` in the venv from an empty directory, so no source tree is imported."""
    with tempfile.TemporaryDirectory() as tmp:
        return subprocess.run(
            [str(vpy), "-c", code],
            capture_output=True,
            text=True,
            cwd=tmp,
            env=setup_env(),
            timeout=120,
        )


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
    out = python_in_neutral_dir(vpy, code)
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
    out = python_in_neutral_dir(
        vpy, "import ferrocov; print(getattr(ferrocov, '__version__', 'unknown'))"
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
