#!/usr/bin/env python3
"""Prints, per Python version, how many tests ran, passed, failed and were skipped (with the
skip reasons counted), from the JUnit XML files tools/test-python.sh writes. Exits 1 when a
test skipped because an oracle was missing (coverage.py, pytest-cov, a real package, a
consumer tool): in CI that proves nothing.

    tools/test-summary.py JUNIT.xml...
"""

from __future__ import annotations

import collections
import sys
import xml.etree.ElementTree as ET

MISSING_ORACLE = "oracle missing"  # tests/support's prefix for such skips


def summarize(path: str) -> tuple[str, bool]:
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    counts: collections.Counter[str] = collections.Counter()
    reasons: collections.Counter[str] = collections.Counter()
    for suite in suites:
        for case in suite.iter("testcase"):
            counts["tests"] += 1
            skipped = case.find("skipped")
            if skipped is not None:
                counts["skipped"] += 1
                reason = (skipped.get("message") or "").strip()
                reasons[reason[:120]] += 1
            elif case.find("failure") is not None or case.find("error") is not None:
                counts["failed"] += 1
            else:
                counts["passed"] += 1
    name = suites[0].get("name", path) if suites else path
    lines = [
        f"{path}: {counts['tests']} tests, {counts['passed']} passed, "
        f"{counts['failed']} failed, {counts['skipped']} skipped ({name})"
    ]
    lines += [f"    skipped {n}x: {reason}" for reason, n in reasons.most_common()]
    oracle_skipped = any(MISSING_ORACLE in reason for reason in reasons)
    return "\n".join(lines), oracle_skipped


def main(paths: list[str]) -> int:
    bad = False
    for path in paths:
        text, oracle_skipped = summarize(path)
        print(text)
        if oracle_skipped:
            print(f"    ERROR: an oracle test was skipped in {path}")
            bad = True
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
