"""Settings and options that change where files are found, end to end: ``ferrocov run`` +
``ferrocov report/json`` against ``coverage run`` + ``coverage report/json`` on the same project,
each tool measuring into a data file of its own (cov.data and fc.data).

``[run] relative_files`` (the names stored in the data file, the report names, and a combine in
another directory), ``[run] source_pkgs`` (a package found at start and one the program puts on
``sys.path`` itself), ``run -L`` (a standard-library module's executed lines) and ``report -i``
with a file that cannot be parsed and one whose source is gone.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import coverage
import pytest
from support import Project, Result
from support.oracle_716 import skip_where_716_differs
from support.reports import assert_same_json, scrub_xml

MAIN = """\
from pkg import shapes

print(shapes.area(2, 3))
"""

SHAPES = """\
def area(width, height):
    if width < 0 or height < 0:
        raise ValueError("negative")
    return width * height


def never():
    return None
"""


def stored(data_file: Path) -> dict[str, list[int]]:
    """The file names exactly as the data file stores them, with their lines (read by
    coverage.py; support.executed_lines would resolve the names)."""
    assert data_file.is_file(), f"{data_file} was not written"
    data = coverage.CoverageData(basename=os.fspath(data_file))
    data.read()
    return {name: sorted(data.lines(name) or []) for name in sorted(data.measured_files())}


def _same(cov: Result, fc: Result) -> None:
    """Both commands end alike: exit status and stdout."""
    both = f"=== coverage.py\n{cov.describe()}\n=== ferrocov\n{fc.describe()}"
    assert (fc.returncode, fc.stdout) == (cov.returncode, cov.stdout), both


def _run_both(project: Project, *args: str, env: dict[str, str] | None = None) -> None:
    """``coverage run`` into cov.data and ``ferrocov run`` into fc.data; same exit and output."""
    cov = project.coverage("run", "--data-file=cov.data", *args, env=env)
    fc = project.ferrocov("run", "--data-file=fc.data", *args, env=env)
    _same(cov, fc)


def _same_reports(project: Project, *args: str) -> None:
    """``report -m`` and ``json`` (with ``args``) on each tool's own data agree."""
    skip_where_716_differs(project.root, project.path("cov.data"), ["text", "json"])
    cov = project.coverage("report", "-m", "--data-file=cov.data", *args)
    fc = project.ferrocov("report", "-m", "--data-file=fc.data", *args)
    assert cov.returncode == 0, cov.describe()
    _same(cov, fc)
    cov = project.coverage("json", "--data-file=cov.data", "-o", "cov.json", *args)
    fc = project.ferrocov("json", "--data-file=fc.data", "-o", "fc.json", *args)
    assert cov.returncode == 0, cov.describe()
    assert fc.returncode == 0, fc.describe()
    assert_same_json(project.path("cov.json"), project.path("fc.json"))


# --- [run] relative_files --------------------------------------------------------------------


def _relative_project(project: Project) -> Project:
    project.write(".coveragerc", "[run]\nrelative_files = true\n")
    project.write("main.py", MAIN)
    project.write("pkg/__init__.py", "")
    project.write("pkg/shapes.py", SHAPES)
    return project


def test_relative_files_in_the_data_and_the_reports(project: Project) -> None:
    _relative_project(project)
    _run_both(project, "main.py")
    theirs = stored(project.path("cov.data"))
    assert "pkg/shapes.py" in theirs, theirs  # relative, as stored: the setting took effect
    assert stored(project.path("fc.data")) == theirs
    _same_reports(project)
    # The XML report's <sources> and file names follow the setting too.
    skip_where_716_differs(project.root, project.path("cov.data"), ["xml"])
    for tool, data in ((project.coverage, "cov"), (project.ferrocov, "fc")):
        result = tool("xml", f"--data-file={data}.data", "-o", f"{data}.xml")
        assert result.returncode == 0, result.describe()
    cov_xml = project.path("cov.xml").read_text()
    assert str(project.root) not in cov_xml
    assert scrub_xml(project.path("fc.xml").read_text()) == scrub_xml(cov_xml)


def test_relative_files_combine_in_another_directory(tmp_path: Path) -> None:
    """Data measured in one checkout and combined in another (CI jobs in different places):
    with relative names the second checkout's sources are found, and nothing names the first."""
    first = _relative_project(Project(tmp_path / "first"))
    _run_both(first, "main.py")
    copy = shutil.copytree(
        first.root, tmp_path / "elsewhere" / "second", ignore=shutil.ignore_patterns("*.data")
    )
    second = Project(copy)
    for name in ("cov", "fc"):
        shutil.move(first.path(f"{name}.data"), second.path(f"{name}.data.from-first"))

    cov = second.coverage("combine", "--data-file=cov.data", "cov.data.from-first")
    fc = second.ferrocov("combine", "--data-file=fc.data", "fc.data.from-first")
    assert cov.returncode == 0, cov.describe()
    _same(cov, fc)
    # coverage.py's summary line ("Combined 1 file") goes to stderr; ferrocov's is the same.
    assert "Combined 1 file" in cov.stderr, cov.describe()
    assert fc.stderr == cov.stderr, fc.describe()
    assert not second.path("cov.data.from-first").exists()
    assert not second.path("fc.data.from-first").exists()

    shutil.rmtree(first.root)  # the sources must come from the second checkout
    theirs = stored(second.path("cov.data"))
    assert "pkg/shapes.py" in theirs, theirs
    assert stored(second.path("fc.data")) == theirs
    _same_reports(second)
    assert str(first.root) not in second.path("fc.json").read_text()


# --- [run] source_pkgs -----------------------------------------------------------------------

SRC_MAIN = """\
import sys

if "--add-src" in sys.argv:
    sys.path.insert(0, "src")

import mylib
from mylib import core
import helper

core.used()
helper.assist()
"""

CORE = """\
def used():
    return 1


def unused():
    return 2
"""


@pytest.mark.parametrize("where", ["on-sys-path-at-start", "added-by-the-program"])
def test_source_pkgs(project: Project, where: str) -> None:
    """Only the named package is measured, its never-imported module included. coverage.py
    matches the package by module name as the code runs, so it is measured even when the
    program itself makes it importable."""
    project.write(".coveragerc", "[run]\nsource_pkgs = mylib\n")
    project.write("main.py", SRC_MAIN)
    project.write("helper.py", "def assist():\n    return 3\n")
    project.write("src/mylib/__init__.py", "VERSION = 1\n")
    project.write("src/mylib/core.py", CORE)
    project.write("src/mylib/never_imported.py", "VALUE = 4\n")
    if where == "on-sys-path-at-start":
        args, env = ("main.py",), {"PYTHONPATH": str(project.path("src"))}
    else:
        args, env = ("main.py", "--add-src"), None
    _run_both(project, *args, env=env)
    theirs = stored(project.path("cov.data"))
    # The never-imported module is in the data too, with no lines.
    names = sorted(Path(name).name for name in theirs)
    assert names == ["__init__.py", "core.py", "never_imported.py"], theirs
    assert stored(project.path("fc.data")) == theirs
    _same_reports(project)
    report = project.coverage("report", "--data-file=cov.data").stdout
    assert "never_imported.py" in report and "helper.py" not in report


# --- run -L ----------------------------------------------------------------------------------

# colorsys: a pure-Python standard-library module neither tool imports for itself, so every line
# it runs is the program's doing. (The other standard-library files each tool records differ:
# each imports its own modules before measuring starts.)
STDLIB_USER = """\
import colorsys

print(colorsys.rgb_to_hsv(0.2, 0.4, 0.4))
print(colorsys.hls_to_rgb(0.5, 0.5, 0.5))
"""


def _colorsys(data_file: Path) -> dict[str, list[int]]:
    return {
        name: lines
        for name, lines in stored(data_file).items()
        if os.path.basename(name) == "colorsys.py"
    }


def test_pylib_measures_the_standard_library(project: Project) -> None:
    project.write("prog.py", STDLIB_USER)
    _run_both(project, "prog.py")
    assert _colorsys(project.path("cov.data")) == {}, "measured without -L"
    assert _colorsys(project.path("fc.data")) == {}, "measured without -L"

    _run_both(project, "-L", "prog.py")
    theirs = _colorsys(project.path("cov.data"))
    assert len(theirs) == 1 and next(iter(theirs.values())), theirs
    assert _colorsys(project.path("fc.data")) == theirs
    cov = project.coverage("report", "-m", "--data-file=cov.data", "--include=*/colorsys.py")
    fc = project.ferrocov("report", "-m", "--data-file=fc.data", "--include=*/colorsys.py")
    assert "colorsys.py" in cov.stdout, cov.describe()
    _same(cov, fc)


# --- report -i -------------------------------------------------------------------------------


def test_ignore_errors_with_an_unparsable_file_and_a_deleted_one(project: Project) -> None:
    """pkg/broken.py cannot be parsed (never imported, found through --source); pkg/gone.py ran
    and was deleted before the report. Without -i both tools fail; with -i each file is a
    warning and the rest is reported."""
    project.write("main.py", "from pkg import gone, ok\n\nprint(gone.VALUE + ok.twice(2))\n")
    project.write("pkg/__init__.py", "")
    project.write("pkg/ok.py", "def twice(x):\n    return 2 * x\n")
    project.write("pkg/gone.py", "VALUE = 1\n")
    project.write("pkg/broken.py", "def broken(:\n    pass\n")
    _run_both(project, "--source=pkg", "main.py")
    project.path("pkg/gone.py").unlink()

    for cmd in (("report",), ("json", "-o", "out.json")):
        cov = project.coverage(*cmd, "--data-file=cov.data")
        fc = project.ferrocov(*cmd, "--data-file=fc.data")
        assert cov.returncode == fc.returncode == 1, f"{cov.describe()}\n{fc.describe()}"
        assert not project.path("out.json").exists()

    skip_where_716_differs(project.root, project.path("cov.data"), ["text", "json"])
    cov = project.coverage("report", "-i", "-m", "--data-file=cov.data")
    fc = project.ferrocov("report", "-i", "-m", "--data-file=fc.data")
    assert cov.returncode == 0, cov.describe()
    assert "pkg/ok.py" in cov.stdout and "gone.py" not in cov.stdout, cov.describe()
    _same(cov, fc)
    for name in ("pkg/broken.py", "pkg/gone.py"):
        for result in (cov, fc):
            warning = [line for line in result.stderr.splitlines() if name in line]
            assert warning and "(couldnt-parse)" in warning[0], result.describe()

    cov = project.coverage("json", "-i", "--data-file=cov.data", "-o", "cov.json")
    fc = project.ferrocov("json", "-i", "--data-file=fc.data", "-o", "fc.json")
    assert cov.returncode == fc.returncode == 0, f"{cov.describe()}\n{fc.describe()}"
    assert_same_json(project.path("cov.json"), project.path("fc.json"))
