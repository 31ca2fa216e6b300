"""ferrocov_analysis gives coverage.py's answers on every fixture, for the running Python."""

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
PY = sys.version_info[:2]
FIXTURES = sorted(RESOURCES.glob("*.py"))

# Deliberate, explained differences: {(fixture name, (major, minor) or None for all): reason}.
XFAIL: dict[tuple[str, tuple[int, int] | None], str] = {}

# Extra exclusion regex sets, as `exclude_also` would add them.
EXTRA_EXCLUDES = {
    "also_raise": [*DEFAULT_EXCLUDE, r"raise NotImplementedError", r"^\s*print\("],
    "also_multiline": [*DEFAULT_EXCLUDE, r"x = \((?s:.*?)\)"],
    "also_def_line": [*DEFAULT_EXCLUDE, r"def (partly|meth)"],
    "none": [],
}


def fixture_version(path: Path) -> tuple[int, int]:
    """The oldest Python a fixture needs, from a `_py3NN` suffix."""
    m = re.search(r"_py3(\d+)$", path.stem)
    return (3, int(m.group(1))) if m else (3, 10)


def ours(binary: Path, path: Path, exclude: list[str]) -> dict[str, object]:
    args = [str(binary), "--python", f"{PY[0]}.{PY[1]}"]
    for regex in exclude:
        args += ["--exclude", regex]
    if not exclude:
        args += ["--exclude", ""]
    out = subprocess.run([*args, str(path)], capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def compare(binary: Path, path: Path, exclude: list[str]) -> None:
    expected = oracle.analyze(str(path), exclude)
    got = ours(binary, path, exclude)
    if "error" in expected:
        # CPython's and ruff's messages differ; the wording around them and the fact must match.
        assert "error" in got, got
        prefix = f"Couldn't parse '{path}' as Python source: "
        assert got["error"].startswith(prefix), got["error"]
        if not expected["error"].startswith(prefix):
            # coverage.py lets tokenize's SyntaxError for undecodable first lines escape;
            # ferrocov reports it as NotPython with the same words.
            assert expected["error"].split(" (")[0] in got["error"]
        return
    for key in ("statements", "excluded", "multiline", "regions"):
        assert got[key] == expected[key], f"{key} differs for {path.name}"


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_parity(analyze_bin: Path, path: Path, request: pytest.FixtureRequest) -> None:
    if PY < fixture_version(path):
        pytest.skip(f"needs Python {fixture_version(path)}")
    for key in ((path.name, PY), (path.name, None)):
        if key in XFAIL:
            # Strict: run it, and fail if it starts passing so the entry gets removed.
            request.applymarker(pytest.mark.xfail(reason=XFAIL[key], strict=True))
    compare(analyze_bin, path, list(DEFAULT_EXCLUDE))


@pytest.mark.parametrize("name", sorted(EXTRA_EXCLUDES))
@pytest.mark.parametrize("fixture", ["exclusions.py", "control_flow.py", "classes_functions.py"])
def test_parity_other_excludes(analyze_bin: Path, fixture: str, name: str) -> None:
    compare(analyze_bin, RESOURCES / fixture, EXTRA_EXCLUDES[name])


def test_missing_file(analyze_bin: Path, tmp_path: Path) -> None:
    gone = tmp_path / "gone.py"
    assert ours(analyze_bin, gone, [])["error"] == f"No source for code: '{gone}'."
