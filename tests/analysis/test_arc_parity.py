"""ferrocov_analysis's branch facts (possible arcs, exit counts, no-branch lines, arc
descriptions) against coverage.py's own parser, on the running Python: the analysis fixtures and
the programs of coverage.py's `tests/test_arcs.py` (`resources/test_arcs`, extracted by
`tools/extract_test_arcs.py`)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import oracle
import pytest
from coverage.config import DEFAULT_EXCLUDE

RESOURCES = Path(__file__).resolve().parents[2] / "crates/ferrocov_analysis/resources"
PY = sys.version_info[:3]
FIXTURES = sorted(RESOURCES.glob("*.py"))
TEST_ARCS = json.loads((RESOURCES / "test_arcs/cases.json").read_text(encoding="utf-8"))
BRANCH_KEYS = ("arcs", "exit_counts", "no_branch")

# Deliberate, explained differences: {(file name, (major, minor) or None for all): reason}.
XFAIL: dict[tuple[str, tuple[int, int] | None], str] = {}


def fixture_version(path: Path) -> tuple[int, int]:
    """The oldest Python a fixture needs, from a `_py3NN` suffix."""
    m = re.search(r"_py3(\d+)$", path.stem)
    return (3, int(m.group(1))) if m else (3, 10)


def ours(binary: Path, path: Path, exclude: list[str], partial: list[str]) -> dict[str, object]:
    args = [str(binary), "--arcs", "--python", ".".join(map(str, PY))]
    for regex in exclude or [""]:
        args += ["--exclude", regex]
    for regex in partial or [""]:
        args += ["--partial", regex]
    out = subprocess.run([*args, str(path)], capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def split_descriptions(found: dict[str, object]) -> dict[str, object]:
    """Descriptions with the parts of a missing-arc description sorted: coverage.py keeps them
    in the order of a set of its own, which varies with string hashing between processes."""
    descriptions = found.get("descriptions", {})
    assert isinstance(descriptions, dict)
    return {k: [v[0], sorted(v[1].split(" or "))] for k, v in descriptions.items()}


def compare(binary: Path, path: Path, exclude: list[str], partial: list[str]) -> None:
    expected = oracle.analyze(str(path), exclude, partial=partial)
    if "error" in expected:
        return  # Not Python on this version: test_analysis_parity checks the refusal.
    got = ours(binary, path, exclude, partial)
    for key in BRANCH_KEYS:
        assert got[key] == expected[key], f"{key} differs for {path.name}"
    got_d, want_d = split_descriptions(got), split_descriptions(expected)
    # The first of several fragments is coverage.py's arc_description: also set-ordered.
    for arc, (_, parts) in want_d.items():
        if len(parts) > 1:
            got_d[arc][0] = want_d[arc][0] = ""
    assert got_d == want_d, f"descriptions differ for {path.name}"


def mark_known(name: str, request: pytest.FixtureRequest) -> None:
    for key in ((name, PY[:2]), (name, None)):
        if key in XFAIL:
            request.applymarker(pytest.mark.xfail(reason=XFAIL[key], strict=True))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_fixture_arcs(analyze_bin: Path, path: Path, request: pytest.FixtureRequest) -> None:
    if PY[:2] < fixture_version(path):
        pytest.skip(f"needs Python {fixture_version(path)}")
    mark_known(path.name, request)
    compare(analyze_bin, path, list(DEFAULT_EXCLUDE), oracle.DEFAULT_PARTIALS)


@pytest.mark.parametrize("case", TEST_ARCS, ids=lambda c: c["file"])
def test_coverage_test_arcs(
    analyze_bin: Path, case: dict[str, object], request: pytest.FixtureRequest
) -> None:
    mark_known(str(case["file"]), request)
    exclude = [*DEFAULT_EXCLUDE, *case["excludes"]]  # type: ignore[misc]
    # coverage.py joins partial_branches (+ the case's) then partial_branches_always.
    default_partial = oracle.DEFAULT_PARTIALS[:1]
    partial = [*default_partial, *case["partials"], *oracle.DEFAULT_PARTIALS[1:]]  # type: ignore[misc]
    compare(analyze_bin, RESOURCES / "test_arcs" / str(case["file"]), exclude, partial)
