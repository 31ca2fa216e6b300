#!/usr/bin/env python3
"""Benchmark report generation: ferrocov against coverage.py on one large project.

    python3 benches/reports.py [--python PATH] [--files 5000] [--repeat 3]

Generates a project of N modules (varied code: classes, functions, branches, comprehensions,
excluded lines, never-called functions), measures it once with `coverage run` to get one data
file, then times `report`, `json`, `xml` and `lcov` of coverage.py and of ferrocov on that same
data file, alternating the two tools on each repeat, and records each run's peak memory (max RSS
of the child). Prints a table with the speed-up and a Markdown fragment for BENCHMARKS.md.

Every timed ferrocov report is checked against coverage.py's report of the same data: byte for
byte, but for the tool's version and the time stamp in the JSON `meta` and on the XML root.
A difference fails the benchmark (exit 1) after the table is printed.

The interpreter must have both `ferrocov` and `coverage` installed (the test venvs
`tools/python-env.sh` builds under $FERROCOV_CACHE, default ~/.cache/ferrocov/, do); by default
the 3.12 test venv is used.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchlib.bigproject import generate
from benchlib.common import peak_rss
from benchlib.report_checks import first_difference, normalised

COMMANDS = ("report", "json", "xml", "lcov")
KINDS = {"report": "text", "json": "json", "xml": "xml", "lcov": "lcov"}


def command(name: str, tool: str) -> list[str]:
    """The command line of one report; each tool writes its own file, so both can be compared."""
    if name == "report":
        return ["report"]
    return [name, "-q", "-o", f"out-{tool}.{name}"]


def output(name: str, tool: str, work: Path, stdout: str) -> str:
    return stdout if name == "report" else (work / f"out-{tool}.{name}").read_text()


def timed(argv: list[str], cwd: Path) -> tuple[float, str]:
    """Wall seconds and standard output of one child process; a failure stops the benchmark."""
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return elapsed, proc.stdout


def time_reports(python: str, work: Path, repeat: int) -> tuple[dict, list[str]]:
    """Seconds of each (command, tool), and how ferrocov's outputs differed from coverage.py's."""
    results: dict[tuple[str, str], list[float]] = {}
    reference: dict[str, str] = {}
    failures: list[str] = []
    for rep in range(repeat):
        for name in COMMANDS:
            # coverage.py first on the first repeat: ferrocov's output is checked against its.
            tools = ["coverage", "ferrocov"] if rep % 2 == 0 else ["ferrocov", "coverage"]
            for tool in tools:
                (work / f"out-{tool}.{name}").unlink(missing_ok=True)
                seconds, stdout = timed([python, "-m", tool, *command(name, tool)], work)
                results.setdefault((name, tool), []).append(seconds)
                text = normalised(KINDS[name], output(name, tool, work, stdout))
                want = reference.setdefault(name, text) if tool == "coverage" else reference[name]
                where = first_difference(text, want)
                if where:
                    who = "ferrocov's" if tool == "ferrocov" else "coverage.py's own (repeated)"
                    failures.append(f"`{name}`, repeat {rep + 1}: {who} output differs, {where}")
                    print(f"  CHECK FAILED: {failures[-1]}", flush=True)
    return results, failures


def main() -> int:
    cache = Path(os.environ.get("FERROCOV_CACHE", Path.home() / ".cache" / "ferrocov"))
    default_python = cache / "venv-3.12" / "bin" / "python"
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default=str(default_python))
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the generated project")
    args = parser.parse_args()
    python = args.python
    work = Path(tempfile.mkdtemp(prefix="ferrocov-reports-"))
    try:
        print(f"generating {args.files} modules in {work} ...", flush=True)
        generate(work, args.files)
        subprocess.run(
            [python, "-m", "coverage", "run", "--source=bigproj", "driver.py"],
            cwd=work,
            check=True,
        )
        lines = sum(1 for p in (work / "bigproj").rglob("*.py") for _ in p.open())
        print(f"{lines} lines of source measured; timing {args.repeat} repeats", flush=True)
        results, failures = time_reports(python, work, args.repeat)
        memory: dict[tuple[str, str], int] = {}
        for name in COMMANDS:
            for tool in ("coverage", "ferrocov"):
                memory[(name, tool)] = peak_rss([python, "-m", tool, *command(name, tool)], work)
        version = subprocess.run(
            [
                python,
                "-c",
                "import sys, coverage; print(sys.version.split()[0], coverage.__version__)",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        rows = []
        print(f"\nPython {version[0]}, coverage.py {version[1]}, {args.files} files, {lines} lines")
        print(
            f"{'command':8} {'coverage.py':>12} {'ferrocov':>10} {'speed-up':>9} "
            f"{'cov.py MiB':>11} {'ferrocov MiB':>13}"
        )
        for name in COMMANDS:
            cov = statistics.median(results[(name, "coverage")])
            fc = statistics.median(results[(name, "ferrocov")])
            cov_mem = memory[(name, "coverage")] / 1024
            fc_mem = memory[(name, "ferrocov")] / 1024
            rows.append((name, cov, fc, cov / fc, cov_mem, fc_mem))
            print(
                f"{name:8} {cov:11.2f}s {fc:9.2f}s {cov / fc:8.1f}x {cov_mem:10.0f} {fc_mem:12.0f}"
            )
        print("\nMarkdown for BENCHMARKS.md:\n")
        print(
            "| command | coverage.py | ferrocov | speed-up "
            "| peak RSS coverage.py | peak RSS ferrocov |"
        )
        print("|---|---:|---:|---:|---:|---:|")
        for name, cov, fc, ratio, cov_mem, fc_mem in rows:
            print(
                f"| `{name}` | {cov:.2f} s | {fc:.2f} s | {ratio:.1f}x "
                f"| {cov_mem:.0f} MiB | {fc_mem:.0f} MiB |"
            )
        print(
            f"\n_Python {version[0]}, coverage.py {version[1]}, {args.files} generated files "
            f"({lines} lines), median of {args.repeat}._"
        )
        if failures:
            print(f"\nCHECK FAILED: {len(failures)} report(s) differ from coverage.py's:")
            for failure in failures:
                print(f"  {failure}")
            return 1
        runs = args.repeat * len(COMMANDS)
        print(
            f"\nChecked: all {runs} timed ferrocov reports equal coverage.py's of the same data "
            "(version and time stamp aside)."
        )
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
