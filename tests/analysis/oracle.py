"""Print coverage.py's own source analysis of one file as JSON (the parity oracle).

Usage: python oracle.py FILE [--exclude REGEX ...] [--raw]

The shape matches `cargo run --example analyze`: statements, excluded, multiline, regions.
Without --exclude, coverage.py's default exclusion regexes are used.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings

from coverage.config import DEFAULT_EXCLUDE
from coverage.exceptions import NoSource, NotPython
from coverage.misc import join_regex
from coverage.parser import PythonParser
from coverage.python import get_python_source
from coverage.regions import code_regions


def analyze(path: str, exclude: list[str], raw: bool = False) -> dict[str, object]:
    """Run coverage.py's PythonParser and region finder on `path`."""
    warnings.simplefilter("ignore", SyntaxWarning)
    try:
        text = get_python_source(path)
        parser = PythonParser(text=text, filename=path, exclude=join_regex(exclude))
        parser.parse_source()
    except (NoSource, NotPython, SyntaxError) as err:
        # A SyntaxError here is tokenize.detect_encoding refusing the file's first lines.
        return {"error": str(err)}
    out: dict[str, object] = {
        "statements": sorted(parser.statements),
        "excluded": sorted(parser.excluded),
        "multiline": {str(k): v for k, v in sorted(parser.multiline_map.items())},
        "regions": [
            {"kind": r.kind, "name": r.name, "start": r.start, "lines": sorted(r.lines)}
            for r in code_regions(text)
        ],
    }
    if raw:
        out["raw_statements"] = sorted(parser.raw_statements)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--exclude", action="append")
    ap.add_argument("--raw", action="store_true")
    args = ap.parse_args()
    exclude = args.exclude if args.exclude is not None else list(DEFAULT_EXCLUDE)
    json.dump(analyze(args.file, exclude, args.raw), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
