"""Print coverage.py's own source analysis of one file as JSON (the parity oracle).

Usage: python oracle.py FILE [--exclude REGEX ...] [--raw]

The shape matches `cargo run --example analyze`: statements, excluded, multiline, regions.
Without --exclude, coverage.py's default exclusion regexes are used. Used by
`generate.py` (the checked-in expectations) and `tests/analysis` (parity on the running Python).
"""

from __future__ import annotations

import argparse
import json
import re
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
        return {"error": str(err), **error_facts(err)}
    except (MemoryError, RecursionError, ValueError) as err:
        # What coverage.py doesn't catch: a parser stack overflow, recursion in AST construction
        # or compilation, a null byte before 3.12.
        return {"error": f"{type(err).__name__}: {err}", **error_facts(err)}
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


def error_facts(err: BaseException) -> dict[str, object]:
    """The exception's kind and, for coverage.py's NotPython, the line it names."""
    line = None
    if isinstance(err, NotPython):
        m = re.search(r" at line (\d+)$", str(err))
        line = int(m.group(1)) if m else None
    return {"error_kind": type(err).__name__, "error_line": line}


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
