"""A measured file that can't be analysed any more, reported by coverage.py and by ferrocov.

``coverage run`` measures ``main.py`` importing ``mod.py``; then ``mod.py`` is replaced by
something coverage.py can't parse (or removed), and both report on the same data file. Without
``-i`` both stop; with ``-i`` (as pytest-cov and the pytest plugin report) both warn and report the
rest. Deliberate differences: ferrocov prints errors on stderr (coverage.py on stdout), and where
coverage.py ends in a traceback (a RecursionError it doesn't catch) ferrocov says what happened.
"""

from __future__ import annotations

import re
import sys

import pytest
from support import Project
from support.reports import both

REPLACEMENTS = {
    # CPython's tokenizer refuses it: coverage.py's NotPython.
    "brackets": "x = " + "(" * 300 + "1" + ")" * 300 + "\n",
    # Deeper than CPython builds or compiles: a RecursionError coverage.py doesn't catch.
    "deep": "x = " + "1 + " * 100_000 + "1\n",
    "missing": None,
}


def measured(project: Project, replacement: str | None) -> Project:
    project.write("main.py", "import mod\nprint(mod.x)\n")
    project.write("mod.py", "x = 1\n")
    result = project.coverage("run", "main.py")
    assert result.returncode == 0, result.describe()
    if replacement is None:
        project.path("mod.py").unlink()
    else:
        project.write("mod.py", replacement)
    return project


def warnings_of(stderr: str) -> list[str]:
    """The warning texts, without coverage.py's or ferrocov's framing."""
    found = []
    for line in stderr.splitlines():
        m = re.search(r"(?:CoverageWarning|ferrocov: warning): (.*?)(?:; see https://\S+)?$", line)
        if m:
            found.append(m.group(1))
    return found


@pytest.mark.parametrize("case", sorted(REPLACEMENTS))
def test_with_ignore_errors_both_warn_and_report_the_rest(project: Project, case: str) -> None:
    measured(project, REPLACEMENTS[case])
    pair = both(project, "report", "-i")
    assert pair.cov.returncode == pair.fc.returncode == 0, pair.describe()
    assert pair.fc.stdout == pair.cov.stdout, pair.describe()
    assert warnings_of(pair.fc.stderr) == warnings_of(pair.cov.stderr), pair.describe()
    assert len(warnings_of(pair.fc.stderr)) == 1, pair.describe()


@pytest.mark.parametrize("case", sorted(REPLACEMENTS))
def test_without_ignore_errors_both_stop(project: Project, case: str) -> None:
    measured(project, REPLACEMENTS[case])
    pair = both(project, "report")
    assert pair.cov.returncode == pair.fc.returncode == 1, pair.describe()
    mod = project.path("mod.py")
    if case == "deep":
        assert "RecursionError" in pair.cov.stderr, pair.describe()
        words = "during compilation" if sys.version_info < (3, 11) else "during ast construction"
        expected = (
            f"Couldn't parse '{mod}' as Python source: "
            f"'maximum recursion depth exceeded {words}' at line 1"
        )
    else:
        expected = pair.cov.stdout.strip().split("; see https://")[0]
        if case == "brackets":
            assert expected == (
                f"Couldn't parse '{mod}' as Python source: 'too many nested parentheses' at line 1"
            )
    # coverage.py drops a message's final period when it adds the "see" link.
    assert pair.fc.stderr.strip().rstrip(".") == f"ferrocov: error: {expected}", pair.describe()
