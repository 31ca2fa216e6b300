"""However a measured session ends, what it measured reaches the data file and nothing is left
in the project: a collection error, `-x`, KeyboardInterrupt, `pytest.exit` in a test or in a
conftest. coverage.py (reading ferrocov's `.coverage`) is the judge of what was saved."""

from __future__ import annotations

import json
import sys

import pytest
from conftest import run_coverage

# Imported at collection: pkg.other's module-level lines run before anything else can fail.
COLLECTED = "import pkg.other\n\n\ndef test_other():\n    assert pkg.other.used() == 1\n"

ENDINGS = {
    "collection-error": {"tests/test_broken.py": "import pkg.mod\nthis is not python\n"},
    "exitfirst": {
        "tests/test_zfail.py": "import pkg.mod\n\n\ndef test_fail():\n"
        "    pkg.mod.covered(0)\n    assert False\n\n\ndef test_never():\n    pass\n"
    },
    "keyboard-interrupt": {
        "tests/test_zint.py": "import pkg.mod\n\n\ndef test_interrupt():\n"
        "    pkg.mod.covered(0)\n    raise KeyboardInterrupt\n"
    },
    "pytest-exit-in-test": {
        "tests/test_zexit.py": "import pytest\nimport pkg.mod\n\n\ndef test_exit():\n"
        "    pkg.mod.covered(0)\n    pytest.exit('stop here', returncode=3)\n"
    },
    "pytest-exit-in-conftest": {
        "tests/conftest.py": "import pytest\nimport pkg.mod\n\npkg.mod.covered(0)\n"
        "pytest.exit('stop in conftest', returncode=4)\n"
    },
}


@pytest.mark.parametrize("ending", sorted(ENDINGS))
def test_measured_lines_reach_the_data_file(project: pytest.Pytester, ending: str) -> None:
    (project.path / "tests" / "test_pkg.py").write_text(COLLECTED)
    for name, text in ENDINGS[ending].items():
        (project.path / name).write_text(text)
    args = ["--cov=pkg", "--cov-report=term-missing", "tests"]
    if ending == "exitfirst":
        args.insert(0, "-x")
    result = project.runpytest_subprocess(*args)
    assert result.ret != 0
    assert (project.path / ".coverage").is_file(), result.stdout.str()
    leftovers = sorted(
        p.name for p in project.path.iterdir() if p.name.startswith(".coverage") and p.is_dir()
    )
    assert leftovers == [], f"left in the project: {leftovers}"
    report = run_coverage(project.path, "json", "-o", "-", "--data-file", ".coverage")
    assert report.returncode == 0, report.stderr
    files = json.loads(report.stdout)["files"]
    # Every ending imported pkg.mod and ran covered(0)'s `return "no"` (line 4), except the
    # collection error, which only imported it; the module lines (def covered: line 1) ran.
    assert 1 in files["pkg/mod.py"]["executed_lines"]
    if ending != "collection-error":
        assert 4 in files["pkg/mod.py"]["executed_lines"]
    if ending != "pytest-exit-in-conftest":
        # The collected module's import ran in every other case.
        assert {1, 4} <= set(files["pkg/other.py"]["executed_lines"])


def test_no_cover_is_ignored_without_cov(project: pytest.Pytester) -> None:
    """`ferrocov run -m pytest` measures like `coverage run -m pytest`: the `no_cover` marker
    belongs to `--cov` sessions, so the lines it would hide are measured here, with modules
    first imported inside a marked test."""
    (project.path / "tests" / "test_pkg.py").write_text(
        "import pytest\n\n\n@pytest.mark.no_cover\ndef test_marked():\n"
        "    import pkg.mod\n    pkg.mod.never()\n"
    )
    ours = project.run(
        sys.executable,
        "-m",
        "ferrocov",
        "run",
        "--source=pkg",
        "--data-file=fc.data",
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "tests",
    )
    assert ours.ret == 0, ours.stdout.str() + ours.stderr.str()
    theirs = run_coverage(
        project.path,
        "run",
        "--source=pkg",
        "--data-file=cov.data",
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "tests",
    )
    assert theirs.returncode == 0, theirs.stdout + theirs.stderr

    def lines(data: str) -> dict[str, list[int]]:
        out = run_coverage(project.path, "json", "-o", "-", "--data-file", data)
        return {k: v["executed_lines"] for k, v in json.loads(out.stdout)["files"].items()}

    assert lines("fc.data") == lines("cov.data")
    assert lines("fc.data")["pkg/mod.py"] == [1, 7, 8, 9, 10]
