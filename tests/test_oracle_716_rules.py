"""The rules that decide which report cases coverage.py 7.16.2 (the oracle on Python 3.10) can't
judge (support/oracle_716.py): each names its difference for the inputs that bring it out and
stays silent for the near misses, so a rule can neither hide a case nor skip one for nothing.

The rules run on any Python; the data file they read is one ``coverage run`` writes here.
"""

from __future__ import annotations

import pytest
from support import Project
from support.oracle_716 import (
    FAIL_UNDER,
    SAME_NAMED_REGIONS,
    TYPE_CHECKING,
    differences_from_717,
    extra_717_exclusions,
)

GUARDED = """\
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from os import PathLike

print("ran")
"""

MID_LINE = """\
import sys

x = 1  # if TYPE_CHECKING: mentioned in a comment
print(x, sys.platform)
"""

PROPERTY = """\
class Box:
    @property
    def size(self):
        return 1

    @size.setter
    def size(self, value):
        pass


print(Box().size)
"""

ELSE_BRANCH = """\
import sys

if sys.maxsize:
    def pick():
        return 1
else:
    def pick():
        return 2

print(pick())
"""


def _measured(project: Project, source: str) -> Project:
    project.write("prog.py", source)
    result = project.coverage("run", "prog.py")
    assert result.returncode == 0, result.describe()
    return project


def _names(reasons: list[str]) -> set[str]:
    return {reason.split(" (")[0] for reason in reasons}


def _differences(
    project: Project,
    *outputs: str,
    fail_under: float | None = None,
    precision: int | None = None,
) -> set[str]:
    reasons = differences_from_717(
        project.root,
        project.path(".coverage"),
        outputs,
        fail_under=fail_under,
        precision=precision,
    )
    return _names(reasons)


def test_type_checking_after_a_blank_line_touches_json_only(project: Project) -> None:
    _measured(project, GUARDED)
    assert _differences(project, "json") == {TYPE_CHECKING}
    assert _differences(project, "text", "xml", "lcov", "annotate") == set()
    assert extra_717_exclusions(project.root, str(project.path("prog.py"))) == {2}


def test_type_checking_mid_line_touches_every_output(project: Project) -> None:
    _measured(project, MID_LINE)
    assert _differences(project, "text") == {TYPE_CHECKING}
    with pytest.raises(AssertionError, match=r"7\.16\.2 alone excludes"):
        extra_717_exclusions(project.root, str(project.path("prog.py")))


def test_exclude_lines_replacing_the_defaults_removes_the_difference(project: Project) -> None:
    _measured(project, GUARDED)
    project.write(".coveragerc", "[report]\nexclude_lines =\n    pragma: no cover\n")
    assert _differences(project, "json", "text") == set()


def test_same_named_functions_touch_json_and_lcov(project: Project) -> None:
    _measured(project, PROPERTY)
    assert _differences(project, "json") == {SAME_NAMED_REGIONS}
    assert _differences(project, "lcov") == {SAME_NAMED_REGIONS}
    assert _differences(project, "text", "xml", "annotate") == set()


def test_functions_under_else_are_not_found_by_716(project: Project) -> None:
    """7.16.2 (and ferrocov on 3.10) only walk ``body``: the second ``pick`` is no region."""
    _measured(project, ELSE_BRANCH)
    assert _differences(project, "json", "lcov") == set()


@pytest.mark.parametrize(
    ("threshold", "precision", "differs"),
    [(77.5, 0, True), (77.5, 1, False), (99.25, 1, True), (80.0, 0, False), (None, 0, False)],
)
def test_fail_under_with_more_decimals_than_the_precision(
    project: Project, threshold: float | None, precision: int, differs: bool
) -> None:
    _measured(project, "print('ran')\n")
    expected = {FAIL_UNDER} if differs else set()
    found = _differences(project, "fail-under", fail_under=threshold, precision=precision)
    assert found == expected
    assert _differences(project, "json", fail_under=threshold, precision=precision) == set()


def test_fail_under_from_the_configuration(project: Project) -> None:
    _measured(project, "print('ran')\n")
    project.write("pyproject.toml", "[tool.coverage.report]\nfail_under = 90.5\n")
    assert _differences(project, "text") == {FAIL_UNDER}
    project.write("pyproject.toml", "[tool.coverage.report]\nfail_under = 90.5\nprecision = 2\n")
    assert _differences(project, "text") == set()
