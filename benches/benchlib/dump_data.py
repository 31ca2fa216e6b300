"""Run by a venv's python as `python dump_data.py DATA_FILE`: what a data file holds, as
coverage.py reads it, printed as JSON: each measured file's lines and coverage.py's total for
them. Both tools' data files go through it, so a run that measured nothing, or wrote a file
coverage.py cannot read, shows in the comparison instead of being timed as if it had worked."""

from __future__ import annotations

import io
import json
import sys

import coverage
from coverage.exceptions import NoDataError


def main(data_file: str) -> int:
    data = coverage.CoverageData(basename=data_file)
    data.read()
    files = {path: sorted(data.lines(path) or []) for path in sorted(data.measured_files())}
    cov = coverage.Coverage(data_file=data_file)
    cov.load()
    try:
        total = cov.report(file=io.StringIO())
    except NoDataError:
        total = None
    json.dump({"files": files, "total": total}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
