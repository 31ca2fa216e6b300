"""Settings coverage.py has and ferrocov does not act on are never silently ignored: each gives
one warning naming it, and measuring goes on (the lines are coverage.py's)."""

from __future__ import annotations

import pytest
from support import Project

CASES = {
    "plugins": (
        "[run]\nplugins = django_coverage_plugin\n",
        "[run] plugins = django_coverage_plugin",
    ),
    "gevent": ("[run]\nconcurrency = gevent\n", "[run] concurrency = gevent"),
    "eventlet": ("[run]\nconcurrency = eventlet,thread\n", "[run] concurrency = eventlet"),
    "greenlet": ("[run]\nconcurrency = greenlet\n", "[run] concurrency = greenlet"),
    "dynamic_context": (
        "[run]\ndynamic_context = some_plugin_context\n",
        "[run] dynamic_context = some_plugin_context",
    ),
    "timid": ("[run]\ntimid = true\n", "[run] timid = true"),
    "core": ("[run]\ncore = ctrace\n", "[run] core = ctrace"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_run_names_the_setting_and_still_measures(project: Project, case: str) -> None:
    config, named = CASES[case]
    project.write(".coveragerc", config)
    project.write("main.py", "def f():\n    return 1\n\n\nf()\n")
    result = project.ferrocov("run", "main.py")
    assert result.returncode == 0, result.describe()
    warnings = [line for line in result.stderr.splitlines() if line.startswith("ferrocov: warning")]
    assert len(warnings) == 1 and named in warnings[0], result.describe()
    assert project.lines() == {"main.py": [1, 2, 5]}


def test_multiprocessing_concurrency_needs_no_warning(project: Project) -> None:
    """Every process is measured anyway: nothing to warn about."""
    project.write(".coveragerc", "[run]\nconcurrency = multiprocessing,thread\n")
    project.write("main.py", "x = 1\n")
    result = project.ferrocov("run", "main.py")
    assert result.returncode == 0 and "warning" not in result.stderr, result.describe()


def test_pytest_session_names_the_setting(project: Project) -> None:
    project.write(".coveragerc", "[run]\nplugins = django_coverage_plugin\n")
    project.write("pkg/__init__.py", "")
    project.write("pkg/m.py", "def f():\n    return 1\n")
    project.write("tests/test_m.py", "import pkg.m\n\n\ndef test_f():\n    assert pkg.m.f() == 1\n")
    result = project.python("-m", "pytest", "-p", "no:cacheprovider", "--cov=pkg", "tests")
    assert result.returncode == 0, result.describe()
    assert "[run] plugins = django_coverage_plugin is ignored" in result.stdout
