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
    MODE_LABELS,
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
from benchlib.readback import (
    ReadbackError,
    differences,
    display_pct,
    printed_total,
    read_data,
)
from benchlib.workloads import build_command


def timed_run(
    argv: list[str],
    env: dict,
    cwd: str,
    timeout: float,
    out_path: Path,
    instructions: bool = False,
) -> dict:
    """Run once; return wall/cpu seconds, exit code, or a timeout marker. With `instructions`
    the run is made under valgrind's cachegrind (no cache simulation), every process it starts
    included, and "wall" and "cpu" hold the instructions executed, in billions: a count the
    machine's load does not change."""
    if instructions:
        logs = out_path.with_name(out_path.name + ".vg")
        shutil.rmtree(logs, ignore_errors=True)
        logs.mkdir(parents=True)
        argv = [
            "valgrind",
            "--tool=cachegrind",
            "--cache-sim=no",
            "--cachegrind-out-file=/dev/null",
            "--trace-children=yes",
            f"--log-file={logs}/%p.log",
            *argv,
        ]
        result = timed_run(argv, env, cwd, timeout * 40, out_path)
        counts = [
            int(found.group(1).replace(",", ""))
            for log_file in logs.glob("*.log")
            for found in re.finditer(r"I\s+refs:\s+([\d,]+)", log_file.read_text())
        ]
        shutil.rmtree(logs, ignore_errors=True)
        if not counts and not result["timed_out"]:
            raise BenchError(f"valgrind reported no instruction count for {argv[6:]}")
        billions = sum(counts) / 1e9
        return {**result, "wall": billions, "cpu": billions}
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


def clear_data(scratch: Path) -> None:
    """No data file or shards of an earlier run may be read back as this run's."""
    for stale in scratch.glob(".coverage*"):
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink()


def read_back(
    vpy: Path,
    wl: str,
    mode: str,
    mres: dict,
    printed: str,
    scratch: Path,
    env: dict,
    cwd: str,
    readbacks: dict,
) -> str | None:
    """Read the data file of the run just timed into `readbacks`; why it is wrong, or None.

    Every run is read (not only the first), so one run that measured nothing cannot hide among
    good ones. The `pytest --cov` modes must also have printed a TOTAL row agreeing with their
    data: that table is part of what they were timed making."""
    try:
        data = read_data(vpy, scratch / ".coverage", env, cwd)
    except ReadbackError as exc:
        return str(exc)
    readbacks.setdefault((wl, mode), []).append(data)
    mres["total_pct"] = data["total"]
    if not data["files"]:
        return "the data file holds no measured file"
    if mode in PYTEST_MODES:
        shown = printed_total(printed)
        if shown is None:
            return "no TOTAL row in the terminal report"
        if data["total"] is None or shown != display_pct(data["total"]):
            return f"the terminal report's TOTAL says {shown}%, its data file {data['total']}"
    return None


def check_workload(
    vpy: Path,
    wl: str,
    wres: dict,
    readbacks: dict,
    pkg_dir: Path | None,
    scratch: Path,
    rcfile: Path,
    out_dir: Path,
    args,
) -> None:
    """Compare every covered run of the workload with coverage.py's (default core) measurement
    of it: the first timed `coverage` run, or an untimed one made now when that mode was not
    asked for. A difference makes the mode an error, which fails the benchmark."""
    covered = [m for m, mres in wres["modes"].items() if m != "none" and mres.get("samples")]
    if not covered:
        return
    reference = (readbacks.get((wl, "coverage")) or [None])[0]
    if reference is None:
        log(f"  reference: {WORKLOAD_LABELS[wl]} under coverage.py (default core), untimed ...")
        argv, env, cwd = build_command(vpy, wl, "coverage", pkg_dir, scratch, rcfile)
        clear_data(scratch)
        out_path = out_dir / f"{wl}-reference.out"
        r = timed_run(argv, env, cwd, args.timeout, out_path)
        why = None
        if r["timed_out"] or r["rc"] != wres["expected_rc"]:
            why = f"the reference run failed (exit {r['rc']}, output: {out_path})"
        else:
            try:
                reference = read_data(vpy, scratch / ".coverage", env, cwd)
            except ReadbackError as exc:
                why = f"the reference run cannot be read back: {exc}"
        if reference is None:
            wres["error"] = why
            log(f"  ERROR: {why}")
            return
    wres["reference_total"] = reference["total"]
    for m in covered:
        mres = wres["modes"][m]
        runs = readbacks.get((wl, m), [])
        for i, data in enumerate(runs):
            diffs = differences(data, reference)
            if diffs:
                mres["status"] = "error"
                mres["errors"].append(
                    f"run {i + 1} measured other lines than coverage.py: " + "; ".join(diffs)
                )
                log(f"  ERROR: {WORKLOAD_LABELS[wl]}, {MODE_LABELS[m]}: {mres['errors'][-1]}")
        mres["runs_checked"] = len(runs)


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
    if getattr(args, "branch", False):
        # Every covered mode reads it: ferrocov, coverage.py and both pytest plugins measure
        # branches, and the read-back totals (coverage.py's report) count branches too.
        rcfile = cache / "branch.coveragerc"
        rcfile.write_text("[run]\nbranch = true\n")
    else:
        rcfile.write_text("# intentionally empty: coverage.py / ferrocov defaults\n")
    out_dir = cache / "logs" / f"runs-{version}"
    out_dir.mkdir(parents=True, exist_ok=True)

    # Per workload: warm-up uncovered run (writes .pyc files, sets the
    # expected exit code), then N interleaved rounds over the modes.
    state: dict = {}
    # What each covered run measured, read back, by (workload, mode): compared with coverage.py's
    # measurement of the same workload once every round is done.
    readbacks: dict[tuple[str, str], list[dict]] = {}
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
                contexts = getattr(args, "contexts", False)
                argv, env, cwd = build_command(
                    vpy, wl, m, pkg_dir, scratch, rcfile, pytest_cov_vpy, contexts
                )
                if "COVERAGE_FILE" in env:
                    clear_data(scratch)
                out_path = out_dir / f"{wl}-{m}-{rep}.out"
                r = timed_run(argv, env, cwd, args.timeout, out_path, args.instructions)
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
                data_file = Path(env.get("COVERAGE_FILE", ""))
                if m in PYTEST_MODES and data_file.is_file():
                    mres["data_size"] = data_file.stat().st_size
                printed = out_path.read_text(errors="replace")
                extra = ""
                if m != "none":
                    why = read_back(vpy, wl, m, mres, printed, scratch, env, cwd, readbacks)
                    if why:
                        mres["status"] = "error"
                        mres["errors"].append(f"{why} (output: {out_path})")
                        extra = f"  ERROR: {why}"
                    elif len(readbacks[(wl, m)]) == 1:
                        total = readbacks[(wl, m)][0]["total"] or 0.0
                        extra = f"  (measured {display_pct(total)}% of the source)"
                if not extra.startswith("  ERROR"):
                    out_path.unlink()
                log(f"  [{rep + 1}/{args.repeat}] {wl:4s} {m:15s} {r['wall']:8.3f}s{extra}")

    for wl, wres in state.items():
        if "error" not in wres:
            check_workload(vpy, wl, wres, readbacks, pkg_dir, scratch, rcfile, out_dir, args)

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
