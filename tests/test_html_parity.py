"""ferrocov's HTML site vs coverage.py's, both written from the same coverage.py data file.

The two sites share their layout and facts, not their markup: each is read back with
support.html_site and compared fact by fact. Per source page: the title, the statement and
run/missing/excluded/partial counts, the previous and next links, and for every line its
category classes (continuation lines included), its text, its tokens' classes, and a partial
branch's destinations and sentence. Per index page (files, functions, classes): the title, the
total, the buttons, every row's cells by column (file and region names, links, counts,
percentages and their ``data-ratio``) and the totals row. And the file names of the site.

Every corpus program is compared with line data and with branch data; a multi-file project
covers the options and settings (skip covered/empty, precision, title, include/omit, ``[html]``).
On Python 3.10 the oracle is coverage.py 7.16.2, with its named differences skipped.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support import PY311, Project, needs_py311, program_names
from support.html_site import assert_same_site
from support.oracle_716 import skip_where_716_differs

PROGRAMS = program_names()


def html_both(project: Project, *args: str) -> tuple[Path, Path]:
    """``coverage html -d cov_html ARGS`` and ``ferrocov html -d fc_html ARGS``: both succeed
    and say where they wrote, in the same words."""
    cov = project.coverage("html", "-d", "cov_html", *args)
    fc = project.ferrocov("html", "-d", "fc_html", *args)
    assert cov.returncode == 0, cov.describe()
    assert fc.returncode == 0, fc.describe()
    assert fc.stdout == cov.stdout.replace("cov_html", "fc_html"), (cov.describe(), fc.describe())
    return project.path("cov_html"), project.path("fc_html")


def _measure(project: Project, program: str, *run_args: str) -> None:
    if needs_py311(program) and not PY311:
        pytest.skip("needs Python 3.11+ syntax or APIs")
    project.copy_program(program)
    result = project.coverage("run", *run_args, program)
    assert project.path(".coverage").is_file(), result.describe()
    skip_where_716_differs(project.root, project.path(".coverage"), ("html",))


@pytest.mark.parametrize("program", PROGRAMS)
def test_html_lines(project: Project, program: str) -> None:
    _measure(project, program)
    assert_same_site(*html_both(project))


@pytest.mark.parametrize("program", PROGRAMS)
def test_html_branches(project: Project, program: str) -> None:
    _measure(project, program, "--branch")
    assert_same_site(*html_both(project))


# --- options and settings on a multi-file project ----------------------------------------------

MAIN = """\
import app.full
import app.partial
from app.sub import deep

app.full.run()
app.partial.maybe(1)
deep.Shape(2).area()
"""

FULL = """\
def run():
    total = 0
    for i in range(3):
        total += i
    return total
"""

PARTIAL = """\
def maybe(x):
    if x > 0:
        return (
            x
            + 1
        )
    elif x < -5:  # pragma: no cover
        raise ValueError(x)
    return 0


def never():
    return None
"""

DEEP = """\
class Shape:
    def __init__(self, size):
        self.size = size

    def area(self):
        return self.size ** 2

    def _perimeter(self):
        return 4 * self.size


class Empty:
    pass
"""


@pytest.fixture
def multi(project: Project) -> Project:
    project.write("main.py", MAIN)
    project.write("app/__init__.py", "")
    project.write("app/full.py", FULL)
    project.write("app/partial.py", PARTIAL)
    project.write("app/sub/__init__.py", "")
    project.write("app/sub/deep.py", DEEP)
    return project


@pytest.mark.parametrize("branch", [False, True], ids=["lines", "branches"])
@pytest.mark.parametrize(
    "args",
    [
        pytest.param((), id="default"),
        pytest.param(("--skip-covered",), id="skip-covered"),
        pytest.param(("--skip-empty",), id="skip-empty"),
        pytest.param(("--skip-covered", "--skip-empty"), id="skip-both"),
        pytest.param(("--precision=2",), id="precision"),
        pytest.param(("--title=My <project> & co",), id="title"),
        pytest.param(("--include=app/partial.py,app/sub/*",), id="include"),
        pytest.param(("--omit=app/full.py,main.py",), id="omit"),
    ],
)
def test_html_options(multi: Project, args: tuple[str, ...], branch: bool) -> None:
    result = multi.coverage("run", *(["--branch"] if branch else []), "main.py")
    assert result.returncode == 0, result.describe()
    skip_where_716_differs(multi.root, multi.path(".coverage"), ("html",))
    assert_same_site(*html_both(multi, *args))


@pytest.mark.parametrize(
    "rc",
    [
        pytest.param("[html]\ntitle = Configured\nskip_covered = true\n", id="html-title-skip"),
        pytest.param(
            "[report]\nskip_covered = true\nskip_empty = true\nprecision = 1\n", id="report"
        ),
        pytest.param(
            "[report]\nskip_covered = true\n[html]\nskip_covered = false\n", id="html-overrides"
        ),
    ],
)
def test_html_config(multi: Project, rc: str) -> None:
    multi.write(".coveragerc", rc)
    result = multi.coverage("run", "main.py")
    assert result.returncode == 0, result.describe()
    assert_same_site(*html_both(multi))


def test_html_default_directory_and_gitignore(multi: Project) -> None:
    """Without ``-d`` both write ``htmlcov``; a new directory gets a ``.gitignore``, a directory
    that already held files does not."""
    assert multi.coverage("run", "main.py").returncode == 0
    cov = multi.coverage("html")
    assert cov.returncode == 0, cov.describe()
    multi.path("htmlcov").rename(multi.path("cov_html"))
    fc = multi.ferrocov("html")
    assert fc.returncode == 0, fc.describe()
    assert fc.stdout == cov.stdout
    assert multi.path("htmlcov/.gitignore").is_file()
    assert_same_site(multi.path("cov_html"), multi.path("htmlcov"))
    multi.path("used").mkdir()
    multi.path("used/notes.txt").write_text("mine\n")
    assert multi.ferrocov("html", "-d", "used").returncode == 0
    assert not multi.path("used/.gitignore").exists()
    assert multi.path("used/index.html").is_file()
