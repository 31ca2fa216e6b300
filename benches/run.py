#!/usr/bin/env python3
"""Benchmark ferrocov against coverage.py and against no coverage at all.

    python3 benches/run.py [--pythons 3.10,3.11,3.12,3.13] [--repeat N] [--quick] [--branch]

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

With --contexts both pytest modes record per-test contexts (`--cov-context=test`, pytest-cov's
labels), and the table gives each one's data file size.

With --branch every covered mode measures branch coverage (`[run] branch = true` in the
configuration all of them read), and the read-back check compares coverage.py's totals, which
then count branches.

Workloads: `cpu` = benches/workloads/cpu_bound.py, `pkg` = the test suite of
a pinned PyPI package (PKG_NAME==PKG_VERSION) run from its unpacked sdist,
`empty` = a one-line program (the fixed cost of starting and ending a run).

Prints a table per Python, a Markdown fragment for BENCHMARKS.md, and writes
benches/results/latest.json. Pure standard library; see benches/README.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import sys
from pathlib import Path

from benchlib import tables
from benchlib.common import (
    ALL_MODES,
    COVERAGE_PIN,
    DEFAULT_PYTHONS,
    PKG_NAME,
    PKG_VERSION,
    PYTEST_COV_PIN,
    PYTEST_MODES,
    PYTEST_PIN,
    RESULTS_DIR,
    WORKLOAD_LABELS,
    BenchError,
    log,
)
from benchlib.tables import machine_info, markdown, markdown_pytest, print_table
from benchlib.timing import bench_python


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
        "--branch", action="store_true", help="measure branch coverage in every covered mode"
    )
    p.add_argument(
        "--instructions",
        action="store_true",
        help="count instructions instead of timing: every timed run goes under valgrind's "
        "cachegrind (20-50x slower), and the tables give billions of instructions, which the "
        "machine's load does not change (needs valgrind)",
    )
    p.add_argument(
        "--contexts",
        action="store_true",
        help="the pytest modes record per-test contexts (--cov-context=test); reports each "
        "one's data file size",
    )
    p.add_argument(
        "--workloads",
        default=None,
        help="comma-separated: cpu,pkg,empty [cpu,pkg; cpu with --quick]",
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
    if args.instructions:
        if shutil.which("valgrind") is None:
            log("--instructions needs valgrind on PATH")
            return 2
        tables.UNIT["instructions"] = True
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
            "branch": args.branch,
            "instructions": args.instructions,
            "contexts": args.contexts,
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
    measure = "instruction count" if args.instructions else "wall time"
    log(
        f"\nMarkdown for BENCHMARKS.md (median {measure} of "
        f"{args.repeat} run{'s' if args.repeat > 1 else ''}, ratio to no coverage):"
    )
    wants_pytest = any(m in PYTEST_MODES for m in args.modes)
    if not wants_pytest or any(m not in ("none", *PYTEST_MODES) for m in args.modes):
        log("\n" + markdown(results, args.modes))
    if wants_pytest:
        per_test = ", `--cov-context=test`" if args.contexts else ""
        log(f"\n`pytest --cov{per_test}` ({PYTEST_COV_PIN} in a venv of its own):\n")
        log(markdown_pytest(results))
    checked = [
        w for r in results for w in r.get("workloads", {}).values() if "reference_total" in w
    ]
    if checked:
        log(
            "\n_Every covered run's data file was read back by coverage.py; "
            + (
                "each measured the same lines as coverage.py (default core) on the same workload._"
                if not any(r.get("status") in ("error", "errors") for r in results)
                else "SOME DIFFER from coverage.py's: see the ERROR lines._"
            )
        )
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
