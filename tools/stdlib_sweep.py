#!/usr/bin/env python3
"""The standard-library sweep: ferrocov's source analysis against coverage.py's on every `.py`
file of the running interpreter's standard library (or a seeded sample of it, time-boxed), and
the counts printed: files compared, identical, differing, rejected by both (and whether the two
rejections name the same line and words); then the branch facts of the files both analyse:
possible arcs and exit counts identical or not (differences are listed, and fail the sweep
unless `--arcs-report-only`).

    PYTHON tools/stdlib_sweep.py ANALYZE_BIN [--sample N] [--max-seconds S] [--seed K]

PYTHON must have coverage.py (the oracle) installed; ANALYZE_BIN is the `analyze` example of
ferrocov_analysis (`cargo build --release -p ferrocov_analysis --example analyze`). Exits 1 when
a file differs other than as listed in KNOWN (with the reason in crates/ferrocov_analysis's
README), or when one tool rejects a file the other accepts. `.ci/run` runs it on one version;
`tests/analysis/test_analysis_corpus.py` runs it whole when FERROCOV_ANALYSIS_CORPUS is set.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import sysconfig
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "crates/ferrocov_analysis/resources/expected"))

import oracle  # noqa: E402  (coverage.py's own analysis, next to the checked-in expectations)
from coverage.config import DEFAULT_EXCLUDE  # noqa: E402

PY = sys.version_info[:2]

# Files that differ for a known, documented reason (see crates/ferrocov_analysis/README.md).
KNOWN = {
    # 3.11 keeps the line of a statement after a dead `try`/`finally` after `return` in `finally`.
    (3, 11): {"test/test_sys_settrace.py"},
}
EXTRA = [r"raise NotImplementedError", r"if __name__ == .__main__.:", r"@(abc\.)?abstractmethod"]
KEYS = ("statements", "excluded", "multiline", "regions")


@dataclass
class Sweep:
    compared: int = 0
    identical: int = 0
    known: int = 0
    skipped_codec: int = 0
    both_rejected: int = 0
    rejections_same_line: int = 0
    rejections_same_words: int = 0
    differ: list[str] = field(default_factory=list)
    one_rejected: list[str] = field(default_factory=list)
    branch_compared: int = 0
    arcs_identical: int = 0
    exit_counts_identical: int = 0
    no_branch_identical: int = 0
    descriptions_identical: int = 0
    arcs_known: int = 0
    arcs_differ: list[str] = field(default_factory=list)
    arcs_only_report: bool = False

    def ok(self) -> bool:
        arcs_ok = self.arcs_only_report or not self.arcs_differ
        return not self.differ and not self.one_rejected and arcs_ok

    def summary(self, total: int, seconds: float) -> str:
        lines = [
            f"stdlib sweep, Python {PY[0]}.{PY[1]}: {self.compared} of {total} files compared "
            f"in {seconds:.0f} s",
            f"  identical: {self.identical}",
            f"  differing: {len(self.differ)} (plus {self.known} known and documented)",
            f"  rejected by one tool only: {len(self.one_rejected)}",
            f"  rejected by both: {self.both_rejected} (same line: "
            f"{self.rejections_same_line}, same words: {self.rejections_same_words})",
            f"  skipped (a codec only Python has, not given to the analyzer): {self.skipped_codec}",
        ]
        lines += [
            f"  branch facts of {self.branch_compared} files analysed by both:",
            f"    arcs identical: {self.arcs_identical} (plus {self.arcs_known} differing in a "
            "file whose statements are a known difference)",
            f"    exit_counts identical: {self.exit_counts_identical}",
            f"    no_branch identical: {self.no_branch_identical}",
            f"    descriptions identical: {self.descriptions_identical} (fragments of one arc "
            "compared as a set: coverage.py's order varies between runs)",
        ]
        lines += [f"  DIFFERS: {rel}" for rel in self.differ]
        lines += [f"  ONE REJECTS: {rel}" for rel in self.one_rejected]
        lines += [f"  ARCS DIFFER: {rel}" for rel in self.arcs_differ]
        return "\n".join(lines)


def _error_words(message: str) -> str:
    """The quoted reason of a "Couldn't parse ... as Python source: 'reason' at line N"."""
    start, end = message.find(": '"), message.rfind("' at line")
    return message[start + 3 : end] if start >= 0 and end > start else message


def _descriptions(found: dict[str, object]) -> dict[str, object]:
    """Descriptions with the fragments of one arc as a sorted list (and the arc description,
    the first fragment's, only where there is one)."""
    out: dict[str, object] = {}
    for arc, (first, missing) in found["descriptions"].items():  # type: ignore[union-attr]
        parts = sorted(missing.split(" or "))
        out[arc] = (first if len(parts) == 1 else None, parts)
    return out


def compare(analyze_bin: str, path: Path, rel: str, sweep: Sweep) -> None:
    exclude = [*DEFAULT_EXCLUDE, *EXTRA]
    args = [analyze_bin, "--arcs", "--python", ".".join(map(str, sys.version_info[:3]))]
    for regex in exclude:
        args += ["--exclude", regex]
    for regex in oracle.DEFAULT_PARTIALS:
        args += ["--partial", regex]
    expected = oracle.analyze(str(path), exclude, partial=oracle.DEFAULT_PARTIALS)
    got = json.loads(subprocess.run([*args, str(path)], capture_output=True, text=True).stdout)
    if "unknown encoding" in got.get("error", ""):
        sweep.skipped_codec += 1
        return
    sweep.compared += 1
    if "error" in expected and "error" in got:
        sweep.both_rejected += 1
        if expected.get("error_line") is not None and expected.get("error_line") == got.get(
            "error_line"
        ):
            sweep.rejections_same_line += 1
        if _error_words(expected["error"]) == _error_words(got["error"]):
            sweep.rejections_same_words += 1
    elif "error" in expected or "error" in got:
        sweep.one_rejected.append(rel)
    else:
        if any(expected[k] != got[k] for k in KEYS):
            if rel in KNOWN.get(PY, set()):
                sweep.known += 1
            else:
                sweep.differ.append(rel)
        else:
            sweep.identical += 1
        sweep.branch_compared += 1
        same_arcs = expected["arcs"] == got["arcs"]
        sweep.arcs_identical += same_arcs
        sweep.exit_counts_identical += expected["exit_counts"] == got["exit_counts"]
        sweep.no_branch_identical += expected["no_branch"] == got["no_branch"]
        sweep.descriptions_identical += _descriptions(expected) == _descriptions(got)
        if not same_arcs and rel in KNOWN.get(PY, set()):
            # Its statements differ already (a known gap); its arcs follow the statements.
            sweep.arcs_known += 1
        elif not same_arcs:
            missing = {tuple(a) for a in expected["arcs"]} - {tuple(a) for a in got["arcs"]}
            extra = {tuple(a) for a in got["arcs"]} - {tuple(a) for a in expected["arcs"]}
            sweep.arcs_differ.append(f"{rel} missing {sorted(missing)} extra {sorted(extra)}")


def run(
    analyze_bin: str,
    sample: int | None,
    max_seconds: float | None,
    seed: int,
    arcs_report_only: bool = False,
) -> Sweep:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(
        (path, path.relative_to(stdlib).as_posix())
        for path in stdlib.rglob("*.py")
        if not path.relative_to(stdlib).as_posix().startswith("site-packages/")
    )
    total = len(files)
    if sample is not None and sample < total:
        files = random.Random(seed).sample(files, sample)
    sweep = Sweep(arcs_only_report=arcs_report_only)
    started = time.monotonic()
    for path, rel in files:
        if max_seconds is not None and time.monotonic() - started > max_seconds:
            break
        compare(analyze_bin, path, rel, sweep)
    print(sweep.summary(total, time.monotonic() - started))
    return sweep


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("analyze_bin")
    parser.add_argument("--sample", type=int, help="compare this many files, chosen by --seed")
    parser.add_argument("--max-seconds", type=float, help="stop comparing after this long")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--arcs-report-only", action="store_true", help="list arc differences without failing"
    )
    args = parser.parse_args(argv)
    sweep = run(args.analyze_bin, args.sample, args.max_seconds, args.seed, args.arcs_report_only)
    return 0 if sweep.ok() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
