#!/usr/bin/env python3
"""Benchmark combining many per-process data files: `coverage combine` against `ferrocov combine`.

    python3 benches/combine.py [--pythons 3.12,3.13] [--inputs 1000] [--real-runs 40] [--rounds 5]
    python3 benches/combine.py --ci-jobs 100 [--inputs 2000] ...

For each Python it builds, in a temporary directory, a package of ~200 modules of varying size
and a driver that imports a random subset of them and calls some of their functions. The driver
runs `--real-runs` times under `coverage run -p` (coverage.py's `.coverage.<suffix>` files) and
the same number of times, with the same seeds, under `ferrocov run -p` ending with `os._exit`, as a
killed worker would (so each leaves its shard: a run that ends normally turns its shards into a
`.coverage.*` file).
Those real inputs are replicated into `--inputs` inputs of each kind with distinct content:
replica j starts from real run j % R and drops about a tenth of its lines (never a file's first),
chosen by a hash of (j, path, line), so both kinds get the same content. The coverage.py replicas
are written with coverage.py's own `CoverageData` API; the shard replicas are real shards whose
line records were filtered and whose header names another pid and creation time, which is all
the shard format lets change (see crates/ferrocov_shard/src/format.rs), laid out as
`ferrocov run -p` leaves them.

With `--ci-jobs N` the inputs are those of a CI matrix instead: N jobs, each of which ran
`--inputs / N` processes in a checkout of its own (`/ci/job-NNN/checkout/benchpkg/...`), all
gathered into one directory with a `[paths]` setting that maps every checkout onto this one, as
the last job of a CI workflow combines them. Only coverage.py files are made (a job's
`ferrocov run -p` writes them too); both tools combine them.

Timed, interleaved over `--rounds` rounds (the order rotates), each on a fresh copy of the
inputs (combining deletes them), synced to disk before the clock starts:
  coverage      `coverage combine` of the coverage.py files
  ferrocov-cov  `ferrocov combine` of the same coverage.py files
  ferrocov-shd  `ferrocov combine` of the shards

After every timed run the combined `.coverage` is read with coverage.py's `CoverageData` and its
lines per file compared with the expected union (and with coverage.py's own combined result);
the command must report every input combined and leave no input behind. Any difference stops
the benchmark. Prints the median wall time, the ratio to `coverage combine`, the median CPU time
and the peak RSS per mode, and a Markdown table for BENCHMARKS.md.

`--pythons` takes versions (a venv with ferrocov built from this checkout is made with
tools/python-env.sh, as `make test` does) or paths of interpreters that already have both
ferrocov and coverage installed.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import re
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MODES = ("coverage", "ferrocov-cov", "ferrocov-shd")
CI_MODES = ("coverage", "ferrocov-cov")
LABELS = {
    "coverage": "`coverage combine`, coverage.py files",
    "ferrocov-cov": "`ferrocov combine`, coverage.py files",
    "ferrocov-shd": "`ferrocov combine`, ferrocov shards",
}
DROP_ONE_IN = 10
# Where the jobs of the `--ci-jobs` layout measured their checkouts; `[paths]` maps them here.
CI_ROOT = "/ci"

# ---------------------------------------------------------------------------------------------
# The measured package and its driver.

FUNCTION_SHAPES = [
    """def {name}(x):
    total = 0
    if x % 3 == 0:
        total += x * {a}
    elif x % 3 == 1:
        total -= {b}
    else:
        for i in range(x % 5):
            total += i
    try:
        total //= x % 4
    except ZeroDivisionError:
        total = -1
    return total
""",
    """def {name}(x):
    words = ["w%d" % (i * {a} % 7) for i in range(x % 9)]
    counts = {{}}
    for word in words:
        counts[word] = counts.get(word, 0) + 1
    if not counts:
        return None
    best = max(counts, key=counts.get)
    while len(best) < {b}:
        best += "!"
    return best
""",
    """def {name}(x):
    def inner(y):
        if y > {a}:
            return y - {a}
        return y + {b}

    values = [inner(v) for v in range(x % 6)]
    evens = [v for v in values if v % 2 == 0]
    return sum(evens) if evens else len(values)
""",
    """def {name}(x):
    result = []
    for i in range(x % 7):
        if i == {a} % 7:
            continue
        if i > {b}:
            break
        result.append(i * i)
    else:
        result.append(-1)
    return result
""",
]

CLASS_SHAPE = """class {name}:
    limit = {a}

    def __init__(self, x):
        self.x = x
        self.items = [i * {b} for i in range(x % 4)]

    @property
    def size(self):
        return len(self.items)

    def grow(self, n):
        for _ in range(n % 3):
            self.items.append(self.x)
        if self.size > self.limit:
            self.items = self.items[: self.limit]
        return self.size

    def describe(self):
        if self.x < 0:
            return "negative"
        return "%s(%d)" % (type(self).__name__, self.x)
"""

DRIVER = '''"""Imports a random subset of benchpkg's modules and calls some of their functions."""
import importlib
import random
import sys

import benchpkg

rng = random.Random(int(sys.argv[1]))
names = list(benchpkg.MODULES)
for name in sorted(rng.sample(names, rng.randint(len(names) // 4, 3 * len(names) // 4))):
    module = importlib.import_module(name)
    entries = sorted(n for n in vars(module) if n.startswith(("f_", "C_")))
    for entry in rng.sample(entries, rng.randint(1, len(entries))):
        value = rng.randint(-5, 60)
        thing = getattr(module, entry)(value)
        if entry.startswith("C_"):
            thing.grow(rng.randint(0, 5))
            if rng.random() < 0.5:
                thing.describe()

# With a second argument the process ends as a killed worker does, leaving its shard behind.
if len(sys.argv) > 2:
    import os

    os._exit(0)
'''


def generate_package(root: Path, modules: int) -> None:
    """`root/benchpkg`: `modules` modules in 8 subpackages, from ~20 to ~500 lines each."""
    rng = random.Random(20261202)
    pkg = root / "benchpkg"
    names = []
    for index in range(modules):
        sub = pkg / f"part{index % 8}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / "__init__.py").write_text("")
        pieces = [f'"""Generated module {index}."""\nimport os\n\nCONSTANT = {index}\n']
        for k in range(rng.choice([1, 2, 3, 4, 6, 8, 12, 20, 30])):
            values = {"a": rng.randint(1, 9), "b": rng.randint(1, 9)}
            if rng.random() < 0.2:
                pieces.append(CLASS_SHAPE.format(name=f"C_{k}", **values))
            else:
                shape = rng.choice(FUNCTION_SHAPES)
                pieces.append(shape.format(name=f"f_{k}", **values))
        pieces.append("if os.environ.get('BENCHPKG_NEVER'):  # never true\n    CONSTANT = -1\n")
        (sub / f"mod{index:03d}.py").write_text("\n\n".join(pieces))
        names.append(f"benchpkg.part{index % 8}.mod{index:03d}")
    (pkg / "__init__.py").write_text(f"MODULES = {names!r}\n")
    (root / "driver.py").write_text(DRIVER)


# ---------------------------------------------------------------------------------------------
# coverage.py's side: helpers run inside the benchmarked interpreter.

DUMP = """
import json, sys
from coverage import CoverageData
out = []
for path in sys.argv[2:]:
    data = CoverageData(path)
    data.read()
    out.append({f: sorted(data.lines(f) or ()) for f in data.measured_files()})
with open(sys.argv[1], "w") as f:
    json.dump(out, f)
"""

WRITE = """
import json, sys
from coverage import CoverageData
with open(sys.argv[1]) as f:
    spec = json.load(f)
for replica in spec["replicas"]:
    data = CoverageData(basename=spec["basename"], suffix=True)
    data.add_lines({p: lines for p, lines in replica.items() if lines})
    data.touch_files([p for p, lines in replica.items() if not lines])
    data.write()
"""


def dump_data_files(python: str, paths: list[Path], scratch: Path) -> list[dict[str, list[int]]]:
    """{path: sorted lines} for every measured file of each data file, as coverage.py reads it."""
    out = scratch / "dump.json"
    subprocess.run([python, "-c", DUMP, str(out), *map(str, paths)], check=True)
    return json.loads(out.read_text())


# ---------------------------------------------------------------------------------------------
# ferrocov's side: shards, read and rewritten in Python from the documented format.

MAGIC = b"FCSHARD\x1a"
KIND_LINE, KIND_PATH = 1, 2


@dataclass
class Shard:
    """One real shard: its bytes and its records, in log order."""

    raw: bytes
    header_size: int
    # ("path", file_id, path, record bytes) or ("line", file_id, line, record bytes)
    records: list[tuple[str, int, object, bytes]] = field(default_factory=list)

    def lines(self) -> dict[str, list[int]]:
        paths: dict[int, str] = {}
        out: dict[str, set[int]] = {}
        for kind, file_id, value, _ in self.records:
            if kind == "path":
                paths[file_id] = str(value)
                out.setdefault(str(value), set())
            else:
                out[paths[file_id]].add(int(value))  # type: ignore[call-overload]
        return {path: sorted(lines) for path, lines in out.items()}


def parse_shard(raw: bytes) -> Shard:
    if raw[:8] != MAGIC:
        raise SystemExit("not a shard: the benchmark's reading of the format is out of date")
    version, header_size = struct.unpack_from("<II", raw, 8)
    if version != 1:
        raise SystemExit(f"shard format {version}: update benches/combine.py for it")
    shard = Shard(raw=raw, header_size=header_size)
    offset = header_size
    while offset + 8 <= len(raw):
        (word,) = struct.unpack_from("<Q", raw, offset)
        kind, file_id, low = word >> 60, (word >> 32) & ((1 << 28) - 1), word & 0xFFFFFFFF
        if kind == 0:
            break
        if kind == KIND_LINE:
            shard.records.append(("line", file_id, low, raw[offset : offset + 8]))
            offset += 8
        elif kind == KIND_PATH:
            size = 16 + (low + 7) // 8 * 8
            path = raw[offset + 16 : offset + 16 + low].decode()
            shard.records.append(("path", file_id, path, raw[offset : offset + size]))
            offset += size
        else:
            raise SystemExit(f"unknown shard record kind {kind}")
    return shard


def rewrite_shard(shard: Shard, keep: dict[str, list[int]], pid: int, micros: int) -> bytes:
    """The same log with only the kept line records, under another pid and creation time."""
    kept = {path: set(lines) for path, lines in keep.items()}
    header = bytearray(shard.raw[: shard.header_size])
    struct.pack_into("<IIQ", header, 16, pid, 0, micros)
    body = bytearray()
    paths: dict[int, str] = {}
    for kind, file_id, value, record in shard.records:
        if kind == "path":
            paths[file_id] = str(value)
        elif value not in kept[paths[file_id]]:
            continue
        body += record
    out = bytes(header) + bytes(body)
    # Real shards reserve space ahead (zeros = end of log); copies keep the original size.
    return out + bytes(max(0, len(shard.raw) - len(out)))


# ---------------------------------------------------------------------------------------------
# Building the inputs.


def keep_lines(replica: int, lines_by_file: dict[str, list[int]]) -> dict[str, list[int]]:
    """Replica `replica` of one real run: each line but a file's first survives 9 times in 10."""
    if replica == 0:
        return lines_by_file
    out = {}
    for path, lines in lines_by_file.items():
        out[path] = [
            line
            for i, line in enumerate(lines)
            if i == 0 or zlib.crc32(f"{replica}:{path}:{line}".encode()) % DROP_ONE_IN
        ]
    return out


def union(datas: list[dict[str, list[int]]]) -> dict[str, list[int]]:
    merged: dict[str, set[int]] = {}
    for data in datas:
        for path, lines in data.items():
            merged.setdefault(path, set()).update(lines)
    return {path: sorted(lines) for path, lines in merged.items()}


def executed(data: dict[str, list[int]]) -> dict[str, list[int]]:
    return {path: lines for path, lines in data.items() if lines}


def clean_env(scratch: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("COVERAGE_", "FERROCOV_", "PYTEST_", "PYTHON"))
    }
    rcfile = scratch / "empty.rc"
    rcfile.write_text("")
    env.update(PYTHONHASHSEED="0", COVERAGE_RCFILE=str(rcfile))
    return env


@dataclass
class Inputs:
    cov_dir: Path
    shard_dir: Path
    expected_cov: dict[str, list[int]]
    expected_shd: dict[str, list[int]]
    cov_bytes: int
    shard_bytes: int


def ci_checkout(replica: int, count: int, jobs: int) -> str:
    """The checkout that the job which made `replica` measured (`--ci-jobs` layout)."""
    return f"{CI_ROOT}/job-{replica * jobs // count:03d}/checkout"


def ci_rcfile(work: Path, project: Path) -> Path:
    """The combining job's configuration: every job's checkout is this project."""
    rcfile = work / "ci.rc"
    rcfile.write_text(f"[paths]\nsource =\n    {project}/\n    {CI_ROOT}/*/checkout/\n")
    return rcfile


def build_inputs(
    python: str, work: Path, count: int, real_runs: int, env: dict[str, str], jobs: int = 0
) -> Inputs:
    """The inputs to combine; with `jobs`, the `--ci-jobs` layout (coverage.py files only)."""
    project = work / "project"
    generate_package(project, 200)
    subprocess.run([python, "driver.py", "0"], cwd=project, env=env, check=True)  # .pyc files
    tools = "coverage.py" if jobs else "coverage.py and under ferrocov"
    log(f"  {real_runs} real runs under {tools} ...")
    started = time.perf_counter()
    real_cov: list[Path] = []
    real_shards: list[Path] = []
    run_dirs = False
    for seed in range(real_runs):
        real_cov.append(real_run(python, "coverage", seed, project, work / "real-cov", env)[0])
        if jobs:
            continue
        shard, run_dirs = real_run(python, "ferrocov", seed, project, work / "real-shd", env)
        real_shards.append(shard)
    log(f"  real runs took {time.perf_counter() - started:.1f} s")
    if jobs:
        return build_ci_inputs(python, work, project, real_cov, count, jobs, env)
    layout = "a directory per run" if run_dirs else "the shard directory"
    log(f"  ferrocov run -p leaves its shard in {layout}; the replicas follow")
    cov_data = dump_data_files(python, real_cov, work)
    shards = [parse_shard(p.read_bytes()) for p in real_shards]
    for seed, (cov, shard) in enumerate(zip(cov_data, shards, strict=True)):
        if executed(cov) != executed(shard.lines()):
            raise SystemExit(f"real run {seed}: coverage.py and ferrocov measured different lines")

    cov_dir, shard_dir = work / "inputs-cov", work / "inputs-shd"
    cov_dir.mkdir()
    (shard_dir / ".coverage-shards").mkdir(parents=True)
    replicas_cov, replicas_shd = [], []
    spec: list[dict[str, list[int]]] = []
    for j in range(count):
        run, variant = j % real_runs, j // real_runs
        cov = keep_lines(variant, cov_data[run])
        shd = keep_lines(variant, shards[run].lines())
        replicas_cov.append(cov)
        replicas_shd.append(shd)
        pid = 200_000 + j
        run_dir = shard_dir / ".coverage-shards"
        if run_dirs:
            run_dir = run_dir / f"run.{pid}.{zlib.crc32(str(j).encode()):08x}"
            run_dir.mkdir()
        shard_name = f"bench.{pid}.R{j:07d}.fcshard"
        if variant == 0:
            shutil.copy2(real_cov[run], cov_dir / real_cov[run].name)
            shutil.copy2(real_shards[run], run_dir / shard_name)
        else:
            spec.append(cov)
            micros = int(time.time() * 1e6) + j
            (run_dir / shard_name).write_bytes(rewrite_shard(shards[run], shd, pid, micros))
    spec_file = work / "replicas.json"
    spec_file.write_text(json.dumps({"basename": str(cov_dir / ".coverage"), "replicas": spec}))
    log(f"  writing {len(spec)} replicas with coverage.py's CoverageData ...")
    subprocess.run([python, "-c", WRITE, str(spec_file)], env=env, check=True)
    written = list(cov_dir.glob(".coverage.*"))
    shard_count = len(list((shard_dir / ".coverage-shards").rglob("*.fcshard")))
    if len(written) != count or shard_count != count:
        raise SystemExit(f"made {len(written)} coverage.py files and {shard_count} shards")
    if len({json.dumps(r, sort_keys=True) for r in replicas_cov}) != count:
        raise SystemExit("two replicas have the same content: raise --real-runs")
    return Inputs(
        cov_dir=cov_dir,
        shard_dir=shard_dir,
        expected_cov=union(replicas_cov),
        expected_shd=union(replicas_shd),
        cov_bytes=sum(p.stat().st_size for p in written),
        shard_bytes=sum(p.stat().st_size for p in shard_dir.rglob("*.fcshard")),
    )


def build_ci_inputs(
    python: str,
    work: Path,
    project: Path,
    real_cov: list[Path],
    count: int,
    jobs: int,
    env: dict[str, str],
) -> Inputs:
    """`count` coverage.py files from `jobs` CI jobs, each measured in its own checkout."""
    cov_data = dump_data_files(python, real_cov, work)
    cov_dir = work / "inputs-cov"
    cov_dir.mkdir()
    local = f"{project}/"
    replicas, spec = [], []
    for j in range(count):
        cov = keep_lines(j // len(real_cov), cov_data[j % len(real_cov)])
        replicas.append(cov)
        checkout = ci_checkout(j, count, jobs) + "/"
        spec.append({checkout + path.removeprefix(local): lines for path, lines in cov.items()})
    spec_file = work / "replicas.json"
    spec_file.write_text(json.dumps({"basename": str(cov_dir / ".coverage"), "replicas": spec}))
    log(f"  writing {count} files of {jobs} jobs with coverage.py's CoverageData ...")
    subprocess.run([python, "-c", WRITE, str(spec_file)], env=env, check=True)
    written = list(cov_dir.glob(".coverage.*"))
    if len(written) != count:
        raise SystemExit(f"made {len(written)} coverage.py files, expected {count}")
    if len({json.dumps(r, sort_keys=True) for r in replicas}) != count:
        raise SystemExit("two replicas have the same content: raise --real-runs")
    measured = dump_data_files(python, written[:1], work)[0]
    if not all(path.startswith(f"{CI_ROOT}/job-") for path in measured):
        raise SystemExit("the CI inputs do not name the jobs' checkouts")
    expected = union(replicas)
    return Inputs(
        cov_dir=cov_dir,
        shard_dir=cov_dir,
        expected_cov=expected,
        expected_shd=expected,
        cov_bytes=sum(p.stat().st_size for p in written),
        shard_bytes=0,
    )


def real_run(
    python: str, tool: str, seed: int, project: Path, dest: Path, env: dict[str, str]
) -> tuple[Path, bool]:
    """Runs the driver once under `tool` in parallel mode; moves its one input to `dest`.
    Also says whether the input was in a run directory of its own."""
    argv = [str(Path(python).parent / tool), "run", "-p", "--source=benchpkg", "driver.py"]
    argv += [str(seed)] if tool == "coverage" else [str(seed), "exit"]
    run = subprocess.run(argv, cwd=project, env=env, capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{run.stderr[-2000:]}")
    if tool == "coverage":
        made = list(project.glob(".coverage.*"))
    else:
        made = list((project / ".coverage-shards").rglob("*.fcshard"))
    if len(made) != 1:
        raise SystemExit(f"{tool} run {seed} left {len(made)} inputs, expected one")
    target = dest / f"{seed:04d}" / made[0].name
    target.parent.mkdir(parents=True)
    made[0].rename(target)
    # Where the run left its shard: straight into the shard directory, or into a directory of
    # its own (builds since November 2026). The replicas are laid out the same way.
    in_run_dir = made[0].parent != project / ".coverage-shards"
    if tool == "ferrocov":
        shutil.rmtree(project / ".coverage-shards")
    return target, in_run_dir


# ---------------------------------------------------------------------------------------------
# Timing and checking.


@dataclass
class Sample:
    wall: float
    cpu: float
    rss_kib: int


# Runs one command and reports its wall time, CPU time and peak RSS. A small process of its own
# starts the command: Linux counts a child's peak RSS from the moment of the fork, so a child
# forked by this (large) benchmark process would report the benchmark's own size.
TIMER = """
import json, os, subprocess, sys, time
with open(sys.argv[1], "wb") as out:
    start = time.perf_counter()
    proc = subprocess.Popen(sys.argv[2:], stdout=out, stderr=subprocess.STDOUT)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
print(json.dumps([os.waitstatus_to_exitcode(status), wall, usage.ru_utime + usage.ru_stime,
                  usage.ru_maxrss]))
"""


def timed(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[Sample, str]:
    """One run of `argv`: wall time, CPU time and peak RSS of exactly that process."""
    with tempfile.NamedTemporaryFile() as out:
        timer = subprocess.run(
            [sys.executable, "-c", TIMER, out.name, *argv],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        output = Path(out.name).read_text(errors="replace")
    code, wall, cpu, rss = json.loads(timer.stdout)
    if code != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({code}):\n{output[-2000:]}")
    return Sample(wall, cpu, rss), output


def check(
    mode: str, run_dir: Path, output: str, expected: dict[str, list[int]], python: str, count: int
) -> None:
    """Stops the benchmark unless the combine used every input and produced `expected`."""
    said = re.search(r"Combined (\d+) files?", output)
    if not said or int(said.group(1)) != count:
        raise SystemExit(f"{mode}: expected 'Combined {count} files', got: {output.strip()!r}")
    left = [p for p in run_dir.rglob("*") if p.is_file() and p.name != ".coverage"]
    if left:
        raise SystemExit(f"{mode}: {len(left)} inputs left behind, e.g. {left[0]}")
    (got,) = dump_data_files(python, [run_dir / ".coverage"], run_dir.parent)
    if got != expected:
        missing = {p for p in expected if expected[p] != got.get(p)}
        extra = set(got) - set(expected)
        example = sorted(missing | extra)[:3]
        raise SystemExit(
            f"{mode}: combined data differs from the expected in {len(missing | extra)} files, "
            f"e.g. {example}"
        )


def run_mode(
    mode: str,
    python: str,
    inputs: Inputs,
    scratch: Path,
    env: dict[str, str],
    count: int,
    expected: dict[str, list[int]],
) -> Sample:
    run_dir = scratch / f"run-{mode}"
    shutil.rmtree(run_dir, ignore_errors=True)
    source = inputs.shard_dir if mode == "ferrocov-shd" else inputs.cov_dir
    shutil.copytree(source, run_dir)
    # Write the copies out now, so the timed run does not share the disk with their writeback.
    os.sync()
    tool = "coverage" if mode == "coverage" else "ferrocov"
    sample, output = timed([str(Path(python).parent / tool), "combine"], run_dir, env)
    check(mode, run_dir, output, expected, python, count)
    shutil.rmtree(run_dir)
    return sample


def bench_python(python: str, args: argparse.Namespace) -> dict[str, object]:
    version = subprocess.run(
        [
            python,
            "-c",
            "import sys, coverage, ferrocov; print(sys.version.split()[0], coverage.__version__)",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    log(f"Python {version[0]}, coverage.py {version[1]} ({python})")
    work = Path(tempfile.mkdtemp(prefix="ferrocov-combine-bench-"))
    try:
        env = clean_env(work)
        inputs = build_inputs(python, work, args.inputs, args.real_runs, env, args.ci_jobs)
        if executed(inputs.expected_cov) != executed(inputs.expected_shd):
            raise SystemExit("the two kinds of input do not hold the same lines")
        shards = (
            "" if args.ci_jobs else f", {args.inputs} shards ({inputs.shard_bytes / 2**20:.1f} MiB)"
        )
        log(
            f"  inputs: {args.inputs} coverage.py files ({inputs.cov_bytes / 2**20:.1f} MiB)"
            f"{shards}; {len(inputs.expected_cov)} measured files in the union"
        )
        modes = CI_MODES if args.ci_jobs else MODES
        if args.ci_jobs:
            env = {**env, "COVERAGE_RCFILE": str(ci_rcfile(work, work / "project"))}
        samples: dict[str, list[Sample]] = {mode: [] for mode in modes}
        for round_ in range(args.rounds):
            turn = round_ % len(modes)
            for mode in modes[turn:] + modes[:turn]:
                # Shards hold no entry for files a process never executed; coverage.py's files
                # list them with no lines. The executed lines are the same (checked above).
                expected = inputs.expected_shd if mode == "ferrocov-shd" else inputs.expected_cov
                sample = run_mode(mode, python, inputs, work, env, args.inputs, expected)
                samples[mode].append(sample)
                log(f"  round {round_ + 1}: {mode:13} {sample.wall:7.3f} s")
        return {"python": version[0], "coverage": version[1], "samples": samples}
    finally:
        if args.keep:
            log(f"  kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


# ---------------------------------------------------------------------------------------------


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def find_python(spec: str) -> str:
    """A venv python with ferrocov (built from this checkout) and coverage.py, for `spec`."""
    if os.sep in spec:
        return os.path.expanduser(spec)
    found = subprocess.run(
        [str(REPO / "tools" / "pythons.sh")], capture_output=True, text=True, check=True
    ).stdout.split()
    bases = [b for b in found if Path(b).resolve().parent.parent.name.startswith(spec + ".")]
    if not bases:
        raise SystemExit(f"no CPython {spec} found (tools/pythons.sh)")
    log(f"building ferrocov for {bases[0]} (tools/python-env.sh)")
    built = subprocess.run(
        [str(REPO / "tools" / "python-env.sh"), bases[0]], stdout=subprocess.PIPE, text=True
    )
    if built.returncode != 0:
        raise SystemExit(f"building ferrocov for {bases[0]} failed")
    return built.stdout.strip().splitlines()[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pythons", default="3.12,3.13", help="versions or interpreter paths")
    parser.add_argument(
        "--inputs", type=int, help="inputs of each kind (1000; 2000 with --ci-jobs)"
    )
    parser.add_argument(
        "--ci-jobs", type=int, default=0, help="the inputs of this many CI jobs, with [paths]"
    )
    parser.add_argument("--real-runs", type=int, default=40, help="real runs per kind")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    if args.inputs is None:
        args.inputs = 2000 if args.ci_jobs else 1000
    if args.ci_jobs and args.inputs % args.ci_jobs:
        parser.error("--inputs must be a multiple of --ci-jobs")
    pythons = [find_python(spec) for spec in args.pythons.split(",") if spec]
    results = [bench_python(python, args) for python in pythons]
    print_tables(results, args)
    return 0


def print_tables(results: list[dict[str, object]], args: argparse.Namespace) -> None:
    """Medians per mode; the speed-up is the ratio of medians, and the range of the ratios
    within each round (the modes of one round ran within seconds of each other, so machine
    load that drifts between rounds cancels out there)."""
    rows = []
    for result in results:
        samples: dict[str, list[Sample]] = result["samples"]  # type: ignore[assignment]
        base = statistics.median(s.wall for s in samples["coverage"])
        for mode in samples:
            wall = statistics.median(s.wall for s in samples[mode])
            cpu = statistics.median(s.cpu for s in samples[mode])
            rss = max(s.rss_kib for s in samples[mode]) / 1024
            per_round = [
                cov.wall / own.wall
                for cov, own in zip(samples["coverage"], samples[mode], strict=True)
            ]
            spread = f"{min(per_round):.1f}-{max(per_round):.1f}x"
            rows.append((result["python"], mode, wall, base / wall, spread, cpu, rss))
    layout = (
        f"files from {args.ci_jobs} CI jobs x {args.inputs // args.ci_jobs} processes, with [paths]"
        if args.ci_jobs
        else "inputs per kind"
    )
    print(f"\n{args.inputs} {layout}, median of {args.rounds} rounds")
    print(
        f"{'Python':8} {'mode':13} {'wall s':>8} {'vs coverage':>12} {'per round':>12} "
        f"{'CPU s':>7} {'peak RSS':>9}"
    )
    for python, mode, wall, ratio, spread, cpu, rss in rows:
        print(
            f"{python:8} {mode:13} {wall:8.3f} {ratio:11.1f}x {spread:>12} {cpu:7.3f} "
            f"{rss:5.0f} MiB"
        )
    print("\nMarkdown for BENCHMARKS.md:\n")
    print(
        "| Python | command and inputs | wall time | speed-up vs `coverage combine` "
        "| speed-up within each round | CPU time | peak RSS |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    for python, mode, wall, ratio, spread, cpu, rss in rows:
        print(
            f"| {python} | {LABELS[mode]} | {wall:.3f} s | {ratio:.1f}x | {spread} "
            f"| {cpu:.3f} s | {rss:.0f} MiB |"
        )
    cov_version = results[0]["coverage"] if results else "?"
    print(
        f"\n_{datetime.date.today().isoformat()}, coverage.py {cov_version}, {args.inputs} "
        f"{layout} from {args.real_runs} real runs, median of {args.rounds} "
        "interleaved rounds; every combined result checked against coverage.py's._"
    )


if __name__ == "__main__":
    sys.exit(main())
