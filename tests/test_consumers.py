"""Real consumers of ferrocov's report files read them as they read coverage.py's.

A file that is byte-for-byte coverage.py's (test_report_parity.py) should satisfy every consumer;
this checks the claim where it matters to users, with the tools they run in CI: diff-cover (XML and
LCOV against a git diff), pycobertura (Cobertura XML) and genhtml (LCOV). Each tool's summary for
ferrocov's file must equal its summary for coverage.py's file on the same data.

The tools come from tools/consumer-requirements.txt (pip) and the Debian package ``lcov``
(genhtml); a test whose tool is missing is skipped, saying what to install.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest
from support import Project, missing_oracle, run
from support.reports import scrub_xml

REQUIREMENTS_HINT = "pip install -r tools/consumer-requirements.txt"

# Two commits on two branches: "main" has the base, "feature" adds code the program partly runs.
BASE_CALC = """\
def add(a, b):
    return a + b
"""

FEATURE_CALC = """\
def add(a, b):
    return a + b


def sign(n):
    if n < 0:
        return -1
    if n == 0:
        return 0
    return 1


class Box:
    def __init__(self, items):
        self.items = list(items)

    def largest(self):
        if not self.items:
            return None
        return max(self.items)
"""

BASE_MAIN = """\
from app import calc

print(calc.add(1, 2))
"""

FEATURE_MAIN = """\
from app import calc

print(calc.add(1, 2))
print(calc.sign(5))
print(calc.Box([3, 1, 2]).largest())
"""

GIT_ENV = {
    "GIT_AUTHOR_NAME": "ferrocov tests",
    "GIT_AUTHOR_EMAIL": "tests@ferrocov.invalid",
    "GIT_COMMITTER_NAME": "ferrocov tests",
    "GIT_COMMITTER_EMAIL": "tests@ferrocov.invalid",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def _tool(module: str, script: str) -> str:
    """The console script of an installed tool, next to this interpreter or on PATH."""
    try:
        __import__(module)
    except ImportError:
        missing_oracle(f"{script} is not installed ({REQUIREMENTS_HINT})")
    beside = Path(sys.executable).with_name(script)
    if beside.is_file():
        return str(beside)
    found = shutil.which(script)
    if found is None:
        missing_oracle(f"{script} script not found beside {sys.executable} or on PATH")
    return found


def _git(project: Project, *args: str) -> None:
    result = project.run(["git", "-c", "init.defaultBranch=main", *args], env=GIT_ENV)
    assert result.returncode == 0, result.describe()


@pytest.fixture
def git_project(project: Project) -> Project:
    """A git repo on branch "feature", one commit ahead of "main", measured by ``coverage run``;
    coverage.py's and ferrocov's XML and LCOV reports are written as cov.* and fc.*."""
    if shutil.which("git") is None:
        missing_oracle("git is not installed")
    project.write("app/__init__.py", "")
    project.write("app/calc.py", BASE_CALC)
    project.write("main.py", BASE_MAIN)
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "base")
    _git(project, "checkout", "-q", "-b", "feature")
    project.write("app/calc.py", FEATURE_CALC)
    project.write("main.py", FEATURE_MAIN)
    _git(project, "commit", "-q", "-a", "-m", "feature")
    _write_reports(project, "main.py")
    return project


def _write_reports(project: Project, program: str) -> None:
    measured = project.coverage("run", program)
    assert project.path(".coverage").is_file(), measured.describe()
    for cmd in ("xml", "lcov"):
        cov = project.coverage(cmd, "-o", f"cov.{cmd}")
        fc = project.ferrocov(cmd, "-o", f"fc.{cmd}")
        assert cov.returncode == 0, cov.describe()
        assert fc.returncode == 0, fc.describe()


# --- diff-cover -----------------------------------------------------------------------------------


def _diff_cover(project: Project, report: str) -> tuple[str, dict[str, object]]:
    tool = _tool("diff_cover", "diff-cover")
    out = f"{report}.diff-cover.json"
    result = project.run(
        [tool, report, "--compare-branch=main", "--format", f"json:{out}"], env=GIT_ENV
    )
    assert result.returncode == 0, result.describe()
    return result.stdout, json.loads(project.path(out).read_text())


@pytest.mark.parametrize("fmt", ["xml", "lcov"])
def test_diff_cover(git_project: Project, fmt: str) -> None:
    cov_text, cov_json = _diff_cover(git_project, f"cov.{fmt}")
    fc_text, fc_json = _diff_cover(git_project, f"fc.{fmt}")
    # The oracle found the change, and found it partly covered.
    assert cov_json["total_num_lines"], cov_json
    assert cov_json["total_num_violations"], cov_json
    assert "app/calc.py" in cov_json["src_stats"], cov_json  # type: ignore[operator]
    assert fc_json == cov_json
    assert fc_text == cov_text
    assert re.search(r"^Coverage: \d+%$", fc_text, re.MULTILINE), fc_text


# --- pycobertura ----------------------------------------------------------------------------------


def _pycobertura_show(project: Project, report: str, fmt: str) -> str:
    tool = _tool("pycobertura", "pycobertura")
    result = project.run([tool, "show", "--format", fmt, report])
    assert result.returncode == 0, result.describe()
    return result.stdout


def test_pycobertura_show(git_project: Project) -> None:
    cov_text = _pycobertura_show(git_project, "cov.xml", "text")
    fc_text = _pycobertura_show(git_project, "fc.xml", "text")
    assert fc_text == cov_text
    cov_json = json.loads(_pycobertura_show(git_project, "cov.xml", "json"))
    fc_json = json.loads(_pycobertura_show(git_project, "fc.xml", "json"))
    assert cov_json["total"]["Stmts"] > 0, cov_json
    assert fc_json["total"] == cov_json["total"]
    assert fc_json == cov_json


@pytest.mark.parametrize(
    "program", ["pkg_shapes_main.py", "pkg_textutils_main.py", "decorators_stack.py"]
)
def test_pycobertura_show_corpus(project: Project, program: str) -> None:
    project.copy_program(program)
    _write_reports(project, program)
    cov_text = _pycobertura_show(project, "cov.xml", "text")
    assert "TOTAL" in cov_text
    fc_text = _pycobertura_show(project, "fc.xml", "text")
    total = [line for line in cov_text.splitlines() if line.startswith("TOTAL")]
    assert [line for line in fc_text.splitlines() if line.startswith("TOTAL")] == total
    assert fc_text == cov_text


def test_pycobertura_diff_sees_no_change(git_project: Project) -> None:
    """pycobertura diff of coverage.py's XML against ferrocov's: no file changed coverage."""
    tool = _tool("pycobertura", "pycobertura")
    assert scrub_xml(git_project.path("fc.xml").read_text()) == scrub_xml(
        git_project.path("cov.xml").read_text()
    ), "the XML files differ; pycobertura's verdict below would only restate it"
    result = git_project.run(
        [tool, "diff", "--format", "json", "--source1", ".", "--source2", ".", "cov.xml", "fc.xml"]
    )
    assert result.returncode == 0, result.describe()  # 0: coverage did not get worse
    diff = json.loads(result.stdout)
    assert diff["files"] == [], diff


# --- genhtml (Debian package lcov) ----------------------------------------------------------------

_GENHTML_SUMMARY = re.compile(r"^\s+(lines|functions|branches)\.+: .*$", re.MULTILINE)


def _genhtml(project: Project, report: str) -> list[str]:
    genhtml = shutil.which("genhtml")
    if genhtml is None:
        missing_oracle("genhtml is not installed (Debian: apt-get install -y lcov)")
    out_dir = project.path(f"{report}-html")
    result = run([genhtml, report, "--output-directory", str(out_dir)], project.root)
    assert result.returncode == 0, result.describe()
    assert (out_dir / "index.html").is_file(), result.describe()
    return [m.group(0).strip() for m in _GENHTML_SUMMARY.finditer(result.output)]


def _lines_summary(summary: list[str]) -> str:
    lines = [line for line in summary if line.startswith("lines")]
    assert len(lines) == 1, summary
    return lines[0]


def test_genhtml(git_project: Project) -> None:
    cov_summary = _genhtml(git_project, "cov.lcov")
    fc_summary = _genhtml(git_project, "fc.lcov")
    assert fc_summary == cov_summary
    line = _lines_summary(fc_summary)
    match = re.fullmatch(r"lines\.+: ([\d.]+)% \((\d+) of (\d+) lines?\)", line)
    assert match, line
    # The summary agrees with coverage.py's own count of the same data.
    totals = json.loads(git_project.coverage("json", "-o", "-").stdout)["totals"]
    assert (int(match.group(2)), int(match.group(3))) == (
        totals["covered_lines"],
        totals["num_statements"],
    )


@pytest.mark.parametrize(
    "program", ["pkg_shapes_main.py", "pkg_textutils_main.py", "decorators_stack.py"]
)
def test_genhtml_corpus(project: Project, program: str) -> None:
    project.copy_program(program)
    _write_reports(project, program)
    cov_summary = _genhtml(project, "cov.lcov")
    assert _lines_summary(cov_summary)
    assert _genhtml(project, "fc.lcov") == cov_summary
