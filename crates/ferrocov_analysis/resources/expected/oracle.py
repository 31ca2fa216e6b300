"""Print coverage.py's own source analysis of one file as JSON (the parity oracle).

Usage: python oracle.py FILE [--exclude REGEX ...] [--partial REGEX ...] [--raw] [--arcs]

The shape matches `cargo run --example analyze`: statements, excluded, multiline, regions, and
with --arcs the branch facts (arcs, no_branch, exit_counts, descriptions). Without --exclude or
--partial, coverage.py's defaults are used. Used by `generate.py` (the checked-in expectations)
and `tests/analysis` (parity on the running Python).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import sys
import warnings

from coverage import env
from coverage.config import DEFAULT_EXCLUDE, DEFAULT_PARTIAL, DEFAULT_PARTIAL_ALWAYS
from coverage.exceptions import NoSource, NotPython
from coverage.misc import join_regex
from coverage.parser import PythonParser
from coverage.python import get_python_source
from coverage.regions import code_regions

DEFAULT_PARTIALS = [*DEFAULT_PARTIAL, *DEFAULT_PARTIAL_ALWAYS]


@contextlib.contextmanager
def with_exits_through_items(value: bool | None):
    """Run the arc analysis as on a Python before (False) or from (True) 3.12.6, whose `with`
    statements exit through each context manager's line; None: the running Python's way."""
    saved = env.PYBEHAVIOR.exit_with_through_ctxmgr
    if value is not None:
        env.PYBEHAVIOR.exit_with_through_ctxmgr = value
    try:
        yield
    finally:
        env.PYBEHAVIOR.exit_with_through_ctxmgr = saved


def branch_facts(parser: PythonParser, partial: list[str]) -> dict[str, object]:
    """coverage.py's arcs, exit counts, no-branch lines and each arc's two descriptions."""
    arcs = sorted(parser.arcs())
    return {
        "arcs": [list(arc) for arc in arcs],
        "no_branch": sorted(parser.lines_matching(join_regex(partial))),
        "exit_counts": {str(k): v for k, v in sorted(parser.exit_counts().items())},
        "descriptions": {
            f"{a},{b}": [parser.arc_description(a, b), parser.missing_arc_description(a, b)]
            for a, b in arcs
        },
    }


def analyze(
    path: str,
    exclude: list[str],
    raw: bool = False,
    partial: list[str] | None = None,
    through_items: bool | None = None,
) -> dict[str, object]:
    """Run coverage.py's PythonParser and region finder on `path`; with `partial` (a list of
    partial-branch regexes), its branch analysis too."""
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
    if partial is not None:
        with with_exits_through_items(through_items):
            out.update(branch_facts(parser, partial))
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
    ap.add_argument("--partial", action="append")
    ap.add_argument("--raw", action="store_true")
    ap.add_argument("--arcs", action="store_true")
    args = ap.parse_args()
    exclude = args.exclude if args.exclude is not None else list(DEFAULT_EXCLUDE)
    partial = args.partial if args.partial is not None else DEFAULT_PARTIALS
    found = analyze(args.file, exclude, args.raw, partial if args.arcs else None)
    json.dump(found, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
