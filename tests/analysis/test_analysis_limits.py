"""CPython's nesting limits at their boundaries: ferrocov refuses exactly what coverage.py's
PythonParser refuses on the running Python, with the same message and line."""

from __future__ import annotations

import sys
from pathlib import Path

import oracle
import pytest
from coverage.config import DEFAULT_EXCLUDE
from test_analysis_parity import ours

PY = sys.version_info[:2]


def brackets(n: int, line: int = 1) -> str:
    """`n` open brackets of every kind, the first on `line`, closing on the next line."""
    opens = ("([{" * (n // 3 + 1))[:n]
    closes = "".join({"(": ")", "[": "]", "{": "}"}[c] for c in reversed(opens))
    return "x = 1\n" * (line - 1) + f"y = {opens}1\n{closes}\n"


def indented(levels: int, tabs: bool = False) -> str:
    """`levels` nested blocks (the last one holding `pass`), with blank and comment lines."""
    unit = "\t" if tabs else " "
    lines = []
    for i in range(levels):
        lines.append(f"{unit * i}if x:")
        if i % 10 == 0:
            lines += ["", f"{unit * (i + 1)}# a comment"]
    lines.append(f"{unit * levels}pass")
    return "\n".join(lines) + "\nz = 1\n"


def field(outer: int, inner: int) -> str:
    """An f-string replacement field holding `inner` brackets, inside `outer` brackets."""
    return f"x = {'(' * outer}f'{{{'(' * inner}1{')' * inner}}}'{')' * outer}\n"


def nested_fstrings(n: int) -> str:
    return "x = " + "f'{" * n + "1" + "}'" * n + "\n"


CASES = {
    "brackets_200": brackets(200),
    "brackets_201": brackets(201),
    "brackets_201_line_7": brackets(201, line=7),
    "brackets_over_lines": "x = (\n" + "[\n" * 199 + "{\n" + "1" + "}" + "]" * 199 + ")\n",
    "brackets_in_strings": f"x = '{'(' * 300}'  # {'[' * 300}\ny = {'(' * 200}1{')' * 200}\n",
    "indent_99": indented(99),
    "indent_100": indented(100),
    "indent_100_tabs": indented(100, tabs=True),
    "field_0_199": field(0, 199),
    "field_0_200": field(0, 200),
    "field_100_99": field(100, 99),
    "field_100_100": field(100, 100),
    "field_100_199": field(100, 199),
}
# Only 3.12+ nests f-strings with the same quotes (and limits them).
if PY >= (3, 12):
    CASES["fstrings_149"] = nested_fstrings(149)
    CASES["fstrings_150"] = nested_fstrings(150)


@pytest.mark.parametrize("name", sorted(CASES))
def test_limit(analyze_bin: Path, tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.py"
    path.write_text(CASES[name])
    exclude = list(DEFAULT_EXCLUDE)
    expected = oracle.analyze(str(path), exclude)
    got = ours(analyze_bin, path, exclude)
    if "error" in expected:
        assert got.get("error") == expected["error"]
    else:
        assert "error" not in got, got["error"]
        for key in ("statements", "excluded", "multiline", "regions"):
            assert got[key] == expected[key], key
