"""``ferrocov html --single-file``: the whole report as one self-contained HTML file (ferrocov's
own option; coverage.py has none, see README). Its pages, read back one by one, show what
coverage.py's site shows for the same data file; the file asks for nothing outside itself, and
nothing else is written. The browser side is in test_html_browser.py."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from support import Project
from support.html_site import assert_same_site, explode_single_file

MAIN = """\
import app.full
import app.partial
from app.sub import deep

app.full.run()
app.partial.maybe(1)
deep.Shape(2).area()
"""

FULL = "def run():\n    total = 0\n    for i in range(3):\n        total += i\n    return total\n"

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


def _pages_only(site: Path, dest: Path) -> Path:
    """The HTML pages of a site: what one file holds (no status.json, .gitignore, statics)."""
    dest.mkdir()
    for page in site.glob("*.html"):
        shutil.copy2(page, dest / page.name)
    return dest


@pytest.mark.parametrize("branch", [False, True], ids=["lines", "branches"])
@pytest.mark.parametrize(
    "args",
    [
        pytest.param((), id="default"),
        pytest.param(("--skip-covered", "--skip-empty"), id="skip-both"),
        pytest.param(("--precision=2", "--title=My <project> & co"), id="precision-title"),
    ],
)
def test_single_file_shows_coverage_pys_facts(
    multi: Project, args: tuple[str, ...], branch: bool
) -> None:
    result = multi.coverage("run", *(["--branch"] if branch else []), "main.py")
    assert result.returncode == 0, result.describe()
    cov = multi.coverage("html", "-d", "cov_html", *args)
    assert cov.returncode == 0, cov.describe()
    fc = multi.ferrocov("html", "--single-file=report.html", *args)
    assert fc.returncode == 0, fc.describe()
    # The "Wrote" line goes to stderr, as coverage.py's does.
    assert fc.stderr == "Wrote HTML report to report.html\n"
    names = explode_single_file(multi.path("report.html"), multi.path("fc_pages"))
    # The file index first: it is what the file shows when opened.
    assert names[:3] == ["index.html", "function_index.html", "class_index.html"]
    assert_same_site(
        _pages_only(multi.path("cov_html"), multi.path("cov_pages")), multi.path("fc_pages")
    )


def test_single_file_needs_nothing_else(multi: Project) -> None:
    assert multi.ferrocov("run", "--branch", "main.py").returncode == 0
    multi.write("custom.css", "body { color: purple; } /* </style> */\n")
    multi.write(".coveragerc", "[html]\nextra_css = custom.css\n")
    result = multi.ferrocov("html", "--single-file")
    assert result.returncode == 0, result.describe()
    assert result.stderr == "Wrote HTML report to htmlcov.html\n"
    # No directory, no other file.
    assert not multi.path("htmlcov").exists()
    text = multi.path("htmlcov.html").read_text()
    assert "color: purple" in text
    # Every address is inside the file: pages by name, anchors, the inline icon.
    pages = set(re.findall(r'<template data-page="([^"]+)"', text))
    for attribute, value in re.findall(r'\b(href|src)="([^"]*)"', text):
        target = value.split("#")[0]
        assert value.startswith(("#", "data:")) or target in pages, (attribute, value)
    assert '<link rel="stylesheet"' not in text and "<script src" not in text
    # One style element for ours, one for the user's, whose "</style>" is defused.
    assert text.count("</style>") == 2
    # -d names the default file; the directory stays untouched.
    result = multi.ferrocov("html", "-d", "out/site", "--single-file", "-q")
    assert result.returncode == 0, result.describe()
    assert result.stdout == result.stderr == ""
    assert multi.path("out/site.html").is_file() and not multi.path("out/site").exists()


def test_single_file_is_not_a_coverage_py_setting(multi: Project) -> None:
    """Kept out of ``[html]``: coverage.py warns about keys it does not know there, so the
    option is on the command line only, and the key gets coverage.py's warning from us too."""
    assert multi.ferrocov("run", "main.py").returncode == 0
    multi.write(".coveragerc", "[html]\nsingle_file = one.html\n")
    cov = multi.coverage("html", "-q")
    fc = multi.ferrocov("html", "-q")
    assert fc.returncode == cov.returncode == 0, (cov.describe(), fc.describe())
    warning = "Unrecognized option '[html] single_file=' in config file .coveragerc"
    assert warning in cov.output and warning in fc.output, (cov.describe(), fc.describe())
    assert not multi.path("one.html").exists()
