"""Timing one Python version: the warm-up, the interleaved rounds over every mode, and the
medians and ratios of what was timed."""

from __future__ import annotations

import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import time
from pathlib import Path

from benchlib.common import (
    ALL_MODES,
    MIN_OVERHEAD,
    PYTEST_MODES,
    WORKLOAD_LABELS,
    BenchError,
    log,
    tail,
)
from benchlib.envs import (
    ensure_package_source,
    ensure_pytest_cov_venv,
    ensure_venv,
    ferrocov_pytest_plugin,
    find_python,
    install_ferrocov,
    interpreter_info,
    setup_env,
)
from benchlib.workloads import build_command


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
