"""Hostile inputs: files that do not parse, bytes that are not text, data files and shards that
are not what they claim. Each gives coverage.py's message (or a clear one of ours) and exit
status, never a crash, in `ferrocov report` and under `pytest --cov`.

coverage.py is the oracle: each case runs both tools on the same project and compares exit
status and the message's words (coverage.py prints errors on stdout, ferrocov on stderr with a
`ferrocov: error:` prefix, a named difference).
"""

from __future__ import annotations

import random
import re
import signal
import sqlite3
import sys
from collections.abc import Callable

import pytest
from support import Project
from support.oracle_716 import ORACLE_IS_717

# One program measured by both tools: it imports pkg.ok; the hostile file sits next to it in the
# measured package, never imported, so only analysis meets it.
MAIN = "import pkg.ok\npkg.ok.f()\n"
OK_MODULE = "def f():\n    return 1\n"


def _nested(opening: str, closing: str, depth: int) -> bytes:
    return f"x = {opening * depth}1{closing * depth}\n".encode()


def _nested_blocks(depth: int) -> bytes:
    return "".join(" " * i + "if x:\n" for i in range(depth)).encode() + b" " * depth + b"pass\n"


def _random_bytes() -> bytes:
    return random.Random(9).randbytes(4096)


# name -> (file contents, what coverage.py says without -i: a message, or None when it
# analyses the file, or "crash" when coverage.py itself fails with a traceback).
CASES: dict[str, tuple[Callable[[], bytes], str | None]] = {
    "parens_100k": (lambda: _nested("(", ")", 100_000), "too many nested parentheses"),
    "brackets_100k": (lambda: _nested("[", "]", 100_000), "too many nested parentheses"),
    "braces_100k": (lambda: _nested("{", "}", 100_000), "too many nested parentheses"),
    "parens_201": (lambda: _nested("(", ")", 201), "too many nested parentheses"),
    "parens_199": (lambda: _nested("(", ")", 199), None),
    "blocks_101": (lambda: _nested_blocks(101), "too many levels of indentation"),
    "blocks_99": (lambda: _nested_blocks(99), None),
    "blocks_1000": (lambda: _nested_blocks(1000), "too many levels of indentation"),
    "unary_10k": (lambda: b"x = " + b"-" * 10_000 + b"1\n", "crash"),
    "plus_100k": (lambda: b"x = " + b"1+" * 100_000 + b"1\n", "crash"),
    "one_mb_line": (lambda: b'x = "' + b"a" * 1_000_000 + b'"\n', None),
    # Before 3.12 compile() raises ValueError for a NUL byte: coverage.py 7.17 calls that "Couldn't
    # parse", 7.16.2 (the oracle on 3.10) does not catch it without -i.
    "nul_byte": (lambda: b"x = 1\n\x00y = 2\n", "null bytes" if ORACLE_IS_717 else "crash"),
    "invalid_utf8": (lambda: b'x = "\xff\xfe"\ny = 2\n', "crash"),
    "random_bytes": (_random_bytes, "crash"),
}


def _project(project: Project, name: str, contents: bytes) -> Project:
    project.write("main.py", MAIN)
    project.write("pkg/__init__.py", "")
    project.write("pkg/ok.py", OK_MODULE)
    project.path("pkg").joinpath(f"{name}.py").write_bytes(contents)
    return project


def _words(text: str) -> str:
    """A message without its paths' directories and coverage.py's documentation link."""
    text = re.sub(r"; see https://\S+", "", text)
    return text.replace("ferrocov: error: ", "").strip()


@pytest.mark.parametrize("name", sorted(CASES))
def test_report_on_hostile_source(project: Project, name: str) -> None:
    make, expected = CASES[name]
    _project(project, name, make())
    cov = project.coverage("run", "--source=pkg", "--data-file=cov.data", "main.py")
    fc = project.ferrocov("run", "--source=pkg", "--data-file=fc.data", "main.py")
    assert cov.returncode == fc.returncode == 0, f"{cov.describe()}\n{fc.describe()}"

    ours = project.ferrocov("report", "--data-file=fc.data", timeout=60)
    theirs = project.coverage("report", "--data-file=cov.data")
    assert ours.returncode in (0, 1), ours.describe()  # never a signal, never a traceback
    assert "Traceback" not in ours.output and "panicked" not in ours.output, ours.describe()
    if expected is None:
        assert ours.returncode == theirs.returncode == 0, f"{theirs.describe()}\n{ours.describe()}"
        assert ours.stdout == theirs.stdout
    elif expected == "crash":
        # coverage.py stops with a traceback; ferrocov names the file and what is wrong.
        assert "Traceback" in theirs.output, theirs.describe()
        assert ours.returncode == 1, ours.describe()
        assert f"{name}.py" in ours.stderr, ours.describe()
    else:
        assert theirs.returncode == ours.returncode == 1, f"{theirs.describe()}\n{ours.describe()}"
        assert expected in theirs.stdout, theirs.describe()
        assert expected in ours.stderr, ours.describe()
        if "nested" in expected or "indentation" in expected:
            # The same sentence, line number included.
            assert _words(ours.stderr) == _words(theirs.stdout)

    # With -i the file is one warning and the rest of the report stands, as coverage.py's.
    ours_i = project.ferrocov("report", "-i", "--data-file=fc.data", timeout=60)
    theirs_i = project.coverage("report", "-i", "--data-file=cov.data")
    both = f"{theirs_i.describe()}\n{ours_i.describe()}"
    assert ours_i.returncode == theirs_i.returncode == 0, both
    assert ours_i.stdout == theirs_i.stdout
    if expected is not None:
        assert "(couldnt-parse)" in theirs_i.stderr
        assert "(couldnt-parse)" in ours_i.stderr, ours_i.describe()
        assert f"pkg/{name}.py" in ours_i.stderr


@pytest.mark.parametrize(
    "name",
    ["parens_201", "blocks_101", "parens_199", "one_mb_line", "invalid_utf8", "nul_byte"],
)
def test_html_on_hostile_source(project: Project, name: str) -> None:
    """``html`` meets the same files as ``report``: coverage.py's status and message, no site
    without -i; with -i a warning and a site of the rest (the 1 MB line gets its page)."""
    make, expected = CASES[name]
    _project(project, name, make())
    cov = project.coverage("run", "--source=pkg", "--data-file=cov.data", "main.py")
    fc = project.ferrocov("run", "--source=pkg", "--data-file=fc.data", "main.py")
    assert cov.returncode == fc.returncode == 0, f"{cov.describe()}\n{fc.describe()}"

    ours = project.ferrocov("html", "--data-file=fc.data", "-d", "fc_html", timeout=60)
    theirs = project.coverage("html", "--data-file=cov.data", "-d", "cov_html")
    both = f"{theirs.describe()}\n{ours.describe()}"
    assert "Traceback" not in ours.output and "panicked" not in ours.output, ours.describe()
    site = project.path("fc_html")
    if expected is None:
        assert ours.returncode == theirs.returncode == 0, both
        assert (site / "index.html").is_file()
        assert any(p.name.endswith(f"_{name}_py.html") for p in site.iterdir())
    else:
        assert ours.returncode == theirs.returncode == 1, both
        if expected == "crash":
            assert "Traceback" in theirs.output, theirs.describe()
            assert f"{name}.py" in ours.stderr, ours.describe()
        else:
            assert expected in theirs.stdout and expected in ours.stderr, both
        assert not (site / "index.html").exists()

    ours_i = project.ferrocov("html", "-i", "--data-file=fc.data", "-d", "fc_html", timeout=60)
    theirs_i = project.coverage("html", "-i", "--data-file=cov.data", "-d", "cov_html")
    both = f"{theirs_i.describe()}\n{ours_i.describe()}"
    assert ours_i.returncode == theirs_i.returncode == 0, both
    assert (site / "index.html").is_file()
    pages = {p.name for p in site.iterdir() if p.name.endswith(".html")}
    assert pages == {p.name for p in project.path("cov_html").iterdir() if p.name.endswith(".html")}
    if expected is not None:
        assert "(couldnt-parse)" in ours_i.stderr and f"pkg/{name}.py" in ours_i.stderr, both


@pytest.mark.parametrize("name", ["parens_100k", "blocks_1000", "plus_100k", "random_bytes"])
def test_pytest_session_survives_hostile_source(project: Project, name: str) -> None:
    """The session's result is the tests' own; the file is a warning, the table still comes."""
    make, _ = CASES[name]
    _project(project, name, make())
    project.write(
        "tests/test_ok.py", "import pkg.ok\n\ndef test_f():\n    assert pkg.ok.f() == 1\n"
    )
    result = project.python(
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "--cov=pkg",
        "--cov-report=term-missing",
        "tests",
        timeout=120,
    )
    assert result.returncode == 0, result.describe()
    assert "1 passed" in result.stdout
    assert re.search(r"pkg/ok\.py\s+2\s+0\s+100%", result.stdout), result.stdout
    assert f"{name}.py" in result.output  # a warning naming the file
    assert "couldnt-parse" in result.output


def test_a_line_coverage_py_cannot_analyse_in_memory(project: Project) -> None:
    """A 1 MB line of 350,000 list items: coverage.py's analysis grows quadratically with the
    tokens of one statement (a 3,000-item line already takes it 84 MB; this one was killed by
    the OOM killer at 24 GB). ferrocov reports it at once, with the row coverage.py gives for
    the same statement at a size it can handle."""
    for name, items in (("small", 3_000), ("huge", 350_000)):
        _project(project, name, b"x = [" + b"1, " * items + b"]\n")
    assert (
        project.coverage("run", "--source=pkg", "--data-file=cov.data", "main.py").returncode == 0
    )
    assert project.ferrocov("run", "--source=pkg", "--data-file=fc.data", "main.py").returncode == 0
    theirs = project.coverage("report", "--data-file=cov.data", "--include=*/small.py")
    ours = project.ferrocov("report", "--data-file=fc.data", timeout=60)
    assert theirs.returncode == ours.returncode == 0, f"{theirs.describe()}\n{ours.describe()}"
    small_row = next(line for line in theirs.stdout.splitlines() if "small.py" in line)
    huge_row = next(line for line in ours.stdout.splitlines() if "huge.py" in line)
    assert huge_row.split()[1:] == small_row.split()[1:]


def test_measured_file_deleted_before_the_report(project: Project) -> None:
    project.write("main.py", "import gone\n")
    project.write("gone.py", "x = 1\n")
    for tool, data in ((project.coverage, "cov.data"), (project.ferrocov, "fc.data")):
        assert tool("run", f"--data-file={data}", "main.py").returncode == 0
    project.path("gone.py").unlink()
    theirs = project.coverage("report", "--data-file=cov.data")
    ours = project.ferrocov("report", "--data-file=fc.data")
    assert theirs.returncode == ours.returncode == 1, f"{theirs.describe()}\n{ours.describe()}"
    message = f"No source for code: '{project.path('gone.py')}'"
    assert message in theirs.stdout and message in ours.stderr
    theirs = project.coverage("report", "-i", "--data-file=cov.data")
    ours = project.ferrocov("report", "-i", "--data-file=fc.data")
    assert theirs.returncode == ours.returncode == 0
    assert ours.stdout == theirs.stdout
    assert "gone.py" in ours.stderr and "(couldnt-parse)" in ours.stderr


def _not_sqlite(path: str) -> None:
    with open(path, "wb") as handle:
        handle.write(b"this is not a database\n" * 100)


def _truncated(path: str) -> None:
    with open(path, "rb") as handle:
        data = handle.read()
    with open(path, "wb") as handle:
        handle.write(data[: len(data) // 3])


def _wrong_schema(path: str) -> None:
    db = sqlite3.connect(path)
    db.execute("update coverage_schema set version = 99")
    db.commit()
    db.close()


@pytest.mark.parametrize("damage", [_not_sqlite, _truncated, _wrong_schema])
def test_damaged_data_file(project: Project, damage: Callable[[str], None]) -> None:
    project.write("main.py", "x = 1\n")
    for tool, data in ((project.coverage, "cov.data"), (project.ferrocov, "fc.data")):
        assert tool("run", f"--data-file={data}", "main.py").returncode == 0
        damage(str(project.path(data)))
    damaged = project.path("fc.data").read_bytes()
    theirs = project.coverage("report", "--data-file=cov.data")
    ours = project.ferrocov("report", "--data-file=fc.data")
    assert theirs.returncode == 1, theirs.describe()
    assert ours.returncode == 1, ours.describe()
    assert "Traceback" not in ours.output
    assert "fc.data" in ours.stderr, ours.describe()
    # Nothing is thrown away: the damaged file is still there, as it was, for a person to look at.
    assert project.path("fc.data").read_bytes() == damaged


@pytest.mark.skipif(sys.platform == "win32", reason="no SIGKILL")
def test_foreign_shard_is_named_and_kept(project: Project) -> None:
    # A killed run leaves its shards for the next command; a stranger sits among them.
    project.write("main.py", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n")
    assert project.ferrocov("run", "main.py").returncode == -signal.SIGKILL
    run_dir = next(project.path(".coverage-shards").iterdir())
    foreign = run_dir / "stranger.fcshard"
    payload = b"NOTASHARD" + bytes(200)
    foreign.write_bytes(payload)
    result = project.ferrocov("report")
    assert result.returncode == 0, result.describe()
    assert "stranger.fcshard" in result.stderr, result.describe()
    assert re.search(r"main\.py\s+2\s+0\s+100%", result.stdout), result.stdout
    assert foreign.read_bytes() == payload


@pytest.mark.skipif(sys.platform == "win32", reason="no /dev/full")
def test_report_to_a_full_disk_is_an_error_not_a_crash(project: Project) -> None:
    project.write("main.py", "x = 1\n")
    assert project.ferrocov("run", "main.py").returncode == 0
    result = project.ferrocov("json", "-o", "/dev/full")
    assert result.returncode == 1, result.describe()
    assert "/dev/full" in result.stderr and "Traceback" not in result.output
