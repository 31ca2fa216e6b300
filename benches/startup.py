"""What ferrocov's start-up hook (`ferrocov.pth`) costs every Python process: interpreter
start-up and a two-line program (`python child.py`) in a venv with ferrocov installed against an
identical venv without it, with no run active (what every Python process on the machine pays)
and with a run active (what each measured child pays: it starts measuring, creates its shard and
records its lines). A third venv holding only a `.pth` file with a comment in it shows what any
`.pth` file costs (on 3.13 `site` decodes each with the utf-8-sig codec, whose first use imports
it).

Each timed start is checked: a measured start must leave exactly one shard, named with its
process id, which ferrocov combines and coverage.py reads back with the child's two lines; the
other modes must leave none. A hook that silently measured nothing would otherwise look fast;
any failure stops the benchmark with exit status 1.

    python3 benches/startup.py                          # every CPython 3.10-3.13 found
    python3 benches/startup.py --pythons 3.12 --rounds 500

The venvs are made by this script (`python -m venv --without-pip`, under
~/.cache/ferrocov-startup/); ferrocov is installed from the wheel
`tools/python-env.sh` built (`$FERROCOV_CACHE/wheels-3.X/`, default ~/.cache/ferrocov), and the
shards are read back with that script's venv (`$FERROCOV_CACHE/venv-3.X`). Runs are interleaved
in random order each round so machine load hits all modes alike; the added cost is the median of
the per-round differences, with a bootstrap 95% interval.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("FERROCOV_STARTUP_CACHE", Path.home() / ".cache" / "ferrocov-startup"))
WHEELS = Path(os.environ.get("FERROCOV_CACHE", Path.home() / ".cache" / "ferrocov"))
MODES = (
    "bare venv",
    "ferrocov installed, no run",
    "ferrocov, run active",
    "bare venv + a comment-only .pth",
)
MEASURED = MODES.index("ferrocov, run active")
CHILD = "import sys\nvalue = len(sys.argv)\n"
CHILD_LINES = [1, 2]
SHARD_LINES = REPO / "benches" / "benchlib" / "shard_lines.py"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def base_pythons(specs: str | None) -> list[str]:
    if not specs:
        out = subprocess.run(
            [str(REPO / "tools" / "pythons.sh")], capture_output=True, text=True, check=True
        )
        return out.stdout.split()
    found = []
    for spec in specs.split(","):
        if os.path.sep in spec:
            found.append(spec)
            continue
        root = subprocess.run(["pyenv", "root"], capture_output=True, text=True).stdout.strip()
        matches = sorted(Path(root, "versions").glob(f"{spec}.*/bin/python3"))
        if matches:
            found.append(str(matches[-1]))
        else:
            log(f"no interpreter for {spec}")
    return found


def minor_version(python: str) -> str:
    return subprocess.run(
        [python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def make_venvs(base: str, version: str) -> tuple[str, str, str]:
    """Pythons of three fresh venvs, identical but for: nothing, ferrocov, a .pth doing nothing."""
    wheels = sorted((WHEELS / f"wheels-{version}").glob("ferrocov-*.whl"))
    if not wheels:
        raise SystemExit(
            f"no ferrocov wheel in {WHEELS}/wheels-{version}: run tools/python-env.sh {base} first"
        )
    bare, installed = CACHE / f"bare-{version}", CACHE / f"ferrocov-{version}"
    other_pth = CACHE / f"other-pth-{version}"
    for venv in (bare, installed, other_pth):
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([base, "-m", "venv", "--without-pip", str(venv)], check=True)
    # No pip inside the venvs (it would add its own files): unpack the wheel into site-packages.
    site = subprocess.run(
        [
            str(installed / "bin" / "python"),
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    import zipfile

    with zipfile.ZipFile(wheels[-1]) as wheel:
        for member in wheel.namelist():
            if ".data/purelib/" in member:
                target = Path(site) / member.split(".data/purelib/", 1)[1]
                target.write_bytes(wheel.read(member))
            elif ".data/" not in member:
                wheel.extract(member, site)
    # What any .pth file costs, whatever it holds (3.13's site decodes each with utf-8-sig).
    other_site = Path(site.replace(str(installed), str(other_pth)))
    (other_site / "other.pth").write_text("# a .pth file that does nothing\n")
    return (
        str(bare / "bin" / "python"),
        str(installed / "bin" / "python"),
        str(other_pth / "bin" / "python"),
    )


def spawn_time(python: str, child: str, env: dict[str, str]) -> tuple[float, float, int]:
    """Wall time and CPU time (user + system) of one `python child.py`, and its process id. CPU
    time hardly depends on what else the machine runs, so it resolves sub-millisecond
    differences wall time cannot on a shared machine."""
    started = time.perf_counter()
    pid = os.posix_spawn(python, [python, child], env)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{python} {child} failed")
    return elapsed, usage.ru_utime + usage.ru_stime, pid


def take_shard(run_dir: Path, pid: int, keep: Path | None) -> str | None:
    """Why the start just timed left the wrong files in the run directory, or None. A measured
    start (`keep` given) must leave exactly its own shard, which is moved to `keep` to be read
    back later; any other start must leave nothing."""
    left = sorted(p.name for p in run_dir.iterdir())
    if keep is None:
        return f"an unmeasured start left {left}" if left else None
    if len(left) != 1 or not left[0].endswith(".fcshard") or f".{pid}." not in left[0]:
        return f"measured child {pid} left {left or 'no shard'}, not exactly its own shard"
    shards = keep / ".coverage-shards"
    shards.mkdir(parents=True)
    (run_dir / left[0]).rename(shards / left[0])
    return None


def check_shards(version: str, kept: list[Path], child: str) -> None:
    """Every kept shard, combined by ferrocov and read by coverage.py, holds the child's lines."""
    reader = WHEELS / f"venv-{version}" / "bin" / "python"
    out = subprocess.run(
        [str(reader), str(SHARD_LINES), *map(str, kept)],
        env=clean_env(),
        cwd=kept[0].parent,
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        raise SystemExit(f"reading the shards back failed:\n{out.stderr[-2000:]}")
    wrong = {
        d: lines for d, lines in json.loads(out.stdout).items() if lines != {child: CHILD_LINES}
    }
    if wrong:
        first = next(iter(wrong.items()))
        raise SystemExit(
            f"{len(wrong)} of {len(kept)} measured starts did not record the child's lines "
            f"{CHILD_LINES}: e.g. {first[0]} holds {first[1]}"
        )


def bootstrap_median(values: list[float], resamples: int = 2000) -> tuple[float, float]:
    rng = random.Random(1)
    medians = sorted(
        statistics.median(rng.choices(values, k=len(values))) for _ in range(resamples)
    )
    return medians[int(resamples * 0.025)], medians[int(resamples * 0.975)]


def hook_cost_ns(python: str) -> float:
    """The .pth line itself, executed in-process with no run active: nanoseconds per run."""
    code = (
        "import sysconfig, timeit\n"
        "line = open(sysconfig.get_paths()['purelib'] + '/ferrocov.pth').read()\n"
        "code = compile(line, 'ferrocov.pth', 'exec')\n"
        "n = 200000\n"
        "print(min(timeit.repeat(lambda: exec(code, {}), number=n, repeat=5)) / n * 1e9)\n"
    )
    env = clean_env()
    out = subprocess.run([python, "-c", code], env=env, capture_output=True, text=True, check=True)
    return float(out.stdout)


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FERROCOV_", "COVERAGE_"))}
    for name in ("PYTHONPATH", "PYTHONSTARTUP", "PYTHONHOME"):
        env.pop(name, None)
    return env


def bench(base: str, rounds: int) -> dict:
    version = minor_version(base)
    bare, installed, other_pth = make_venvs(base, version)
    scratch = Path(tempfile.mkdtemp(prefix="ferrocov-startup-"))
    run_dir, source, kept_root = scratch / "run", scratch / "src", scratch / "kept"
    for d in (run_dir, source, kept_root):
        d.mkdir()
    child = str(source / "child.py")
    Path(child).write_text(CHILD)
    settings = {
        "cwd": str(source),
        "source_dirs": [str(source)],
        "source_specified": True,
        "include": [],
        "omit": [],
        "cover_pylib": False,
        "debug_trace": False,
    }
    env = clean_env()
    # As a run's owner publishes them: with its interpreter's directories, which a child of the
    # same interpreter reuses instead of computing them.
    owner = json.loads(
        subprocess.run(
            [
                installed,
                "-c",
                "import json; from ferrocov import _ferrocov, measure; "
                "print(json.dumps({'key': measure._interpreter_key(), "
                "'dirs': measure._interpreter_dirs({}), "
                "'format': _ferrocov.FORMATS['run_settings']}))",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    settings["format"] = owner.pop("format")
    settings["interpreter"] = owner
    active = dict(env, FERROCOV_RUN_DIR=str(run_dir), FERROCOV_CONFIG=json.dumps(settings))
    commands = [(bare, env), (installed, env), (installed, active), (other_pth, env)]
    times: list[list[float]] = [[] for _ in MODES]
    cpu: list[list[float]] = [[] for _ in MODES]
    kept: list[Path] = []
    try:
        for python, cmd_env in commands:  # warm the page cache
            for _ in range(5):
                spawn_time(python, child, cmd_env)
        for shard in run_dir.iterdir():
            shard.unlink()
        for n in range(rounds):
            order = list(range(len(MODES)))
            random.shuffle(order)
            for i in order:
                python, cmd_env = commands[i]
                wall, used, pid = spawn_time(python, child, cmd_env)
                times[i].append(wall)
                cpu[i].append(used)
                keep = kept_root / str(len(kept)) if i == MEASURED else None
                why = take_shard(run_dir, pid, keep)
                if why:
                    raise SystemExit(f"round {n + 1}, {MODES[i]}: {why}")
                if keep is not None:
                    kept.append(keep)
        check_shards(version, kept, child)
        log(f"  checked: each of the {len(kept)} measured starts left one shard with its lines")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    result = {
        "python": base,
        "version": subprocess.run(
            [base, "-c", "import platform; print(platform.python_version())"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip(),
        "rounds": rounds,
        "modes": {},
        "hook_ns": hook_cost_ns(installed),
        "shards_checked": len(kept),
    }
    for mode, values in zip(MODES, times, strict=True):
        q = statistics.quantiles(values, n=4)
        result["modes"][mode] = {"median": statistics.median(values), "q1": q[0], "q3": q[2]}
    for i, key in ((1, "added_no_run"), (2, "added_run_active"), (3, "added_other_pth")):
        diffs = [b - a for a, b in zip(times[0], times[i], strict=True)]
        low, high = bootstrap_median(diffs)
        cpu_diffs = [b - a for a, b in zip(cpu[0], cpu[i], strict=True)]
        cpu_low, cpu_high = bootstrap_median(cpu_diffs)
        result[key] = {
            "median": statistics.median(diffs),
            "low": low,
            "high": high,
            "cpu": statistics.median(cpu_diffs),
            "cpu_low": cpu_low,
            "cpu_high": cpu_high,
        }
    return result


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def print_result(r: dict) -> None:
    print(f"\nCPython {r['version']}: `python child.py`, {r['rounds']} interleaved rounds")
    for mode, s in r["modes"].items():
        print(f"  {mode:<28} median {ms(s['median'])}  (quartiles {ms(s['q1'])} - {ms(s['q3'])})")
    for key, label in (
        ("added_no_run", "no run"),
        ("added_run_active", "run active"),
        ("added_other_pth", "other .pth"),
    ):
        d = r[key]
        print(
            f"  added, {label:<11} wall {ms(d['median'])} (95% CI {ms(d['low'])} .. "
            f"{ms(d['high'])}), CPU {ms(d['cpu'])} ({ms(d['cpu_low'])} .. {ms(d['cpu_high'])})"
        )
    print(f"  the .pth line itself, no run: {r['hook_ns']:.0f} ns")
    print(
        f"  measured starts read back: {r['shards_checked']}, each one shard with the child's lines"
    )


def added(d: dict) -> str:
    return (
        f"{ms(d['median'])} ({ms(d['low'])} .. {ms(d['high'])}) / "
        f"{ms(d['cpu'])} ({ms(d['cpu_low'])} .. {ms(d['cpu_high'])})"
    )


def markdown(results: list[dict]) -> str:
    rows = [
        "| Python | bare venv (wall) | added: ferrocov installed, no run | added: run active "
        "| added: any .pth file | .pth line alone |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        rows.append(
            f"| {r['version']} | {ms(r['modes'][MODES[0]]['median'])} | "
            f"{added(r['added_no_run'])} | {added(r['added_run_active'])} | "
            f"{added(r['added_other_pth'])} | {r['hook_ns']:.0f} ns |"
        )
    rows.append("")
    rows.append("_added: wall (95% CI) / CPU time (95% CI), median of per-round differences._")
    return "\n".join(rows)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pythons", help="comma-separated versions (3.12) or interpreter paths")
    parser.add_argument("--rounds", type=int, default=300, help="interleaved rounds (300)")
    args = parser.parse_args(argv)
    results = []
    for base in base_pythons(args.pythons):
        log(f"timing start-up of {base}")
        result = bench(base, args.rounds)
        print_result(result)
        results.append(result)
    if results:
        print()
        print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
