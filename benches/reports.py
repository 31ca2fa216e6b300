#!/usr/bin/env python3
"""Benchmark report generation: ferrocov against coverage.py on one large project.

    python3 benches/reports.py [--python PATH] [--files 5000] [--repeat 3]

Generates a project of N modules (varied code: classes, functions, branches, comprehensions,
excluded lines, never-called functions), measures it once with `coverage run` to get one data
file, then times `report`, `json`, `xml` and `lcov` of coverage.py and of ferrocov on that same
data file, alternating the two tools on each repeat, and records each run's peak memory (max RSS
of the child). Prints a table with the speed-up and a Markdown fragment for BENCHMARKS.md.

The interpreter must have both `ferrocov` and `coverage` installed (the test venvs under
~/.cache/ferrocov/ do); by default the 3.12 test venv is used.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VERSION_PROBE = "import sys, coverage; print(sys.version.split()[0], coverage.__version__)"

COMMANDS = {
    "report": ["report"],
    "json": ["json", "-q", "-o", "out.json"],
    "xml": ["xml", "-q", "-o", "out.xml"],
    "lcov": ["lcov", "-q", "-o", "out.lcov"],
}

MODULE_TEMPLATE = '''"""Generated module {index}: realistic shapes, partly executed."""
import os


class Widget{index}:
    """A class with methods, a property and a branchy method."""

    def __init__(self, size):
        self.size = size
        self.items = [i * {index} for i in range(size)]

    @property
    def total(self):
        return sum(self.items)

    def classify(self, value):
        if value < 0:
            return "negative"
        elif value == 0:
            return "zero"
        elif value < {limit}:
            return "small"
        else:
            return "large"

    def never_called(self):  # the report shows this as missing
        result = {{}}
        for key in ("a", "b", "c"):
            result[key] = [
                x for x in range(10)
                if x % 2
            ]
        return result


def helper_{index}(values):
    out = []
    for value in values:
        try:
            out.append(100 // value)
        except ZeroDivisionError:
            out.append(None)
    return out


def unused_{index}(path):
    if os.path.exists(path):  # pragma: no cover
        return open(path).read()
    while True:
        break
    return None


def run():
    w = Widget{index}({size})
    w.classify({value})
    helper_{index}([1, 0, 2])
    return w.total
'''


def generate(root: Path, count: int) -> None:
    rng = random.Random(1234)
    pkg = root / "bigproj"
    for chunk in range(0, count, 500):
        sub = pkg / f"part{chunk // 500:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / "__init__.py").write_text("")
        for index in range(chunk, min(chunk + 500, count)):
            text = MODULE_TEMPLATE.format(
                index=index,
                limit=rng.randint(5, 50),
                size=rng.randint(1, 5),
                value=rng.randint(-3, 60),
            )
            (sub / f"mod{index:05d}.py").write_text(text)
    (pkg / "__init__.py").write_text("")
    driver = ["import importlib", f"for i in range({count}):"]
    driver.append("    m = importlib.import_module(f'bigproj.part{i // 500:02d}.mod{i:05d}')")
    driver.append("    if i % 3: m.run()")
    (root / "driver.py").write_text("\n".join(driver) + "\n")


def timed(argv: list[str], cwd: Path) -> float:
    """Wall seconds of one child process; a failure stops the benchmark."""
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return elapsed


def peak_rss(argv: list[str], cwd: Path) -> int:
    """Peak RSS (KiB) of one run, measured in a fresh helper process so maxima don't mix."""
    probe = (
        "import resource, subprocess, sys;"
        "subprocess.run(sys.argv[1:], check=True, capture_output=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *argv], cwd=cwd, capture_output=True, text=True, check=True
    )
    return int(out.stdout.strip())


def main() -> int:
    default_python = Path.home() / ".cache/ferrocov/venv-3.12/bin/python"
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
        results: dict[tuple[str, str], list[float]] = {}
        memory: dict[tuple[str, str], int] = {}
        for repeat in range(args.repeat):
            for name, cmd in COMMANDS.items():
                tools = ["coverage", "ferrocov"] if repeat % 2 == 0 else ["ferrocov", "coverage"]
                for tool in tools:
                    seconds = timed([python, "-m", tool, *cmd], work)
                    results.setdefault((name, tool), []).append(seconds)
        for name, cmd in COMMANDS.items():
            for tool in ("coverage", "ferrocov"):
                memory[(name, tool)] = peak_rss([python, "-m", tool, *cmd], work)
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
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
