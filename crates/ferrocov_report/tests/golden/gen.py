"""Regenerate the golden files with coverage.py (run with the venv's python from this folder).

Runs `proj/main.py` under coverage.py, writes every report into `expected/`, and writes
`inputs.json`: the statement/excluded/executed sets and code regions per file that the Rust
writers are fed.  Absolute paths become /PROJECT and timestamps are scrubbed.
"""

import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from snapshots import Snapshots  # noqa: E402


def main():
    snap = Snapshots(os.path.join(HERE, "proj"), os.path.join(HERE, "expected"))
    proj, cov, copy_out = snap.proj, snap.cov, snap.copy_out

    cov("run", "--source=.", "main.py")
    cov("report", name="report.txt")
    cov("report", "-m", name="report_m.txt")
    cov("report", "-m", "--skip-covered", name="report_skip_covered.txt")
    cov("report", "--skip-empty", name="report_skip_empty.txt")
    cov("report", "-m", "--skip-covered", "--skip-empty", name="report_skip_both.txt")
    cov("report", "--precision=2", "-m", name="report_p2.txt")
    cov("report", "--sort=cover", name="report_sort_cover.txt")
    cov("report", "--sort=-cover", name="report_sort_-cover.txt")
    cov("report", "--sort=stmts", name="report_sort_stmts.txt")
    cov("report", "--sort=-miss", name="report_sort_-miss.txt")
    cov("report", "--sort=-name", name="report_sort_-name.txt")
    cov("report", "--format=markdown", "-m", name="report_markdown.txt")
    cov("report", "--format=markdown", "--skip-covered", "--precision=1", name="report_markdown_skip.txt")
    cov("report", "--format=total", name="report_total.txt")
    cov("report", "--format=total", "--precision=3", name="report_total_p3.txt")
    cov("json", "--pretty-print", "-o", "pretty.json")
    copy_out("pretty.json", "pretty.json")
    cov("json", "-o", "compact.json")
    copy_out("compact.json", "compact.json")
    cov("xml", "-o", "coverage.xml")
    copy_out("coverage.xml", "coverage.xml")
    with open(os.path.join(proj, ".coveragerc"), "w") as f:
        f.write("[xml]\npackage_depth = 1\n[lcov]\nline_checksums = true\n")
    cov("xml", "-o", "depth1.xml")
    copy_out("depth1.xml", "depth1.xml")
    cov("lcov", "-o", "checksums.lcov")
    copy_out("checksums.lcov", "checksums.lcov")
    with open(os.path.join(proj, ".coveragerc"), "w") as f:
        f.write("[report]\nprecision = 2\nskip_empty = true\n")
    cov("json", "--pretty-print", "-o", "pretty_p2.json")
    copy_out("pretty_p2.json", "pretty_p2.json")
    cov("lcov", "-o", "skip_empty.lcov")
    copy_out("skip_empty.lcov", "skip_empty.lcov")
    os.remove(os.path.join(proj, ".coveragerc"))
    cov("xml", "--skip-empty", "-o", "skip_empty.xml")
    copy_out("skip_empty.xml", "skip_empty.xml")
    cov("lcov", "-o", "plain.lcov")
    copy_out("plain.lcov", "plain.lcov")
    cov("annotate", "-d", "annotated")
    for name in sorted(os.listdir(os.path.join(proj, "annotated"))):
        copy_out(os.path.join("annotated", name), "annotate_" + name)

    # The inputs the Rust writers get: the same sets coverage.py computed.
    from coverage.regions import code_regions

    with open(os.path.join(proj, "pretty.json")) as f:
        report = json.load(f)
    files = []
    for rel, data in report["files"].items():
        with open(os.path.join(proj, rel)) as f:
            source = f.read()
        regions = [
            {"kind": r.kind, "name": r.name, "start": r.start, "lines": sorted(r.lines)}
            for r in code_regions(source)
        ]
        files.append(
            {
                "path": "/PROJECT/" + rel,
                "display": rel,
                "statements": sorted(data["executed_lines"] + data["missing_lines"]),
                "excluded": data["excluded_lines"],
                "executed": data["executed_lines"],
                "regions": regions,
            }
        )
    with open(os.path.join(HERE, "inputs.json"), "w") as f:
        json.dump({"files": files}, f, indent=1)
        f.write("\n")
    shutil.rmtree(os.path.dirname(proj))


if __name__ == "__main__":
    main()
