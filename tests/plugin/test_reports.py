"""The options that choose reports, and what the terminal summary shows, against pytest-cov
7.1's behaviour and ferrocov's own `report` command."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from conftest import json_files, measured_by_coverage_py, run_coverage, table
from support import Result, executed_lines
from support.html_site import assert_same_site
from support.oracle_716 import skip_where_716_differs
from support.reports import assert_same_json, scrub_xml


def coverage_py(project: pytest.Pytester, cmd: str, *args: str) -> Result:
    """coverage.py's ``CMD ARGS`` on the session's data, configured as ``--cov=pkg`` configures
    the session (``[run] source = pkg``)."""
    rcfile = project.path / "as-cov-pkg.rc"
    rcfile.write_text("[run]\nsource = pkg\n")
    proc = run_coverage(project.path, cmd, f"--rcfile={rcfile}", *args)
    return Result(proc.returncode, proc.stdout, proc.stderr)


def annotated(directory: Path) -> dict[str, str]:
    """The ``*,cover`` files in ``directory``, by name."""
    return {path.name: path.read_text() for path in sorted(directory.glob("*,cover"))}


def header() -> str:
    return "coverage: platform {}, python {}".format(
        sys.platform, "{}.{}.{}-{}-{}".format(*sys.version_info[:5])
    )


def test_default_is_the_term_report_under_pytest_covs_headings(project: pytest.Pytester) -> None:
    result = project.runpytest_subprocess("--cov=pkg", "tests")
    assert result.ret == 0
    out = result.stdout.str()
    lines = out.splitlines()
    heading = next(i for i, line in enumerate(lines) if " tests coverage " in line)
    assert set(lines[heading].replace(" tests coverage ", "")) == {"="}
    assert header() in lines[heading + 1] and lines[heading + 1].startswith("_")
    assert lines[heading + 2] == ""
    # The table is exactly what coverage.py's `coverage report` prints for the data the session
    # left, and that data is what coverage.py measures running the same tests.
    report = coverage_py(project, "report")
    assert report.returncode == 0, report.describe()
    assert table(out) == report.stdout
    assert f"\n{report.stdout}" in out
    assert "pkg/mod.py" in report.stdout and "Missing" not in report.stdout
    assert executed_lines(project.path / ".coverage", project.path) == measured_by_coverage_py(
        project, "tests"
    )


def test_numbers_match_coverage_pys_reading_of_the_data(project: pytest.Pytester) -> None:
    result = project.runpytest_subprocess("--cov=pkg", "--cov-report=json", "tests")
    assert result.ret == 0
    ours = json_files(project.path / "coverage.json")
    theirs = run_coverage(project.path, "json", "-o", "theirs.json")
    assert theirs.returncode == 0, theirs.stderr
    assert ours == json_files(project.path / "theirs.json")
    assert ours["pkg/mod.py"]["missing_lines"] == [4, 8, 9, 10]


def test_term_missing_and_skip_covered(project: pytest.Pytester) -> None:
    result = project.runpytest_subprocess(
        "--cov=pkg", "--cov-report=term-missing:skip-covered", "tests"
    )
    out = result.stdout.str()
    report = coverage_py(project, "report", "-m", "--skip-covered").stdout
    assert "2 files skipped due to complete coverage." in report
    assert f"\n{report}" in out
    assert "pkg/other.py" not in table(out)


@pytest.mark.parametrize(
    ("option", "announced", "written"),
    [
        ("xml", "Coverage XML written to file coverage.xml", "coverage.xml"),
        ("xml:out/c.xml", "Coverage XML written to file out/c.xml", "out/c.xml"),
        ("json", "Coverage JSON written to file coverage.json", "coverage.json"),
        ("json:j.json", "Coverage JSON written to file j.json", "j.json"),
        ("lcov", "Coverage LCOV written to file coverage.lcov", "coverage.lcov"),
        ("lcov:x.info", "Coverage LCOV written to file x.info", "x.info"),
        ("markdown", "Coverage Markdown information written to file coverage.md", "coverage.md"),
        ("markdown:m.md", "Coverage Markdown information written to file m.md", "m.md"),
        ("annotate:ann", "Coverage annotated source written to dir ann", "ann"),
        ("annotate", "Coverage annotated source written next to source", "pkg"),
        ("html", "Coverage HTML written to dir htmlcov", "htmlcov"),
        ("html:site", "Coverage HTML written to dir site", "site"),
    ],
)
def test_file_reports_are_written_and_announced(
    project: pytest.Pytester, option: str, announced: str, written: str
) -> None:
    """Each report file holds what coverage.py's own command writes from the session's data."""
    result = project.runpytest_subprocess("--cov=pkg", f"--cov-report={option}", "tests")
    assert result.ret == 0
    out = result.stdout.str()
    assert announced in out
    # Only the reports asked for: no term table.
    assert "TOTAL" not in out
    kind = option.partition(":")[0]
    ours = project.path / written
    theirs = project.path / "theirs"
    skip_where_716_differs(
        project.path, project.path / ".coverage", ["text" if kind == "markdown" else kind]
    )
    if kind == "annotate":
        tree = annotated(ours)
        assert any(name.endswith("mod.py,cover") for name in tree), sorted(tree)
        if written == "pkg":  # next to the source: make room for coverage.py's copies
            for name in tree:
                (ours / name).unlink()
            cov = coverage_py(project, "annotate")
        else:
            cov = coverage_py(project, "annotate", "-d", "theirs")
            ours = theirs
        assert cov.returncode == 0, cov.describe()
        assert annotated(ours) == tree
    elif kind == "html":
        cov = coverage_py(project, "html", "-d", "theirs")
        assert cov.returncode == 0, cov.describe()
        assert_same_site(theirs, ours)
    elif kind == "markdown":
        cov = coverage_py(project, "report", "--format=markdown")
        assert cov.returncode == 0, cov.describe()
        assert "**TOTAL**" in cov.stdout
        assert ours.read_text() == cov.stdout
    else:
        cov = coverage_py(project, kind, "-o", str(theirs))
        assert cov.returncode == 0, cov.describe()
        if kind == "json":
            assert "pkg/mod.py" in json.loads(theirs.read_text())["files"]
            assert_same_json(theirs, ours)
        elif kind == "xml":
            assert 'filename="mod.py"' in theirs.read_text()
            assert scrub_xml(ours.read_text()) == scrub_xml(theirs.read_text())
        else:
            assert "SF:pkg/mod.py" in theirs.read_text()
            assert ours.read_text() == theirs.read_text()


def test_markdown_append_appends(project: pytest.Pytester) -> None:
    (project.path / "notes.md").write_text("# Notes\n")
    result = project.runpytest_subprocess(
        "--cov=pkg", "--cov-report=markdown-append:notes.md", "tests"
    )
    assert "Coverage Markdown information appended to file notes.md" in result.stdout.str()
    markdown = coverage_py(project, "report", "--format=markdown")
    assert markdown.returncode == 0, markdown.describe()
    assert "**TOTAL**" in markdown.stdout
    assert (project.path / "notes.md").read_text() == "# Notes\n" + markdown.stdout


def test_markdown_and_markdown_append_may_not_share_a_file(project: pytest.Pytester) -> None:
    result = project.runpytest_subprocess(
        "--cov=pkg", "--cov-report=markdown", "--cov-report=markdown-append", "tests"
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "cannot point to the same file" in result.stderr.str()


def test_several_reports_and_none(project: pytest.Pytester) -> None:
    result = project.runpytest_subprocess(
        "--cov=pkg", "--cov-report=term", "--cov-report=xml", "tests"
    )
    term = coverage_py(project, "report")
    assert term.returncode == 0, term.describe()
    assert table(result.stdout.str()) == term.stdout
    xml = coverage_py(project, "xml", "-o", "theirs.xml")
    assert xml.returncode == 0, xml.describe()
    ours = scrub_xml((project.path / "coverage.xml").read_text())
    assert ours == scrub_xml((project.path / "theirs.xml").read_text())

    shutil.move(project.path / ".coverage", project.path / "first.data")
    result = project.runpytest_subprocess("--cov=pkg", "--cov-report=", "tests")
    assert result.ret == 0
    assert "tests coverage" not in result.stdout.str()
    # No report, but the same data as the session that reported.
    first = executed_lines(project.path / "first.data", project.path)
    assert first and executed_lines(project.path / ".coverage", project.path) == first


def test_precision_option_and_config(project: pytest.Pytester) -> None:
    result = project.runpytest_subprocess("--cov=pkg", "--cov-precision=2", "tests")
    expected = coverage_py(project, "report", "--precision=2").stdout
    assert ".64%" in expected  # 7 of 11 statements
    assert table(result.stdout.str()) == expected
    (project.path / ".coveragerc").write_text("[report]\nprecision = 1\n")
    result = project.runpytest_subprocess("--cov=pkg", "tests")
    expected = coverage_py(project, "report", "--precision=1").stdout
    assert ".6%" in expected
    assert table(result.stdout.str()) == expected


def test_invalid_report_type_is_a_usage_error(project: pytest.Pytester) -> None:
    result = project.runpytest_subprocess("--cov=pkg", "--cov-report=pdf", "tests")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert 'invalid choice: "pdf"' in result.stderr.str()


def test_no_data_is_a_report_warning_not_a_failure(project: pytest.Pytester) -> None:
    result = project.runpytest_subprocess("--cov=nothing_here", "tests")
    assert result.ret == 0
    out = result.stdout.str() + result.stderr.str()
    assert "WARNING: Failed to generate report: No data to report." in out
    assert "Module nothing_here was never imported. (module-not-imported)" in out
    result.assert_outcomes(passed=2)


def test_json_report_reads_json_config(project: pytest.Pytester) -> None:
    (project.path / "pyproject.toml").write_text(
        '[tool.coverage.json]\noutput = "cfg.json"\n[tool.coverage.run]\nomit = ["*/other.py"]\n'
    )
    result = project.runpytest_subprocess("--cov=pkg", "--cov-report=json", "tests")
    assert "Coverage JSON written to file cfg.json" in result.stdout.str()
    files = json.loads((project.path / "cfg.json").read_text())["files"]
    assert sorted(files) == ["pkg/__init__.py", "pkg/mod.py"]
