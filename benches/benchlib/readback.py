"""Reading back what a timed run measured and comparing it with what coverage.py measured on
the same workload: the lines of every file and the total. A benchmark whose tool silently
measured nothing (or something else) must fail, not look fast."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

DUMP_SCRIPT = Path(__file__).with_name("dump_data.py")
TOTAL_ROW = re.compile(r"^TOTAL\s+\d+\s+\d+\s+(?:\d+\s+\d+\s+)?(\d+(?:\.\d+)?)%", re.MULTILINE)


class ReadbackError(Exception):
    """The data file could not be read back."""


def read_data(vpy: Path, data_file: Path, env: dict, cwd: str) -> dict:
    """{'files': {path: [lines]}, 'total': float | None}, read by the venv's coverage.py."""
    renv = dict(env)
    # The reader must not measure itself, whatever the timed run asked for.
    renv.pop("COVERAGE_CORE", None)
    try:
        out = subprocess.run(
            [str(vpy), str(DUMP_SCRIPT), str(data_file)],
            capture_output=True,
            text=True,
            env=renv,
            cwd=cwd,
            timeout=600,
        )
    except subprocess.TimeoutExpired as exc:
        raise ReadbackError("reading the data file back timed out") from exc
    if out.returncode != 0:
        last = (out.stderr.strip().splitlines() or [f"exit {out.returncode}"])[-1]
        raise ReadbackError(f"coverage.py cannot read the data file: {last}")
    return json.loads(out.stdout)


def display_pct(total: float, precision: int = 0) -> str:
    """A total as coverage.py's text report shows it: never 0 or 100 unless exactly so."""
    near0 = 1.0 / 10**precision
    near100 = 100.0 - near0
    if 0 < total < near0:
        total = near0
    elif near100 < total < 100:
        total = near100
    else:
        total = round(total, precision)
    return f"{total:.{precision}f}"


def printed_total(text: str) -> str | None:
    """The percentage in the TOTAL row of a text report, as printed."""
    found = TOTAL_ROW.findall(text)
    return found[-1] if found else None


def differences(got: dict, want: dict, limit: int = 3) -> list[str]:
    """How `got` differs from `want` (both from read_data), in words; empty when equal."""
    diffs = []
    got_files, want_files = got["files"], want["files"]
    only_got = sorted(set(got_files) - set(want_files))
    only_want = sorted(set(want_files) - set(got_files))
    if only_want:
        diffs.append(f"{len(only_want)} file(s) not measured, e.g. {only_want[0]}")
    if only_got:
        diffs.append(f"{len(only_got)} file(s) coverage.py did not measure, e.g. {only_got[0]}")
    for path in sorted(set(got_files) & set(want_files)):
        have, need = set(got_files[path]), set(want_files[path])
        if have != need:
            missing, extra = sorted(need - have), sorted(have - need)
            diffs.append(
                f"{path}: {len(missing)} line(s) missing {missing[:5]}, "
                f"{len(extra)} extra {extra[:5]}"
            )
    if got["total"] != want["total"]:
        diffs.append(f"total {got['total']} against coverage.py's {want['total']}")
    if len(diffs) > limit:
        diffs = [*diffs[:limit], f"and {len(diffs) - limit} more difference(s)"]
    return diffs
