"""Stress the multi-process matrix: run every scenario of tests/processes N times per Python and
count the runs that lost lines (a worker's marked lines missing from the combined data) and the
runs that failed otherwise (files left behind, output or exit code different from plain Python,
a hang).

    python3 benches/stress.py                       # 20 runs of every scenario, every CPython found
    python3 benches/stress.py --repeat 5 -k mp-spawn
    python3 benches/stress.py --pythons ~/.cache/ferrocov/venv-3.12/bin/python --markdown
    python3 benches/stress.py --branch              # measuring branches: every arc's lines kept
    python3 benches/stress.py --context             # inside a test's context: lines keep its label

Without --pythons, each CPython 3.10-3.13 that tools/pythons.sh finds gets ferrocov built and
installed by tools/python-env.sh (the venvs `make test` uses). Exits 1 if any run lost or failed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "processes"))

from process_scenarios import SCENARIOS, Scenario, run_plain, run_scenario  # noqa: E402


@dataclass
class Tally:
    runs: int = 0
    lost: int = 0
    failed: int = 0
    first_problem: str = ""
    seconds: float = 0.0


@dataclass
class PythonResult:
    python: str
    version: str
    tallies: dict[str, Tally] = field(default_factory=dict)

    @property
    def runs(self) -> int:
        return sum(t.runs for t in self.tallies.values())

    @property
    def lost(self) -> int:
        return sum(t.lost for t in self.tallies.values())

    @property
    def failed(self) -> int:
        return sum(t.failed for t in self.tallies.values())


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def find_pythons() -> list[str]:
    """The venv interpreters `make test` uses, built now for every CPython found."""
    found = subprocess.run(
        [str(REPO / "tools" / "pythons.sh")], capture_output=True, text=True, check=True
    ).stdout.split()
    pythons = []
    for base in found:
        log(f"building ferrocov for {base} (tools/python-env.sh)")
        built = subprocess.run(
            [str(REPO / "tools" / "python-env.sh"), base],
            stdout=subprocess.PIPE,
            text=True,
            check=False,
        )
        if built.returncode != 0:
            log(f"  build failed, skipped: {base}")
            continue
        pythons.append(built.stdout.strip().splitlines()[-1])
    return pythons


def python_version(python: str) -> str:
    return subprocess.run(
        [python, "-c", "import platform; print(platform.python_version())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


_LOCK = threading.Lock()


def one_run(
    python: str,
    scenario: Scenario,
    tally: Tally,
    plain: subprocess.CompletedProcess[str],
    branch: bool,
    context: bool,
) -> None:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix=f"stress-{scenario.name}-") as tmp:
        outcome = run_scenario(scenario, Path(tmp), python, plain, branch=branch, context=context)
    with _LOCK:
        tally.seconds += time.monotonic() - started
        tally.runs += 1
        if outcome.lost:
            tally.lost += 1
        elif outcome.problems:
            tally.failed += 1
        if not outcome.ok and not tally.first_problem:
            tally.first_problem = outcome.describe()


def plain_results(
    python: str, scenarios: list[Scenario], jobs: int
) -> dict[str, subprocess.CompletedProcess[str]]:
    """Each scenario once under plain Python: what every measured run must print and return."""

    def one(scenario: Scenario) -> subprocess.CompletedProcess[str]:
        with tempfile.TemporaryDirectory(prefix=f"plain-{scenario.name}-") as tmp:
            return run_plain(scenario, Path(tmp), python)

    with ThreadPoolExecutor(jobs) as pool:
        return dict(zip((s.name for s in scenarios), pool.map(one, scenarios), strict=True))


def stress(
    python: str,
    scenarios: list[Scenario],
    repeat: int,
    jobs: int,
    branch: bool,
    context: bool = False,
) -> PythonResult:
    result = PythonResult(python, python_version(python))
    result.tallies = {s.name: Tally() for s in scenarios}
    # Round after round of the whole matrix, so that load and time of day hit every scenario alike.
    plain = plain_results(python, scenarios, jobs)
    work = [(s, result.tallies[s.name], plain[s.name]) for _ in range(repeat) for s in scenarios]
    done = 0
    with ThreadPoolExecutor(jobs) as pool:
        for _ in pool.map(lambda item: one_run(python, *item, branch, context), work):
            done += 1
            if done % len(scenarios) == 0:
                log(
                    f"  {result.version}: round {done // len(scenarios)}/{repeat}, "
                    f"lost {result.lost}, failed {result.failed}"
                )
    return result


def print_table(result: PythonResult) -> None:
    print(f"\nCPython {result.version} ({result.python})")
    width = max(len(name) for name in result.tallies)
    print(f"{'scenario':<{width}}  runs  lost  failed  s/run")
    for name, t in result.tallies.items():
        per_run = t.seconds / t.runs if t.runs else 0.0
        print(f"{name:<{width}}  {t.runs:>4}  {t.lost:>4}  {t.failed:>6}  {per_run:5.1f}")
    print(f"{'total':<{width}}  {result.runs:>4}  {result.lost:>4}  {result.failed:>6}")
    for name, t in result.tallies.items():
        if t.first_problem:
            print(f"\n{name}: first problem:\n{t.first_problem}")


def markdown(results: list[PythonResult], repeat: int) -> str:
    versions = [r.version for r in results]
    lines = [
        "| scenario | " + " | ".join(f"{v} runs / lost / failed" for v in versions) + " |",
        "|---|" + "---:|" * len(versions),
    ]
    names = list(dict.fromkeys(name for r in results for name in r.tallies))
    for name in names:
        cells = []
        for r in results:
            t = r.tallies.get(name)
            cells.append(f"{t.runs} / {t.lost} / {t.failed}" if t else "n/a")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    totals = [f"**{r.runs} / {r.lost} / {r.failed}**" for r in results]
    lines.append("| **all scenarios** | " + " | ".join(totals) + " |")
    lines.append(f"\n_{repeat} runs per scenario per Python; {len(names)} scenarios._")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=20, help="runs per scenario (20)")
    parser.add_argument(
        "--pythons", help="comma-separated interpreters with ferrocov installed (default: build)"
    )
    parser.add_argument(
        "-k", dest="select", default="", help="only scenarios whose name contains one of these (,)"
    )
    parser.add_argument("--jobs", type=int, default=2, help="scenarios run at once (2)")
    parser.add_argument("--markdown", action="store_true", help="also print a Markdown table")
    parser.add_argument(
        "--branch", action="store_true", help="measure branches (a lost arc loses its lines)"
    )
    parser.add_argument(
        "--context",
        action="store_true",
        help="run each program in a test's context: every expected line must carry its label",
    )
    parser.add_argument("--list", action="store_true", help="list the scenarios and exit")
    args = parser.parse_args(argv)

    wanted = [w for w in args.select.split(",") if w]
    scenarios = [s for s in SCENARIOS if not wanted or any(w in s.name for w in wanted)]
    if args.list:
        print("\n".join(s.name for s in scenarios))
        return 0
    if not scenarios:
        log("no scenario matches")
        return 2
    pythons = args.pythons.split(",") if args.pythons else find_pythons()
    if not pythons:
        log("no interpreter to stress")
        return 2
    results = []
    for python in pythons:
        log(f"stressing {python}: {len(scenarios)} scenarios x {args.repeat}")
        started = time.monotonic()
        result = stress(python, scenarios, args.repeat, args.jobs, args.branch, args.context)
        log(f"  done in {time.monotonic() - started:.0f} s")
        print_table(result)
        results.append(result)
    if args.markdown:
        print()
        print(markdown(results, args.repeat))
    return 1 if any(r.lost or r.failed for r in results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
