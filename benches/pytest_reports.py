#!/usr/bin/env python3
"""Four reports against one from `pytest --cov`: ferrocov's plugin and pytest-cov.

    python3 benches/pytest_reports.py [--pythons 3.12,3.13] [--files 5000] [--rounds 5]

On the generated project of `benches/reports.py` (N modules) with a small pytest suite that
imports every module and runs two thirds of them, times, interleaved round-robin:

    none                  pytest (no coverage plugin loaded)
    ferrocov, 1 report    pytest --cov=bigproj --cov-report=term-missing     (ferrocov's plugin)
    ferrocov, 4 reports   ... --cov-report=term-missing --cov-report=xml --cov-report=json
                          --cov-report=lcov                                  (ferrocov's plugin)
    pytest-cov, 1 and 4   the same two in pytest-cov's reference venv (tools/pytest-cov-env.sh)

and prints the median seconds, each tool's four/one ratio (the cost of three more reports) and a
Markdown table. ferrocov's plugin makes all of a session's reports in one pass (the data read
once, each file analysed once); pytest-cov makes each report on its own.

The work is checked: every covered run's term-missing table must equal pytest-cov's (row for
row), and the XML, JSON and LCOV files of every four-report run must describe the same executed
and missing lines per file as pytest-cov's JSON report. A difference fails the run (exit 1).

ferrocov's venv is built from the checkout with `tools/python-env.sh` (unless `--no-build` or
`--ferrocov-python`), pytest-cov's with `tools/pytest-cov-env.sh`; both honour $FERROCOV_CACHE.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchlib.bigproject import PACKAGE, generate, write_tests
from benchlib.common import REPO_ROOT
from benchlib.envs import find_python
from benchlib.report_checks import (
    LineMap,
    line_map_differences,
    lines_from_json,
    lines_from_lcov,
    lines_from_xml,
)
from benchlib.tables import machine_info
from benchlib.timing import timed_run
from benchlib.workloads import base_run_env

TARGET_RATIO = 1.10  # ferrocov's four reports may cost at most 10% more than one
ONE = ["--cov-report=term-missing"]
FOUR = [*ONE, "--cov-report=xml", "--cov-report=json", "--cov-report=lcov"]
REPORT_FILES = {"xml": "coverage.xml", "json": "coverage.json", "lcov": "coverage.lcov"}
# mode: (venv, --cov-report options); None = no coverage.
MODES = {
    "none": ("ferrocov", None),
    "ferrocov-1": ("ferrocov", ONE),
    "ferrocov-4": ("ferrocov", FOUR),
    "pytest-cov-1": ("pytest-cov", ONE),
    "pytest-cov-4": ("pytest-cov", FOUR),
}
LABELS = {
    "none": "no coverage",
    "ferrocov-1": "ferrocov, term-missing",
    "ferrocov-4": "ferrocov, 4 reports",
    "pytest-cov-1": "pytest-cov, term-missing",
    "pytest-cov-4": "pytest-cov, 4 reports",
}
TABLE_START = re.compile(r"^Name\s+Stmts\s+Miss\s+Cover", re.MULTILINE)
TABLE_END = re.compile(r"^TOTAL\s.*$", re.MULTILINE)


def log(message: str = "") -> None:
    print(message, flush=True)


def last_line(command: list[str]) -> str:
    """The python path an env script prints last; its other output goes to our stderr."""
    out = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


def venvs(spec: str, args) -> tuple[str, str]:
    """The python of ferrocov's venv and of pytest-cov's reference venv for one version."""
    base = find_python(spec)
    if base is None:
        raise SystemExit(f"no CPython {spec} found (pyenv, PATH)")
    ferrocov = args.ferrocov_python
    if ferrocov is None:
        if args.no_build:
            minor = subprocess.run(
                [base, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            cache = Path(os.environ.get("FERROCOV_CACHE", Path.home() / ".cache" / "ferrocov"))
            ferrocov = str(cache / f"venv-{minor}" / "bin" / "python")
        else:
            log(f"building ferrocov for {base} (tools/python-env.sh) ...")
            ferrocov = last_line([str(REPO_ROOT / "tools" / "python-env.sh"), base])
    pytest_cov = args.pytest_cov_python or last_line(
        [str(REPO_ROOT / "tools" / "pytest-cov-env.sh"), base]
    )
    for python in (ferrocov, pytest_cov):
        if not os.access(python, os.X_OK):
            raise SystemExit(f"{python} does not exist: build it or drop --no-build")
    return ferrocov, pytest_cov


def command(mode: str, pythons: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    venv, reports = MODES[mode]
    argv = [pythons[venv], "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"]
    env = base_run_env()
    if reports is not None:
        # Each venv holds one coverage plugin, loaded through its entry point as a user's
        # `pytest --cov` loads it.
        env.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
        argv += [f"--cov={PACKAGE}", *reports]
    return argv, env


def clear_outputs(work: Path) -> None:
    """No data file or report of an earlier run may pass for this run's."""
    for stale in [*work.glob(".coverage*"), *(work / name for name in REPORT_FILES.values())]:
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
        elif stale.exists():
            stale.unlink()


def term_table(printed: str) -> list[str] | None:
    """The rows of the term-missing table, header to TOTAL, without trailing blanks."""
    start = TABLE_START.search(printed)
    end = TABLE_END.search(printed, start.end()) if start else None
    if not (start and end):
        return None
    return [row.rstrip() for row in printed[start.start() : end.end()].splitlines()]


def report_maps(work: Path) -> dict[str, LineMap]:
    """The lines each report file of a four-report run says were executed and missed; XML file
    names are relative to their <source>, so they are made relative to the project like the
    others."""
    json_map = lines_from_json((work / REPORT_FILES["json"]).read_text())
    lcov_map = lines_from_lcov((work / REPORT_FILES["lcov"]).read_text())
    xml_text = (work / REPORT_FILES["xml"]).read_text()
    sources = re.findall(r"<source>([^<]*)</source>", xml_text)
    if len(sources) != 1:
        raise SystemExit(f"expected one <source> in the XML report, found {sources}")
    prefix = os.path.relpath(sources[0], work)
    xml_map = {
        os.path.normpath(os.path.join(prefix, name)): lines
        for name, lines in lines_from_xml(xml_text).items()
    }
    return {"json": json_map, "xml": xml_map, "lcov": lcov_map}


class Checks:
    """What every covered run produced, against pytest-cov's first run of the same kind."""

    def __init__(self) -> None:
        self.reference_table: list[str] | None = None
        self.reference_lines: LineMap | None = None
        self.failures: list[str] = []
        self.checked = 0

    def fail(self, message: str) -> None:
        self.failures.append(message)
        log(f"  CHECK FAILED: {message}")

    def table(self, mode: str, rnd: int, printed: str) -> None:
        rows = term_table(printed)
        if rows is None:
            self.fail(f"{LABELS[mode]}, round {rnd}: no term-missing table in the output")
            return
        if self.reference_table is None:
            self.reference_table = rows
        if rows != self.reference_table:
            diff = next(
                (
                    f"{a!r} against {b!r}"
                    for a, b in zip(rows, self.reference_table, strict=False)
                    if a != b
                ),
                f"{len(rows)} rows against {len(self.reference_table)}",
            )
            self.fail(f"{LABELS[mode]}, round {rnd}: term-missing table differs: {diff}")
        self.checked += 1

    def files(self, mode: str, rnd: int, work: Path) -> None:
        try:
            maps = report_maps(work)
        except (OSError, ValueError, KeyError) as exc:
            self.fail(f"{LABELS[mode]}, round {rnd}: a report file is missing or unreadable: {exc}")
            return
        if self.reference_lines is None:
            self.reference_lines = maps["json"]
        if not self.reference_lines:
            self.fail(f"{LABELS[mode]}, round {rnd}: the JSON report holds no file")
        for kind, got in maps.items():
            diffs = line_map_differences(got, self.reference_lines)
            if diffs:
                self.fail(
                    f"{LABELS[mode]}, round {rnd}: the {kind.upper()} report's lines differ from "
                    f"pytest-cov's JSON report: {'; '.join(diffs)}"
                )


def run_once(mode: str, label: str, pythons: dict, work: Path, out_path: Path, args) -> dict:
    """One run from a clean project; a failing run (the suite passes uncovered) stops all."""
    argv, env = command(mode, pythons)
    clear_outputs(work)
    run = timed_run(argv, env, str(work), args.timeout, out_path)
    if run["timed_out"] or run["rc"] != 0:
        raise SystemExit(
            f"{LABELS[mode]}, {label}: exit {run['rc']}"
            f"{' (timed out)' if run['timed_out'] else ''}; output: {out_path}"
        )
    return run


def bench(spec: str, args) -> dict:
    ferrocov, pytest_cov = venvs(spec, args)
    pythons = {"ferrocov": ferrocov, "pytest-cov": pytest_cov}
    version = subprocess.run(
        [ferrocov, "-c", "import platform; print(platform.python_version())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # pytest-cov first in the first round: its outputs are the reference for ferrocov's.
    order = ["none", *(f"{tool}-{n}" for tool in args.tools for n in (1, 4))]
    work = Path(tempfile.mkdtemp(prefix="ferrocov-pytest-reports-"))
    logs = Path(tempfile.mkdtemp(prefix="ferrocov-pytest-reports-logs-"))
    result: dict = {"version": version, "modes": order, "samples": {m: [] for m in order}}
    result["pythons"] = pythons
    result["cpu"] = {m: [] for m in order}
    checks = Checks()
    try:
        log(f"\n=== Python {version}: {args.files} modules in {work}")
        generate(work, args.files)
        write_tests(work, args.files)
        warm = run_once("none", "warm-up", pythons, work, logs / "warm-up.out", args)
        log(f"  warm-up (no coverage): {warm['wall']:.2f}s")
        if "pytest-cov" not in args.tools:
            log("  reference: pytest-cov, 4 reports, untimed ...")
            out_path = logs / "reference.out"
            run_once("pytest-cov-4", "reference", pythons, work, out_path, args)
            checks.table("pytest-cov-4", 0, out_path.read_text(errors="replace"))
            checks.files("pytest-cov-4", 0, work)
        for rnd in range(1, args.rounds + 1):
            shift = (rnd - 1) % len(order)
            for mode in order[shift:] + order[:shift]:
                out_path = logs / f"{mode}-{rnd}.out"
                run = run_once(mode, f"round {rnd}", pythons, work, out_path, args)
                result["samples"][mode].append(run["wall"])
                result["cpu"][mode].append(run["cpu"])
                log(f"  [{rnd}/{args.rounds}] {LABELS[mode]:26s} {run['wall']:8.2f}s")
                if mode != "none":
                    checks.table(mode, rnd, out_path.read_text(errors="replace"))
                if MODES[mode][1] == FOUR:
                    checks.files(mode, rnd, work)
    finally:
        if args.keep:
            log(f"  kept {work} and the outputs in {logs}")
        else:
            shutil.rmtree(work, ignore_errors=True)
            shutil.rmtree(logs, ignore_errors=True)
    result["median"] = {m: statistics.median(s) for m, s in result["samples"].items()}
    result["cpu_median"] = {m: statistics.median(s) for m, s in result["cpu"].items()}
    result["failures"] = checks.failures
    result["checked"] = checks.checked
    result["total_row"] = (checks.reference_table or ["?"])[-1]
    return result


def ratio(r: dict, over: str, under: str, key: str = "median") -> float | None:
    if over not in r[key] or under not in r[key]:
        return None
    return r[key][over] / r[key][under]


def fmt(x: float | None, spec: str = ".2f", unit: str = "x") -> str:
    return "n/a" if x is None else f"{x:{spec}}{unit}"


def print_result(r: dict, rounds: int) -> None:
    log(f"\nPython {r['version']}, median of {rounds} rounds (wall s, CPU s, wall ratio to none)")
    for mode in r["modes"]:
        spread = f"{min(r['samples'][mode]):.2f}-{max(r['samples'][mode]):.2f}s"
        log(
            f"  {LABELS[mode]:26s} {r['median'][mode]:8.2f}s {r['cpu_median'][mode]:8.2f}s "
            f"{ratio(r, mode, 'none'):6.2f}x  (wall {spread})"
        )
    for tool in ("ferrocov", "pytest-cov"):
        four_one = ratio(r, f"{tool}-4", f"{tool}-1")
        if four_one is None:
            continue
        cpu = ratio(r, f"{tool}-4", f"{tool}-1", "cpu_median")
        extra = r["median"][f"{tool}-4"] - r["median"][f"{tool}-1"]
        target = ""
        if tool == "ferrocov":
            met = "met" if four_one <= TARGET_RATIO else "NOT met"
            target = f"  (target <= {TARGET_RATIO:.2f}x: {met})"
        log(
            f"  {tool}: four / one {four_one:.2f}x (CPU {cpu:.2f}x), "
            f"three more reports {extra:+.2f}s{target}"
        )
    one, four = ratio(r, "pytest-cov-1", "ferrocov-1"), ratio(r, "pytest-cov-4", "ferrocov-4")
    if one is not None and four is not None:
        log(f"  pytest-cov / ferrocov: {one:.1f}x for one report, {four:.1f}x for four")
    log(f"  term-missing TOTAL row of every covered run: {r['total_row']}")


def markdown(results: list[dict]) -> str:
    modes = list(MODES)
    head = [
        "Python",
        *(LABELS[m] for m in modes),
        "four / one, ferrocov (CPU)",
        "four / one, pytest-cov (CPU)",
        "pytest-cov / ferrocov, four reports",
    ]
    rows = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
    for r in results:
        cells = [r["version"]]
        cells += [fmt(r["median"].get(m), ".2f", " s") for m in modes]
        for tool in ("ferrocov", "pytest-cov"):
            wall = ratio(r, f"{tool}-4", f"{tool}-1")
            cpu = ratio(r, f"{tool}-4", f"{tool}-1", "cpu_median")
            cells.append(f"{fmt(wall)} ({fmt(cpu)})")
        cells.append(fmt(ratio(r, "pytest-cov-4", "ferrocov-4"), ".1f"))
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pythons", default="3.12", help="comma-separated versions [%(default)s]")
    parser.add_argument("--files", type=int, default=5000, help="modules [%(default)s]")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds [%(default)s]")
    parser.add_argument("--timeout", type=float, default=1800.0, help="per run, s [%(default)s]")
    parser.add_argument("--no-build", action="store_true", help="use $FERROCOV_CACHE/venv-3.X")
    parser.add_argument("--ferrocov-python", help="a venv python with ferrocov (one version)")
    parser.add_argument("--pytest-cov-python", help="a venv python with pytest-cov (one version)")
    parser.add_argument(
        "--tools",
        default="pytest-cov,ferrocov",
        help="whose runs to time [%(default)s]; without pytest-cov, one untimed pytest-cov run "
        "is still made as the reference the checks need",
    )
    parser.add_argument("--keep", action="store_true", help="keep the project and run outputs")
    args = parser.parse_args(argv)
    tools = {s.strip() for s in args.tools.split(",") if s.strip()}
    if not tools or not tools <= {"pytest-cov", "ferrocov"}:
        parser.error("--tools takes pytest-cov and/or ferrocov")
    # pytest-cov first: its first run is the reference every other run is checked against.
    args.tools = [tool for tool in ("pytest-cov", "ferrocov") if tool in tools]
    specs = [s.strip() for s in args.pythons.split(",") if s.strip()]
    if (args.ferrocov_python or args.pytest_cov_python) and len(specs) != 1:
        parser.error("--ferrocov-python/--pytest-cov-python need exactly one --pythons version")
    started = datetime.datetime.now(datetime.timezone.utc)
    results = []
    for spec in specs:
        result = bench(spec, args)
        print_result(result, args.rounds)
        results.append(result)
    mi = machine_info()
    log(f"\nMarkdown for BENCHMARKS.md (median wall time of {args.rounds} interleaved rounds):\n")
    log(markdown(results))
    log(
        f"\n_{started:%Y-%m-%d}, {args.files} generated modules, {mi['cpu']} ({mi['cpus']} CPUs), "
        f"benches at commit {(mi['commit'] or '?')[:10]}._"
    )
    for r in results:
        log(f"_{r['version']}: ferrocov from {r['pythons']['ferrocov']}._")
    failures = [f for r in results for f in r["failures"]]
    if failures:
        log(f"\nCHECK FAILED: {len(failures)} difference(s) from pytest-cov's reports:")
        for failure in failures:
            log(f"  {failure}")
        return 1
    checked = sum(r["checked"] for r in results)
    log(
        f"\nChecked: the term-missing tables of all {checked} covered runs are pytest-cov's, and "
        "every four-report run's XML, JSON and LCOV describe pytest-cov's lines."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
