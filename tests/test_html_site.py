"""What ``ferrocov html`` does to its directory beyond the facts it shows: it rewrites only the
pages whose source, data, settings or neighbours changed (and, beyond coverage.py, does not even
analyse the unchanged files), removes the page of a file it no longer reports, and fails
clearly on a directory it cannot write or a source file that is gone."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

from support import Project, ferrocov_cmd

APP = {
    "main.py": "from pkg import a, b\n\na.f(1)\nb.g()\n",
    "pkg/__init__.py": "",
    "pkg/a.py": "def f(x):\n    if x:\n        return 1\n    return 2\n",
    "pkg/b.py": "def g():\n    return 3\n",
}


def _project(project: Project, *run_args: str) -> Project:
    for name, text in APP.items():
        project.write(name, text)
    result = project.ferrocov("run", *run_args, "main.py")
    assert result.returncode == 0, result.describe()
    return project


def _stamps(site: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in site.iterdir() if p.name.endswith(".html")}


def _html(project: Project, *args: str) -> None:
    result = project.ferrocov("html", *args)
    assert result.returncode == 0, result.describe()


def _touch_back(site: Path) -> None:
    """Sets every page's time in the past, so a rewrite shows even on a coarse clock."""
    for p in site.iterdir():
        os.utime(p, ns=(1_000_000_000, 1_000_000_000))


def test_unchanged_pages_are_not_rewritten(project: Project) -> None:
    _project(project, "--branch")
    _html(project)
    site = project.path("htmlcov")
    _touch_back(site)
    _html(project)
    after = _stamps(site)
    pages = [n for n in after if n.startswith("z_")]
    assert pages and all(after[n] == 1_000_000_000 for n in pages), after
    # The indexes are always written.
    assert after["index.html"] != 1_000_000_000
    # A changed source: its page only.
    project.write("pkg/b.py", "def g():\n    return 4\n")
    _touch_back(site)
    _html(project)
    after = _stamps(site)
    changed = {n for n in pages if after[n] != 1_000_000_000}
    assert changed == {n for n in pages if n.endswith("_b_py.html")}


def _analysed(project: Project, *args: str) -> str:
    result = project.ferrocov("html", "--debug=html", *args)
    assert result.returncode == 0, result.describe()
    return next(line for line in result.stderr.splitlines() if "files analysed" in line)


def test_unchanged_files_are_not_analysed_again(project: Project) -> None:
    _project(project, "--branch")
    assert "4 files analysed, 0 kept" in _analysed(project)
    assert "0 files analysed, 4 kept" in _analysed(project)
    site = project.path("htmlcov")
    before = {n: (site / n).read_text() for n in ("index.html", "function_index.html")}
    project.write("pkg/b.py", "def g():\n    return 4\n")
    assert "1 files analysed, 3 kept" in _analysed(project)
    # The indexes made from kept files' records show what a full run shows.
    assert "0 files analysed, 4 kept" in _analysed(project)
    project.path("htmlcov/status.json").unlink()
    assert "4 files analysed, 0 kept" in _analysed(project)
    full = {n: (site / n).read_text() for n in before}
    project.path("htmlcov/index.html").unlink()
    _analysed(project)
    assert {n: (site / n).read_text() for n in before}.keys() == full.keys()
    for name, text in full.items():
        strip = lambda t: [line for line in t.splitlines() if "ferrocov 0" not in line]  # noqa: E731
        assert strip((site / name).read_text()) == strip(text), name


def test_settings_change_rewrites_every_page(project: Project) -> None:
    _project(project)
    _html(project)
    site = project.path("htmlcov")
    _touch_back(site)
    _html(project, "--precision=2")
    after = _stamps(site)
    assert all(t != 1_000_000_000 for t in after.values()), after


def test_status_json_is_ours(project: Project) -> None:
    _project(project)
    _html(project)
    status = json.loads(project.path("htmlcov/status.json").read_text())
    assert status["format"] == 5 and status["version"].startswith("ferrocov ")
    assert {f["index"]["file"] for f in status["files"].values()} == set(APP)


def test_skipped_file_page_is_removed(project: Project) -> None:
    _project(project)
    _html(project)
    site = project.path("htmlcov")
    init_pages = [p for p in site.iterdir() if p.name.endswith("___init___py.html")]
    assert init_pages
    _html(project, "--skip-empty")
    assert not any(p.exists() for p in init_pages)


def test_unwritable_directory_is_a_clear_error(project: Project) -> None:
    """coverage.py stops with a traceback (exit status 1); ferrocov names the directory."""
    _project(project)
    project.write("blocked", "a file where the directory should be\n")
    cov = project.coverage("html", "-d", "blocked")
    result = project.ferrocov("html", "-d", "blocked")
    assert result.returncode == cov.returncode == 1, (cov.describe(), result.describe())
    assert "cannot create the directory" in result.stderr and "blocked" in result.stderr
    assert "Traceback" not in result.stderr
    assert project.path("blocked").read_text() == "a file where the directory should be\n"


def test_missing_source_is_coverage_pys_error(project: Project) -> None:
    _project(project)
    project.path("pkg/b.py").unlink()
    cov = project.coverage("html", "-d", "cov_html")
    fc = project.ferrocov("html", "-d", "fc_html")
    assert cov.returncode == fc.returncode == 1
    missing = f"No source for code: '{project.path('pkg/b.py')}'"
    assert missing in cov.output and missing in fc.stderr, (cov.describe(), fc.describe())
    assert not project.path("fc_html/index.html").exists()
    # With -i the others are reported.
    fc = project.ferrocov("html", "-i", "-d", "fc_html")
    assert fc.returncode == 0, fc.describe()
    assert project.path("fc_html/index.html").is_file()


def test_extra_css_is_copied_and_linked(project: Project) -> None:
    _project(project)
    project.write("custom.css", "body { color: purple; }\n")
    project.write(".coveragerc", "[html]\nextra_css = custom.css\n")
    _html(project)
    site = project.path("htmlcov")
    copies = [p for p in site.iterdir() if p.name.startswith("custom_cb_")]
    assert len(copies) == 1 and copies[0].read_text() == "body { color: purple; }\n"
    for page in ("index.html", next(p.name for p in site.glob("*_a_py.html"))):
        assert f'href="{copies[0].name}"' in (site / page).read_text(), page


def test_error_before_writing_leaves_the_last_site_as_it_was(project: Project) -> None:
    _project(project)
    _html(project)
    before = {p.name: p.read_bytes() for p in project.path("htmlcov").iterdir()}
    project.write(".coveragerc", "[html]\nextra_css = missing.css\n")
    result = project.ferrocov("html")
    assert result.returncode == 1, result.describe()
    assert "missing.css" in result.stderr
    assert {p.name: p.read_bytes() for p in project.path("htmlcov").iterdir()} == before


def _site_text(site: Path) -> dict[str, list[str]]:
    """Every page and index of a site, without the line saying when it was made."""
    return {
        p.name: [line for line in p.read_text().splitlines() if "ferrocov 0" not in line]
        for p in sorted(site.glob("*.html"))
        if p.is_file()
    }


def test_run_failing_half_way_leaves_no_index_and_no_stale_pages(project: Project) -> None:
    """A run that stops after rewriting some pages leaves no index.html and no status.json:
    the next run, even on the data of the run before, trusts none of the pages."""
    _project(project)
    assert project.ferrocov("run", "--data-file=x.data", "main.py").returncode == 0
    project.write("other.py", "from pkg import a, b\n\na.f(0)\n")
    assert project.ferrocov("run", "--data-file=y.data", "other.py").returncode == 0
    _html(project, "--data-file=x.data", "--omit=other.py,main.py")
    site = project.path("htmlcov")
    good = _site_text(site)
    # The next run (other data) cannot write b's page: a directory has its name.
    b_page = next(site.glob("*_b_py.html"))
    b_page.unlink()
    b_page.mkdir()
    (b_page / "keep").write_text("")
    result = project.ferrocov("html", "--data-file=y.data", "--omit=other.py,main.py")
    assert result.returncode == 1, result.describe()
    assert b_page.name in result.stderr and "Traceback" not in result.stderr
    assert not (site / "index.html").exists() and not (site / "status.json").exists()
    assert not [p for p in site.iterdir() if p.name.startswith(".ferrocov-tmp")]
    a_page = next(site.glob("*_a_py.html"))
    assert _site_text(site)[a_page.name] != good[a_page.name]  # rewritten with y's data
    # Back to the first data: every page shows it again.
    shutil.rmtree(b_page)
    _html(project, "--data-file=x.data", "--omit=other.py,main.py")
    assert _site_text(site) == good


def test_run_killed_mid_write_leaves_no_index(project: Project) -> None:
    """A run killed while writing its pages: no index.html, no truncated page, and the next
    run makes the whole site."""
    n = 1500
    body = "".join(
        f"def f{i}(x):\n    if x:\n        return {i}\n    return -{i}\n" for i in range(20)
    )
    for i in range(n):
        project.write(f"big/m{i}.py", body)
    project.write("big/__init__.py", "")
    project.write("main.py", "".join(f"import big.m{i}\n" for i in range(n)))
    assert project.ferrocov("run", "main.py").returncode == 0
    site = project.path("htmlcov")
    command = ferrocov_cmd("html")
    proc = subprocess.Popen(command, cwd=project.root, stdout=subprocess.DEVNULL)

    def named_pages() -> list[Path]:
        # Under their own names: pathlib's `*` also matches the killed run's hidden temporary
        # files, which may be cut short (the next run removes them, checked below).
        return [p for p in site.glob("*_m*_py.html") if not p.name.startswith(".")]

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if site.is_dir() and len(named_pages()) >= 20:
            proc.kill()
            break
        time.sleep(0.002)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    assert not (site / "index.html").exists() and not (site / "status.json").exists()
    pages = named_pages()
    assert 20 <= len(pages) < n
    assert all(p.read_text().rstrip().endswith("</html>") for p in pages)
    _html(project)
    assert len(list(site.glob("*_m*_py.html"))) == n and (site / "index.html").is_file()
    assert not [p for p in site.iterdir() if p.name.startswith(".ferrocov-tmp")]


def test_directory_full_of_other_files_is_left_alone(project: Project) -> None:
    """Another tool's files, a sub-directory, a file named like a page of nothing measured:
    none is deleted or changed, and the site is written among them."""
    _project(project)
    site = project.path("htmlcov")
    others = {
        "README.txt": b"mine\n",
        "old_report.html": b"<html>another report</html>\n",
        "z_0000000000000000_gone_py.html": b"a page of a file not measured now\n",
        "assets/app.js": b"console.log(1)\n",
    }
    for name, data in others.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(data)
    _html(project)
    for name, data in others.items():
        assert (site / name).read_bytes() == data, name
    assert (site / "index.html").is_file() and not (site / ".gitignore").exists()
    assert len(list(site.glob("*_a_py.html"))) == 1
