"""The options that choose reports, and what the terminal summary shows, against pytest-cov
7.1's behaviour and ferrocov's own `report` command."""

from __future__ import annotations

import json
import sys

import pytest
from conftest import json_files, run_coverage, run_ferrocov, table


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
    # The table is exactly what `ferrocov report` prints for the data the session left.
    report = run_ferrocov(project.path, "report")
    assert report.returncode == 0, report.stderr
    assert table(out) == report.stdout
    assert f"\n{report.stdout}" in out
    assert "pkg/mod.py" in report.stdout and "Missing" not in report.stdout


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
    report = run_ferrocov(project.path, "report", "-m", "--skip-covered").stdout
    assert "2 files skipped due to complete coverage." in report
    assert f"\n{report}" in out
    assert "4, 8-10" in out
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
        ("annotate:ann", "Coverage annotated source written to dir ann", "ann/*mod.py,cover"),
        ("annotate", "Coverage annotated source written next to source", "pkg/mod.py,cover"),
    ],
)
def test_file_reports_are_written_and_announced(
    project: pytest.Pytester, option: str, announced: str, written: str
) -> None:
    result = project.runpytest_subprocess("--cov=pkg", f"--cov-report={option}", "tests")
    assert result.ret == 0
    out = result.stdout.str()
    assert announced in out
    assert [path for path in project.path.glob(written) if path.is_file()]
    # Only the reports asked for: no term table.
    assert "TOTAL" not in out


def test_markdown_append_appends(project: pytest.Pytester) -> None:
    (project.path / "notes.md").write_text("# Notes\n")
    result = project.runpytest_subprocess(
        "--cov=pkg", "--cov-report=markdown-append:notes.md", "tests"
    )
    assert "Coverage Markdown information appended to file notes.md" in result.stdout.str()
    text = (project.path / "notes.md").read_text()
    assert text.startswith("# Notes\n") and "**TOTAL**" in text


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
    assert "TOTAL" in result.stdout.str() and (project.path / "coverage.xml").is_file()
    result = project.runpytest_subprocess("--cov=pkg", "--cov-report=", "tests")
    assert result.ret == 0
    assert "tests coverage" not in result.stdout.str()
    assert (project.path / ".coverage").is_file()


def test_precision_option_and_config(project: pytest.Pytester) -> None:
    result = project.runpytest_subprocess("--cov=pkg", "--cov-precision=2", "tests")
    assert "63.64%" in result.stdout.str()
    (project.path / ".coveragerc").write_text("[report]\nprecision = 1\n")
    result = project.runpytest_subprocess("--cov=pkg", "tests")
    assert "63.6%" in result.stdout.str()


@pytest.mark.parametrize("option", ["--cov-report=html", "--cov-branch", "--cov-context=test"])
def test_features_not_built_yet_are_usage_errors(project: pytest.Pytester, option: str) -> None:
    result = project.runpytest_subprocess("--cov=pkg", option, "tests")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "not built yet" in result.stderr.str()
    assert "passed" not in result.stdout.str()


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
