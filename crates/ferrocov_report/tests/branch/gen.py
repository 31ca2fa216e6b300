"""Regenerate the branch-report fixtures with coverage.py (run with a venv's python, any folder).

    ~/.cache/ferrocov-reports/venv-3.12/bin/python crates/ferrocov_report/tests/branch/gen.py

Any venv with coverage.py works (tools/python-env.sh makes them); for Python 3.10 a plain venv
with `coverage==7.16.2`, the last release for it. Run it once per Python version.

Runs `proj/main.py` under `coverage run --branch --source=.` and writes, into
`py<major>.<minor>/` next to this script:
- `inputs.json`: coverage.py's own per-file facts, the plain data the Rust results layer takes:
  statements, excluded lines, the multi-line map, `with` jump fixers, possible arcs
  (`parser.arcs()`), executed arcs as the data file holds them, `no_branch` lines,
  `arc_description` of every possible arc and the code regions; plus coverage.py's
  `executed` lines and `exit_counts` to check the derived values against.
- `expected/`: every report coverage.py printed or wrote (text, markdown, total, JSON, XML,
  LCOV, annotate, a fail-under run), with /PROJECT for the temporary directory and scrubbed
  timestamps.
`tests/branch.rs` feeds the inputs to the writers and compares byte for byte.
"""

import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from snapshots import Snapshots  # noqa: E402
# Another corpus laid out the same way (DIR/proj/main.py, fixtures into DIR/py3.X): for
# checking against bigger programs without checking them in; see tests/branch.rs.
BASE = os.environ.get("FERROCOV_BRANCH_DIR", HERE)

# (name, command arguments, expected exit codes) for the reports printed to stdout.
PRINTED = [
    ("report.txt", ["report"]),
    ("report_m.txt", ["report", "-m"]),
    ("report_skip_covered.txt", ["report", "-m", "--skip-covered"]),
    ("report_skip_empty.txt", ["report", "--skip-empty"]),
    ("report_skip_both.txt", ["report", "-m", "--skip-covered", "--skip-empty"]),
    ("report_p2.txt", ["report", "--precision=2", "-m"]),
    ("report_sort_cover.txt", ["report", "--sort=cover"]),
    ("report_sort_-cover.txt", ["report", "--sort=-cover"]),
    ("report_sort_branch.txt", ["report", "--sort=branch"]),
    ("report_sort_-brpart.txt", ["report", "--sort=-brpart"]),
    ("report_sort_-miss.txt", ["report", "--sort=-miss"]),
    ("report_markdown.txt", ["report", "--format=markdown", "-m"]),
    (
        "report_markdown_skip.txt",
        ["report", "--format=markdown", "--skip-covered", "--precision=1"],
    ),
    ("report_total.txt", ["report", "--format=total"]),
    ("report_total_p3.txt", ["report", "--format=total", "--precision=3"]),
]


def with_jump_fixers(parser):
    """The parser's `with` jump fixers: 7.17's (arc -> arc or None) and 7.16's chains."""
    fixers, chains = {}, {}
    for arc, fix in parser._with_jump_fixers.items():
        if fix is not None and isinstance(fix[0], tuple):
            chains[arc] = fix
        else:
            fixers[arc] = fix
    return fixers, chains


def main():
    version = "py{}.{}".format(*sys.version_info[:2])
    base = os.path.join(BASE, version)
    snap = Snapshots(os.path.join(BASE, "proj"), os.path.join(base, "expected"))
    proj, out, cov, copy_out = snap.proj, snap.out, snap.cov, snap.copy_out

    cov("run", "--branch", "--source=.", "main.py")
    for name, args in PRINTED:
        cov(*args, name=name)
    failed = cov("report", "--fail-under=90", "--format=total", ok=(2,))
    passed = cov("report", "--fail-under=60.5", "--precision=1", "--format=total", ok=(0, 2))
    with open(os.path.join(out, "fail_under.json"), "w") as f:
        cases = [
            {"fail_under": fu, "precision": p, "exit": r.returncode, "stdout": r.stdout}
            for fu, p, r in [(90.0, 0, failed), (60.5, 1, passed)]
        ]
        json.dump(cases, f, indent=1)
        f.write("\n")
    cov("json", "--pretty-print", "-o", "pretty.json")
    copy_out("pretty.json", "pretty.json")
    cov("json", "-o", "compact.json")
    copy_out("compact.json", "compact.json")
    cov("xml", "-o", "coverage.xml")
    copy_out("coverage.xml", "coverage.xml")
    cov("lcov", "-o", "plain.lcov")
    copy_out("plain.lcov", "plain.lcov")
    with open(os.path.join(proj, ".coveragerc"), "w") as f:
        f.write("[xml]\npackage_depth = 1\n[lcov]\nline_checksums = true\n")
        f.write("[report]\nprecision = 2\nskip_empty = true\n")
    cov("xml", "-o", "depth1_skip_empty.xml")
    copy_out("depth1_skip_empty.xml", "depth1_skip_empty.xml")
    cov("lcov", "-o", "checksums_skip_empty.lcov")
    copy_out("checksums_skip_empty.lcov", "checksums_skip_empty.lcov")
    cov("json", "--pretty-print", "-o", "pretty_p2.json")
    copy_out("pretty_p2.json", "pretty_p2.json")
    os.remove(os.path.join(proj, ".coveragerc"))
    cov("annotate", "-d", "annotated")
    for name in sorted(os.listdir(os.path.join(proj, "annotated"))):
        copy_out(os.path.join("annotated", name), "annotate_" + name)

    # The inputs the Rust results layer gets: coverage.py's own facts per file.
    import coverage
    from coverage.regions import code_regions

    os.chdir(proj)
    cv = coverage.Coverage()
    cv.load()
    data = cv.get_data()
    files = []
    with open(os.path.join(proj, "pretty.json")) as f:
        report = json.load(f)
    for rel in report["files"]:
        filename = os.path.join(proj, rel)
        fr = cv._get_file_reporter(filename)
        analysis = cv._analyze(filename)
        parser = fr.parser
        possible = sorted(fr.arcs())
        # Only known once the arcs are.
        fixers, chains = with_jump_fixers(parser)
        files.append(
            {
                "path": "/PROJECT/" + rel,
                "display": rel,
                "statements": sorted(fr.lines()),
                "excluded": sorted(fr.excluded_lines()),
                "multiline": {str(k): v for k, v in sorted(parser.multiline_map.items()) if k != v},
                "with_jump_fixers": [
                    [list(k), list(v) if v is not None else None] for k, v in sorted(fixers.items())
                ],
                "with_jump_chains": [
                    [list(k), [list(v[0]), list(v[1])]] for k, v in sorted(chains.items())
                ],
                "possible_arcs": [list(a) for a in possible],
                "executed_arcs": sorted(list(a) for a in (data.arcs(filename) or [])),
                "no_branch": sorted(fr.no_branch_lines()),
                "descriptions": [[a, b, fr.arc_description(a, b)] for a, b in possible],
                "regions": [
                    {"kind": r.kind, "name": r.name, "start": r.start, "lines": sorted(r.lines)}
                    for r in code_regions(fr.source())
                ],
                "check": {
                    "executed": sorted(analysis.executed),
                    "exit_counts": {str(k): v for k, v in sorted(fr.exit_counts().items())},
                    "arcs_executed": [list(a) for a in analysis.arcs_executed],
                },
            }
        )
    with open(os.path.join(base, "inputs.json"), "w") as f:
        json.dump({"coverage_version": coverage.__version__, "files": files}, f, indent=1)
        f.write("\n")
    os.chdir(HERE)
    shutil.rmtree(os.path.dirname(proj))


if __name__ == "__main__":
    main()
