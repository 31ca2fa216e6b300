#!/usr/bin/env python3
"""Benchmark the HTML report: ferrocov against coverage.py on one large generated project.

    python3 benches/html_report.py [--python PATH] [--files 5000] [--repeat 3] [--branch]

Generates the project the report benchmark uses (benchlib/bigproject.py), measures it once with
`coverage run`, then times, for each tool on that one data file: a full `html` into a new
directory, and a re-run with nothing changed (coverage.py rewrites no page but analyses every
file again; ferrocov neither). Records each full run's peak memory (max RSS of the child) and
each site's size on disk.

Every ferrocov site is checked against coverage.py's of the same data by parsing both
(tests/support/html_site.py): the file index, the function and class indexes, and a sample of
source pages (every 50th), line by line. A difference fails the benchmark (exit 1).
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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from support.html_site import assert_same_site


def timed(argv: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return elapsed


def size_mib(site: Path) -> float:
    return sum(p.stat().st_size for p in site.iterdir() if p.is_file()) / 2**20


def sampled_copy(site: Path, dest: Path, every: int) -> Path:
    """The indexes, status and every `every`th page of `site`, for a quicker comparison."""
    dest.mkdir()
    pages = sorted(p for p in site.iterdir() if p.name.endswith(".html"))
    for i, page in enumerate(pages):
        if "index" in page.name or i % every == 0:
            shutil.copy2(page, dest / page.name)
    return dest


def main() -> int:
    cache = Path(os.environ.get("FERROCOV_CACHE", Path.home() / ".cache" / "ferrocov"))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default=str(cache / "venv-3.12" / "bin" / "python"))
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--branch", action="store_true", help="measure branches too")
    parser.add_argument("--keep", action="store_true", help="keep the generated project")
    args = parser.parse_args()
    python = args.python
    work = Path(tempfile.mkdtemp(prefix="ferrocov-html-"))
    try:
        print(f"generating {args.files} modules in {work} ...", flush=True)
        generate(work, args.files)
        run = [python, "-m", "coverage", "run", "--source=bigproj"]
        subprocess.run(
            [*run, *(["--branch"] if args.branch else []), "driver.py"], cwd=work, check=True
        )
        lines = sum(1 for p in (work / "bigproj").rglob("*.py") for _ in p.open())
        print(f"{lines} lines measured; timing {args.repeat} repeats", flush=True)
        full: dict[str, list[float]] = {"coverage": [], "ferrocov": []}
        again: dict[str, list[float]] = {"coverage": [], "ferrocov": []}
        for rep in range(args.repeat):
            tools = ["coverage", "ferrocov"] if rep % 2 == 0 else ["ferrocov", "coverage"]
            for tool in tools:
                site = work / f"site-{tool}"
                shutil.rmtree(site, ignore_errors=True)
                argv = [python, "-m", tool, "html", "-q", "-d", site.name]
                full[tool].append(timed(argv, work))
                again[tool].append(timed(argv, work))
        memory = {}
        for tool in ("coverage", "ferrocov"):
            site = work / f"site-{tool}"
            shutil.rmtree(site, ignore_errors=True)
            memory[tool] = (
                peak_rss([python, "-m", tool, "html", "-q", "-d", site.name], work) / 1024
            )
        sizes = {tool: size_mib(work / f"site-{tool}") for tool in ("coverage", "ferrocov")}
        failure = ""
        try:
            assert_same_site(
                sampled_copy(work / "site-coverage", work / "sample-coverage", 50),
                sampled_copy(work / "site-ferrocov", work / "sample-ferrocov", 50),
            )
        except AssertionError as err:
            failure = str(err)[:2000] or "the sites differ"
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
        med = {
            k: {t: statistics.median(v) for t, v in d.items()}
            for k, d in (("full", full), ("again", again))
        }
        kind = "branches" if args.branch else "lines"
        print(f"\nPython {version[0]}, coverage.py {version[1]}, {args.files} files, {kind}")
        print("\nMarkdown for BENCHMARKS.md:\n")
        print("| `html` | coverage.py | ferrocov | speed-up |")
        print("|---|---:|---:|---:|")
        for label, key in (
            ("full run, new directory", "full"),
            ("re-run, nothing changed", "again"),
        ):
            cov, fc = med[key]["coverage"], med[key]["ferrocov"]
            print(f"| {label} | {cov:.2f} s | {fc:.2f} s | {cov / fc:.1f}x |")
        cov_mem, fc_mem = memory["coverage"], memory["ferrocov"]
        print(f"| peak RSS (full run) | {cov_mem:.0f} MiB | {fc_mem:.0f} MiB | |")
        print(f"| site size | {sizes['coverage']:.1f} MiB | {sizes['ferrocov']:.1f} MiB | |")
        print(
            f"\n_Python {version[0]}, coverage.py {version[1]}, {args.files} generated files "
            f"({lines} lines, {kind}), median of {args.repeat}._"
        )
        if failure:
            print(f"\nCHECK FAILED: ferrocov's site differs from coverage.py's:\n{failure}")
            return 1
        print("\nChecked: the indexes and every 50th page show the same facts as coverage.py's.")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
