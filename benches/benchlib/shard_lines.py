"""Run by a python holding ferrocov and coverage.py as
`python shard_lines.py DIR...`: each DIR holds one measured child's shard in `DIR/.coverage-shards`;
it is combined into `DIR/.coverage` by ferrocov, read back by coverage.py, and the lines each
file got are printed as JSON, one object per DIR. `benches/startup.py` uses it to prove that every
measured start it timed really measured its child."""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys

import coverage
from ferrocov import _ferrocov


def lines_of(directory: str) -> dict[str, list[int]]:
    data_file = os.path.join(directory, ".coverage")
    # `combine` prints nothing with -q; a problem goes to stderr, which the caller shows.
    with contextlib.redirect_stdout(io.StringIO()):
        code = _ferrocov.main(["ferrocov", "combine", "-q", "--data-file", data_file])
    if code != 0 or not os.path.exists(data_file):
        return {}
    data = coverage.CoverageData(basename=data_file)
    data.read()
    return {path: sorted(data.lines(path) or []) for path in data.measured_files()}


def main(directories: list[str]) -> int:
    json.dump({d: lines_of(d) for d in directories}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
