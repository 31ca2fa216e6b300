"""Sources, configuration, data and the switches that turn measuring or reporting off."""

from __future__ import annotations

import sqlite3

import pytest
from conftest import measured_by_coverage_py, row, table
from support import executed_lines


def test_bare_cov_uses_the_configured_source(project: pytest.Pytester) -> None:
    (project.path / "setup.cfg").write_text("[coverage:run]\nsource = pkg\n")
    out = table(project.runpytest_subprocess("tests", "--cov").stdout.str())
    assert "pkg/mod.py" in out and "test_pkg.py" not in out


def test_bare_cov_without_source_measures_everything_but_installed_code(
    project: pytest.Pytester,
) -> None:
    out = project.runpytest_subprocess("tests", "--cov").stdout.str()
    assert "pkg/mod.py" in out and "tests/test_pkg.py" in out
    assert "site-packages" not in out


def test_bare_cov_wins_over_named_sources(project: pytest.Pytester) -> None:
    out = project.runpytest_subprocess("tests", "--cov=pkg", "--cov").stdout.str()
    assert "tests/test_pkg.py" in out


def test_cov_reset_forgets_earlier_sources(project: pytest.Pytester) -> None:
    out = table(
        project.runpytest_subprocess(
            "--cov=tests", "--cov-reset", "--cov=pkg", "tests"
        ).stdout.str()
    )
    assert "pkg/mod.py" in out and "test_pkg.py" not in out


def test_conftest_and_test_module_imports_are_measured(project: pytest.Pytester) -> None:
    (project.path / "conftest.py").write_text("import pkg.other\nSEEN = pkg.other.VALUE\n")
    result = project.runpytest_subprocess("--cov=.", "--cov-report=term-missing", "tests")
    out = result.stdout.str()
    assert row(out, "conftest.py")[1:4] == ["2", "0", "100%"]
    assert row(out, "pkg/other.py")[3] == "100%"


def test_cov_config_names_the_file_and_the_default_is_discovery(project: pytest.Pytester) -> None:
    (project.path / "custom.ini").write_text("[run]\nomit = */other.py\n")
    out = project.runpytest_subprocess("--cov=pkg", "--cov-config=custom.ini", "tests").stdout.str()
    assert "pkg/mod.py" in out and "pkg/other.py" not in out
    (project.path / "tox.ini").write_text("[coverage:run]\nomit = */mod.py\n")
    out = project.runpytest_subprocess("--cov=pkg", "tests").stdout.str()
    assert "pkg/other.py" in out and "pkg/mod.py" not in out


def test_data_file_from_config(project: pytest.Pytester) -> None:
    (project.path / ".coveragerc").write_text("[run]\ndata_file = data/.cov\n")
    result = project.runpytest_subprocess("--cov=pkg", "tests")
    assert result.ret == 0
    assert not (project.path / ".coverage").exists()
    # The data went there: what coverage.py measures running the same tests.
    measured = executed_lines(project.path / "data" / ".cov", project.path)
    assert measured == measured_by_coverage_py(project, "tests")


def test_unusable_configuration_is_a_warning_and_tests_still_pass(
    project: pytest.Pytester,
) -> None:
    (project.path / ".coveragerc").write_text("[report]\nprecision = lots\n")
    result = project.runpytest_subprocess("--cov=pkg", "tests")
    result.assert_outcomes(passed=2, warnings=1)
    assert result.ret == 0
    out = result.stdout.str()
    assert "coverage is not measured" in out and "precision" in out
    assert "Failed to generate report" in out + result.stderr.str()


def test_missing_named_config_is_a_warning(project: pytest.Pytester) -> None:
    result = project.runpytest_subprocess("--cov=pkg", "--cov-config=nope.ini", "tests")
    assert result.ret == 0
    assert "nope.ini" in result.stdout.str()


def test_append_keeps_earlier_data(project: pytest.Pytester) -> None:
    (project.path / "tests" / "test_more.py").write_text(
        "import pkg.mod\n\ndef test_never():\n    assert pkg.mod.never() == 3\n"
    )
    project.runpytest_subprocess("--cov=pkg", "--cov-report=", "tests/test_more.py")
    appended = project.runpytest_subprocess(
        "--cov=pkg", "--cov-append", "--cov-report=term-missing", "tests/test_pkg.py"
    ).stdout.str()
    assert row(appended, "pkg/mod.py") == ["pkg/mod.py", "8", "1", "88%", "4"]
    fresh = project.runpytest_subprocess(
        "--cov=pkg", "--cov-report=term-missing", "tests/test_pkg.py"
    ).stdout.str()
    assert row(fresh, "pkg/mod.py") == ["pkg/mod.py", "8", "4", "50%", "4,", "8-10"]


def test_no_cov_turns_everything_off(project: pytest.Pytester) -> None:
    result = project.runpytest_subprocess("--cov=pkg", "--no-cov", "tests")
    assert result.ret == 0
    out = result.stdout.str()
    assert "tests coverage" not in out and "Coverage disabled" not in out
    assert not (project.path / ".coverage").exists()


def test_no_cov_before_cov_says_so(project: pytest.Pytester) -> None:
    result = project.runpytest_subprocess("--no-cov", "--cov=pkg", "tests")
    out = result.stdout.str()
    assert "tests coverage" in out
    assert "WARNING: Coverage disabled via --no-cov switch!" in out
    assert "CovDisabledWarning" in out


def test_no_cov_on_fail(project: pytest.Pytester) -> None:
    (project.path / "tests" / "test_fail.py").write_text("def test_fails():\n    assert 0\n")
    result = project.runpytest_subprocess("--cov=pkg", "--no-cov-on-fail", "tests")
    assert result.ret == 1
    assert "tests coverage" not in result.stdout.str()
    # The data is still combined: what coverage.py measures running the same tests.
    measured = executed_lines(project.path / ".coverage", project.path)
    assert measured == measured_by_coverage_py(project, "tests")
    result = project.runpytest_subprocess("--cov=pkg", "tests")
    assert "tests coverage" in result.stdout.str()


def test_without_cov_nothing_happens(project: pytest.Pytester) -> None:
    result = project.runpytest_subprocess("--cov-report=xml", "tests")
    assert result.ret == 0
    assert "tests coverage" not in result.stdout.str()
    assert not (project.path / "coverage.xml").exists()


@pytest.mark.parametrize("how", ["config", "option"])
def test_branch_setting_or_option_measures_branches(project: pytest.Pytester, how: str) -> None:
    args = ["--cov=pkg", "tests"]
    if how == "config":
        (project.path / ".coveragerc").write_text("[run]\nbranch = true\n")
    else:
        args.append("--cov-branch")
    result = project.runpytest_subprocess(*args)
    assert result.ret == 0
    out = result.stdout.str() + result.stderr.str()
    assert "not built yet" not in out and "is ignored" not in out
    assert "TOTAL" in out
    with sqlite3.connect(project.path / ".coverage") as db:
        has_arcs = db.execute("select value from meta where key = 'has_arcs'").fetchone()
        arcs = db.execute("select count(*) from arc").fetchone()
    assert has_arcs == ("1",) and arcs[0] > 0


def test_fail_under_option_fails_the_session(project: pytest.Pytester) -> None:
    result = project.runpytest_subprocess("--cov=pkg", "--cov-fail-under=90", "tests")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    out = result.stdout.str()
    assert "ERROR: Coverage failure: total of 64 is less than fail-under=90" in out
    assert "FAIL Required test coverage of 90% not reached. Total coverage: 63.64%" in out
    result.assert_outcomes(passed=2)


def test_fail_under_reached(project: pytest.Pytester) -> None:
    result = project.runpytest_subprocess("--cov=pkg", "--cov-fail-under=60.5", "tests")
    assert result.ret == 0
    assert "Required test coverage of 60.5% reached. Total coverage: 63.64%" in result.stdout.str()


def test_fail_under_from_config_with_precision(project: pytest.Pytester) -> None:
    # 63.636... shows as 63.6 at precision 1: not below 63.6, but below 63.7.
    (project.path / ".coveragerc").write_text("[report]\nfail_under = 63.6\nprecision = 1\n")
    result = project.runpytest_subprocess("--cov=pkg", "tests")
    assert result.ret == 0
    assert "Required test coverage of 63.6% reached. Total coverage: 63.64%" in result.stdout.str()
    (project.path / ".coveragerc").write_text("[report]\nfail_under = 63.7\nprecision = 1\n")
    result = project.runpytest_subprocess("--cov=pkg", "tests")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    out = result.stdout.str()
    assert "ERROR: Coverage failure: total of 63.6 is less than fail-under=63.7" in out
    assert "FAIL Required test coverage of 63.7% not reached. Total coverage: 63.64%" in out


def test_fail_under_with_no_report(project: pytest.Pytester) -> None:
    result = project.runpytest_subprocess(
        "--cov=pkg", "--cov-report=", "--cov-fail-under=100", "tests"
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert "FAIL Required test coverage of 100% not reached" in result.stdout.str()


def test_source_package_found_through_the_pythonpath_setting(project: pytest.Pytester) -> None:
    (project.path / "pkg").rename(project.path / "src")
    (project.path / "src").mkdir(exist_ok=True)
    (project.path / "src" / "pkg").mkdir()
    for name in ("__init__.py", "mod.py", "other.py"):
        (project.path / "src" / name).rename(project.path / "src" / "pkg" / name)
    (project.path / "pytest.ini").write_text("[pytest]\npythonpath = src\n")
    result = project.runpytest_subprocess("--cov=pkg", "--cov-report=term-missing", "tests")
    assert result.ret == 0
    assert row(result.stdout.str(), "src/pkg/mod.py")[1:4] == ["8", "4", "50%"]


def test_source_package_found_only_once_conftest_ran(project: pytest.Pytester) -> None:
    (project.path / "pkg").rename(project.path / "lib")
    (project.path / "lib").mkdir(exist_ok=True)
    (project.path / "lib" / "pkg").mkdir()
    for name in ("__init__.py", "mod.py", "other.py"):
        (project.path / "lib" / name).rename(project.path / "lib" / "pkg" / name)
    (project.path / "tests" / "conftest.py").write_text(
        "import os, sys\nsys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))\n"
    )
    result = project.runpytest_subprocess("--cov=pkg", "--cov-report=term-missing", "tests")
    assert result.ret == 0
    out = result.stdout.str()
    assert row(out, "lib/pkg/mod.py")[1:4] == ["8", "4", "50%"]
    assert "never imported" not in out + result.stderr.str()
