"""What the overhead benchmark prints: the table per Python, the `pytest --cov` summary, the
Markdown tables for BENCHMARKS.md, and the machine it ran on."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path

from benchlib.common import ALL_MODES, MIN_OVERHEAD, MODE_LABELS, PYTEST_MODES, REPO_ROOT, log


def fmt_ratio(x: float | None) -> str:
    return f"{x:.2f}x" if x is not None else "-"


# What the timed figures are: seconds, or with `run.py --instructions` billions of instructions.
UNIT = {"instructions": False}


def fmt_seconds(x: float) -> str:
    """Seconds as the Markdown tables show them; milliseconds below a second (the `empty`
    workload), where hundredths of a second would hide the whole difference."""
    if UNIT["instructions"]:
        return f"{x:.3f} G instr"
    return f"{x:.2f} s" if x >= 1 else f"{x * 1000:.0f} ms"


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
            med = f"{mres['median']:9.3f}" if "median" in mres else f"{'-':>9s}"
            mn = f"{mres['min']:8.3f}" if "min" in mres else f"{'-':>8s}"
            cpu = f"{mres['cpu_median']:8.3f}" if "cpu_median" in mres else f"{'-':>8s}"
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
        if "reference_total" in wres:
            log(f"  {'':34s} data read back: {checks_summary(wres)}")


def checks_summary(wres: dict) -> str:
    """What the comparison with coverage.py's measurement found, in words."""
    runs = sum(m.get("runs_checked", 0) for m in wres["modes"].values())
    bad = [
        MODE_LABELS[k]
        for k, m in wres["modes"].items()
        if m.get("runs_checked")
        and any("other lines than coverage.py" in e for e in m.get("errors", []))
    ]
    ref = wres["reference_total"]
    if bad:
        return f"DIFFERENT from coverage.py's lines ({ref:.2f}%) in: {', '.join(bad)}"
    return f"all {runs} covered runs measured the lines coverage.py measured ({ref:.2f}%)"


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
                    row.append(f"{fmt_seconds(mres['median'])} ({fmt_ratio(mres.get('ratio'))})")
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
        "data file, ferrocov / pytest-cov",
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
                    row.append(f"{fmt_seconds(mres['median'])} ({fmt_ratio(mres.get('ratio'))})")
                elif mres.get("status") == "error":
                    row.append("error")
                else:
                    row.append("n/a")
            vs = wres.get("pytest_ferrocov_vs_pytest_cov", {})
            row.append(f"{vs['time']:.2f}" if "time" in vs else "n/a")
            row.append(f"{vs['overhead']:.2f}" if "overhead" in vs else "n/a")
            sizes = [wres["modes"].get(m, {}).get("data_size") for m in PYTEST_MODES]
            row.append(
                " / ".join(f"{size / 2**10:.0f} KiB" for size in sizes) if all(sizes) else "n/a"
            )
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
