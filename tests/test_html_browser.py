"""The HTML site in a real browser: Debian's headless Chromium, driven through Debian's
chromedriver by Selenium (with Selenium Manager kept offline, so nothing is downloaded).

A small project measured with branches gets ``ferrocov html``; the pages are opened from disk and
used as a reader would: they load without console errors, the index sorts by clicking and by
keyboard, filters, hides covered rows, recomputes its total and remembers all of it; a source
page toggles its line highlighting, walks its highlighted chunks with j/k, highlights the line of
a ``#tN`` address, moves between files with [ ] u, and switches light/dark. The one-file
report (``--single-file``) does the same within one document, also with 1,000 files.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support import Project, ferrocov_cmd, missing_oracle

CHROMIUM = os.environ.get("FERROCOV_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("FERROCOV_CHROMEDRIVER", "/usr/bin/chromedriver")

MAIN = """\
from app import calc, shapes

calc.classify(5)
calc.classify(-1)
shapes.Square(2).area()
"""

CALC = """\
def classify(n):
    if n > 0:
        kind = "positive"
    elif n == 0:
        kind = "zero"
    else:
        kind = "negative"
    return kind


def unused(x):
    return (
        x
        + 1
    )
"""

SHAPES = """\
class Square:
    def __init__(self, side):
        self.side = side

    def area(self):
        return self.side * self.side

    def perimeter(self):  # pragma: no cover
        return 4 * self.side
"""


def _driver_or_skip() -> Any:
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        missing_oracle(f"Chromium and chromedriver ({CHROMIUM}, {CHROMEDRIVER})")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing_oracle("selenium")
    # Selenium Manager would look for (and download) a browser or driver: never.
    os.environ["SE_OFFLINE"] = "true"
    return webdriver, Service


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = Project(tmp_path_factory.mktemp("browser") / "proj")
    project.write("main.py", MAIN)
    project.write("app/__init__.py", "")
    project.write("app/calc.py", CALC)
    project.write("app/shapes.py", SHAPES)
    result = project.ferrocov("run", "--branch", "main.py")
    assert result.returncode == 0, result.describe()
    result = project.ferrocov("html")
    assert result.returncode == 0, result.describe()
    result = project.ferrocov("html", "--single-file=one.html")
    assert result.returncode == 0, result.describe()
    return project.path("htmlcov")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    webdriver, service_class = _driver_or_skip()
    profile = tmp_path_factory.mktemp("chromium-profile")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--window-size=1200,900",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=service_class(executable_path=CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser: Any, site: Path) -> Any:
    """Opens a page of the site (local storage cleared first) and checks the console after."""

    def open_page(name: str | Path, *, clear: bool = True) -> Any:
        uri = (site / name).as_uri()
        browser.get(uri)
        if clear:
            browser.execute_script("window.localStorage.clear()")
            browser.get(uri)
        return browser

    browser.get_log("browser")  # drop what earlier tests left
    yield open_page
    problems = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert problems == []


def _press(browser: Any, key: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(browser).send_keys(key).perform()


def _visible_files(browser: Any) -> list[str]:
    return browser.execute_script(
        "return Array.from(document.querySelectorAll('#index tbody tr'))"
        ".filter(r => !r.hidden && !r.classList.contains('folder'))"
        ".map(r => r.cells[0].textContent.trim())"
    )


def _column(browser: Any, column_id: str) -> list[str]:
    return browser.execute_script(
        "const i = Array.from(document.querySelectorAll('tr.columns th'))"
        f".findIndex(h => h.id === '{column_id}');"
        "return Array.from(document.querySelectorAll('#index tbody tr'))"
        ".filter(r => !r.hidden && !r.classList.contains('folder'))"
        ".map(r => r.cells[i].textContent.trim())"
    )


def test_index_sorts_filters_and_remembers(page: Any) -> None:
    browser = page("index.html")
    files = _visible_files(browser)
    assert files == sorted(files) and "main.py" in files and len(files) == 4
    # Click a header: numbers sort the biggest first; again: reversed.
    browser.find_element("id", "statements").click()
    counts = [int(c) for c in _column(browser, "statements")]
    assert counts == sorted(counts, reverse=True)
    assert browser.find_element("id", "statements").get_attribute("aria-sort") == "descending"
    browser.find_element("id", "statements").click()
    assert [int(c) for c in _column(browser, "statements")] == sorted(counts)
    # Keyboard: c sorts by coverage.
    _press(browser, "c")
    assert browser.find_element("id", "coverage").get_attribute("aria-sort") == "ascending"
    # Filter on the name: the total becomes the visible rows' total.
    server_total = _column_total(browser, "statements")
    browser.find_element("id", "filter").send_keys("calc")
    assert _visible_files(browser) == ["app/calc.py"]
    assert _column_total(browser, "statements") == _column(browser, "statements")[0]
    # Remembered across a reload, then cleared.
    browser.refresh()
    assert browser.find_element("id", "filter").get_attribute("value") == "calc"
    assert browser.find_element("id", "coverage").get_attribute("aria-sort") == "ascending"
    browser.find_element("id", "filter").clear()
    browser.find_element("id", "filter").send_keys(" ")
    assert len(_visible_files(browser)) == 4
    assert _column_total(browser, "statements") == server_total


def _column_total(browser: Any, column_id: str) -> str:
    return browser.execute_script(
        "const i = Array.from(document.querySelectorAll('tr.columns th'))"
        f".findIndex(h => h.id === '{column_id}');"
        "return document.querySelector('#index tfoot tr').cells[i].textContent.trim()"
    )


def test_hide_covered(page: Any) -> None:
    browser = page("index.html")
    before = _visible_files(browser)
    assert "app/__init__.py" in before
    browser.find_element("id", "hide-covered").click()
    after = _visible_files(browser)
    assert "app/__init__.py" not in after and "app/calc.py" in after
    assert browser.find_element("css selector", "#index tfoot tr").text != ""


def test_region_index_and_no_rows_message(page: Any) -> None:
    browser = page("function_index.html")
    regions = _column(browser, "region")
    assert "classify" in regions and "Square.area" in regions
    browser.find_element("id", "filter").send_keys("nothing-is-called-this")
    assert _visible_files(browser) == []
    assert browser.find_element("id", "no-rows").is_displayed()


def _calc_page(site: Path) -> str:
    return next(p.name for p in site.glob("*_calc_py.html"))


def test_source_toggles_and_chunks(page: Any, site: Path) -> None:
    browser = page(_calc_page(site))
    source = browser.find_element("id", "source")
    assert "show-mis" in source.get_attribute("class")
    assert "show-run" not in source.get_attribute("class")
    _press(browser, "r")
    assert "show-run" in source.get_attribute("class")
    mis_button = browser.find_element("css selector", "button[data-category=mis]")
    mis_button.click()
    assert "show-mis" not in source.get_attribute("class")
    assert mis_button.get_attribute("aria-pressed") == "false"
    # Remembered on the next page load.
    browser.refresh()
    source = browser.find_element("id", "source")
    assert "show-run" in source.get_attribute("class")
    _press(browser, "r")
    _press(browser, "m")
    # j/k walk the highlighted chunks: missing and partial lines.
    _press(browser, "j")
    first = browser.execute_script(
        "return Array.from(document.querySelectorAll('#source p.selected')).map(p => p.id)"
    )
    assert first, "j selected nothing"
    _press(browser, "j")
    second = browser.execute_script(
        "return Array.from(document.querySelectorAll('#source p.selected')).map(p => p.id)"
    )
    assert second and second != first
    _press(browser, "k")
    assert (
        browser.execute_script(
            "return Array.from(document.querySelectorAll('#source p.selected')).map(p => p.id)"
        )
        == first
    )


def test_line_anchor_and_navigation(page: Any, site: Path) -> None:
    name = _calc_page(site)
    browser = page(name)
    browser.get((site / name).as_uri() + "#t5")
    assert browser.execute_script("return document.querySelector(':target').id") == "t5"
    next_href = browser.find_element("id", "next-link").get_attribute("href")
    _press(browser, "]")
    assert browser.current_url == next_href
    _press(browser, "u")
    assert browser.current_url.endswith("/index.html")


def test_partial_annotation_and_theme(page: Any, site: Path) -> None:
    browser = page(_calc_page(site))
    partial = browser.find_elements("css selector", "#source p.par")
    assert partial, "no partial line"
    assert "\u219b" in partial[0].find_element("css selector", ".short").text
    before = browser.execute_script("return getComputedStyle(document.body).backgroundColor")
    _press(browser, "t")
    after = browser.execute_script("return getComputedStyle(document.body).backgroundColor")
    assert after != before
    theme = browser.execute_script("return document.documentElement.dataset.theme")
    browser.refresh()
    assert browser.execute_script("return document.documentElement.dataset.theme") == theme
    _press(browser, "?")
    assert browser.find_element("id", "help").is_displayed()


def test_directory_tree_with_folder_totals(page: Any) -> None:
    browser = page("index.html")
    assert browser.find_elements("css selector", "#index tr.folder") == []
    _press(browser, "d")
    folders = browser.execute_script(
        "return Array.from(document.querySelectorAll('#index tr.folder')).filter(r => !r.hidden)"
        ".map(r => [r.dataset.path, r.cells[2].textContent.trim()])"
    )
    statements = dict(zip(_visible_files(browser), _column(browser, "statements"), strict=True))
    app_total = sum(int(n) for name, n in statements.items() if name.startswith("app/"))
    # Folder cells: file, statements coverage, statements, ...
    assert folders == [["app/", str(app_total)]]
    # Folding hides the folder's files, and the choice is remembered.
    browser.find_element("css selector", "#index tr.folder button.fold").click()
    assert _visible_files(browser) == ["main.py"]
    browser.refresh()
    assert _visible_files(browser) == ["main.py"]
    _press(browser, "d")
    assert len(_visible_files(browser)) == 4


def _url_fragment(browser: Any) -> str:
    return str(browser.current_url).split("#", 1)[1] if "#" in browser.current_url else ""


def test_single_file_index_page_and_line(page: Any, site: Path) -> None:
    calc = _calc_page(site)
    browser = page(site.parent / "one.html")
    assert browser.title == "Coverage report"
    files = _visible_files(browser)
    assert files == sorted(files) and len(files) == 4
    browser.find_element("id", "statements").click()
    counts = [int(c) for c in _column(browser, "statements")]
    assert counts == sorted(counts, reverse=True)
    browser.find_element("id", "filter").send_keys("calc")
    assert _visible_files(browser) == ["app/calc.py"]
    # index -> page: the link is an address within the file.
    browser.find_element("css selector", "#index tbody a").click()
    assert browser.title.startswith("Coverage for app/calc.py")
    assert _url_fragment(browser) == calc
    assert browser.find_elements("css selector", "#source p.par"), "no partial line"
    # A line's number links to the line.
    browser.find_element("css selector", "#t5 a.n").click()
    assert _url_fragment(browser) == f"{calc}#t5"
    assert browser.execute_script("return document.querySelector('#source p.target').id") == "t5"
    # Toggles and chunks work as on the site's page.
    _press(browser, "r")
    assert "show-run" in browser.find_element("id", "source").get_attribute("class")
    _press(browser, "j")
    assert browser.find_elements("css selector", "#source p.selected")
    # ] to the next file, u to the index, which remembers its filter.
    next_href = browser.find_element("id", "next-link").get_attribute("href")
    _press(browser, "]")
    assert browser.current_url == next_href and not browser.title.startswith(
        "Coverage for app/calc.py"
    )
    _press(browser, "u")
    assert _url_fragment(browser) == "index.html"
    assert _visible_files(browser) == ["app/calc.py"]
    # An address opened as such: the page and its line.
    browser.get((site.parent / "one.html").as_uri() + f"#{calc}#t3")
    assert browser.execute_script("return document.querySelector('#source p.target').id") == "t3"
    # The region indexes are pages of the file too.
    browser.get((site.parent / "one.html").as_uri() + "#function_index.html")
    browser.refresh()
    assert "classify" in _column(browser, "region")


def test_single_file_with_1000_files(browser: Any, tmp_path: Path) -> None:
    """1,000 files in one document: it opens, filters, shows a page and comes back quickly."""
    project = Project(tmp_path / "big")
    body = "def f(x):\n    if x:\n        return 1\n    return 2\n" * 10
    for i in range(1000):
        project.write(f"pkg/m{i:04}.py", body)
    project.write("pkg/__init__.py", "")
    project.write("main.py", "".join(f"import pkg.m{i:04}\n" for i in range(1000)))
    assert project.ferrocov("run", "--branch", "main.py").returncode == 0
    result = project.run(ferrocov_cmd("html", "--single-file=big.html"))
    assert result.returncode == 0, result.describe()
    single = project.path("big.html")
    print(f"\none file with 1,005 pages: {single.stat().st_size / 2**20:.1f} MiB")
    browser.get(single.as_uri())
    browser.execute_script("window.localStorage.clear()")
    browser.get_log("browser")
    start = time.perf_counter()
    browser.refresh()
    # The 1,000 modules, main.py and the empty pkg/__init__.py (listed, as coverage.py does).
    assert len(_visible_files(browser)) == 1002
    opened = time.perf_counter() - start
    start = time.perf_counter()
    browser.find_element("id", "filter").send_keys("m0999")
    assert _visible_files(browser) == ["pkg/m0999.py"]
    # The rows filtered out are still in the table, hidden: click the one left shown.
    browser.find_element("css selector", "#index tbody tr:not([hidden]):not(.folder) a").click()
    assert browser.title.startswith("Coverage for pkg/m0999.py")
    _press(browser, "u")
    assert _visible_files(browser) == ["pkg/m0999.py"]
    used = time.perf_counter() - start
    print(f"opened in {opened:.1f} s; filter, page and back in {used:.1f} s")
    browser.execute_script("window.localStorage.clear()")
    problems = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert problems == []
    assert opened < 30 and used < 30
