"""Where the oracle on Python 3.10, coverage.py 7.16.2, rightly disagrees with ferrocov.

ferrocov reports as coverage.py 7.17 does, and 7.17 needs Python 3.11+. On 3.10 the report tests
still run, against 7.16.2, whose reports differ from 7.17's in these named ways:

- TYPE_CHECKING: 7.16.2's default exclusion ``if (typing\\.)?TYPE_CHECKING:`` matches anywhere in a
  line; 7.17 anchors it (``^\\s*if ...``), and as coverage.py matches in MULTILINE mode the ``\\s*``
  also takes the blank lines before the ``if``, which 7.17 lists as excluded too.
- SAME_NAMED_REGIONS: where two functions (or classes) have the same dotted name, 7.16.2's JSON
  report keeps only the last and its LCOV report repeats the name; 7.17 names the others
  ``name@line``.
- FAIL_UNDER: 7.17 compares and shows the total with as many decimals as the threshold has; 7.16.2
  rounds to ``precision`` only (``fail-under=77.5`` reads "total of 78 is less than
  fail-under=78" and can even pass).
- CONTROL_CHARACTERS: 7.17 shows control characters in file names as ``?`` in the text and XML
  reports; 7.16.2 writes them as they are.
- XML_RATE_CLAMP: 7.17 never rounds a partial XML line-rate to "0" or "1" (it clamps to
  0.0001..0.9999), which only shows with more than 10,000 statements.

One more 7.17 change is no difference here: 7.17 also finds functions and classes defined under
``else``/``except``/``finally``/``case``, but ferrocov's analysis on 3.10 deliberately finds them
as 7.16.2 does (``body`` fields only, crates/ferrocov_analysis/src/regions.rs), so the two agree.

A test calls ``skip_where_716_differs`` with its project, the data file its reports read and the
outputs it compares; the rules below decide from those inputs (the measured sources, the project's
configuration as coverage.py reads it, a fail-under threshold) whether one of the differences can
touch what the test compares, and skip it naming the difference. With coverage.py 7.17 installed
nothing is ever skipped.
"""

from __future__ import annotations

import ast
import os
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import coverage
import coverage.config
import coverage.misc
import coverage.parser
import coverage.python
import pytest

ORACLE_IS_717 = tuple(int(p) for p in coverage.__version__.split(".")[:2]) >= (7, 17)

TYPE_CHECKING = "7.17 anchors the default `if TYPE_CHECKING:` exclusion"
SAME_NAMED_REGIONS = "7.17 names same-named functions and classes `name@line`"
FAIL_UNDER = "7.17 shows and compares the fail-under total with the threshold's decimals"
CONTROL_CHARACTERS = "7.17 shows control characters in file names as `?`"
XML_RATE_CLAMP = "7.17 clamps partial XML line-rates to 0.0001..0.9999"

# What a test compares: the text/Markdown/total report (which includes a fail-under verdict), a
# fail-under verdict on its own (exit status and message of any command), a report file, or the
# HTML site (which shows every line's category, excluded blank lines included).
OUTPUTS = frozenset({"text", "fail-under", "json", "xml", "lcov", "annotate", "html"})

# The default `if TYPE_CHECKING:` exclusion of each version (coverage/config.py DEFAULT_EXCLUDE).
_TYPE_CHECKING_716 = r"if (typing\.)?TYPE_CHECKING:"
_TYPE_CHECKING_717 = r"^\s*if (typing\.)?TYPE_CHECKING:"

# Above this many statements an XML line-rate can be below 0.0001 or round to 1.
_XML_CLAMP_STATEMENTS = 10_000


def skip_where_716_differs(
    root: Path,
    data_file: Path | None,
    outputs: Collection[str],
    *,
    fail_under: float | None = None,
    precision: int | None = None,
) -> None:
    """Skip the test when the oracle is 7.16.2 and one of its differences from 7.17 can show in
    ``outputs`` for this project; the reason names the difference and the files it touches."""
    if ORACLE_IS_717:
        return
    reasons = differences_from_717(
        root, data_file, outputs, fail_under=fail_under, precision=precision
    )
    if reasons:
        pytest.skip(
            f"coverage.py {coverage.__version__} differs from 7.17 here: " + "; ".join(reasons)
        )


def differences_from_717(
    root: Path,
    data_file: Path | None,
    outputs: Collection[str],
    *,
    fail_under: float | None = None,
    precision: int | None = None,
) -> list[str]:
    """The named differences (with the files they touch) that can make coverage.py 7.16.2's
    ``outputs`` differ from 7.17's for the files measured in ``data_file`` (None: nothing was
    measured) and the configuration found in ``root``, whichever coverage.py is installed.

    ``fail_under``/``precision``: given on the command line; else the configuration's apply.
    """
    outputs = set(outputs)
    assert outputs <= OUTPUTS, sorted(outputs - OUTPUTS)
    config = _oracle_config(root)
    touched: dict[str, list[str]] = {}

    def touch(difference: str, name: str, shown_in: set[str]) -> None:
        if shown_in & outputs:
            touched.setdefault(difference, []).append(name)

    exclude_716, exclude_717 = _exclusions(config)
    statements = 0
    for path in _measured(data_file):
        name = _relative(path, root)
        if not name.isprintable():
            touch(CONTROL_CHARACTERS, name, {"text", "xml"})
        try:
            source = coverage.python.get_python_source(path)
            old = _parsed(source, path, exclude_716)
            new = _parsed(source, path, exclude_717)
        except Exception:  # not Python, or gone: both tools report it the same way or not at all
            continue
        statements += len(new.statements)
        if old.statements != new.statements:
            touch(TYPE_CHECKING, name, set(OUTPUTS))
        elif old.excluded != new.excluded:
            # Extra blank lines only reach JSON's excluded_lines; annotate shows a blank line as
            # blank, but a non-blank one (a mid-line match 7.16.2 excludes) as "- ".
            lines = source.splitlines()
            blank = all(not lines[n - 1].strip() for n in old.excluded ^ new.excluded)
            shown_in = {"json", "html"} if blank else {"json", "annotate", "html"}
            touch(TYPE_CHECKING, name, shown_in)
        for kind, shown_in in (("function", {"json", "lcov"}), ("class", {"json"})):
            if _has_same_named(source, kind):
                touch(SAME_NAMED_REGIONS, f"{name} ({kind})", shown_in)
    if statements > _XML_CLAMP_STATEMENTS:
        touch(XML_RATE_CLAMP, f"{statements} statements", {"xml"})

    threshold = config.fail_under if fail_under is None else fail_under
    digits = config.precision if precision is None else precision
    if threshold and _decimals(threshold) > digits:
        touch(FAIL_UNDER, f"fail-under={threshold} with precision {digits}", {"text", "fail-under"})
    return [f"{difference} ({', '.join(names)})" for difference, names in touched.items()]


def extra_717_exclusions(root: Path, path: str) -> set[int]:
    """Lines of the source file ``path`` that 7.17 excludes and 7.16.2 does not, with the
    configuration found in ``root``: the blank lines before an `if TYPE_CHECKING:`. Raises when
    7.16.2 excludes lines 7.17 does not, which no translation can make up for."""
    exclude_716, exclude_717 = _exclusions(_oracle_config(root))
    source = coverage.python.get_python_source(path)
    old, new = _parsed(source, path, exclude_716), _parsed(source, path, exclude_717)
    only_716 = old.excluded - new.excluded
    assert not only_716, f"{path}: 7.16.2 alone excludes {sorted(only_716)}"
    return new.excluded - old.excluded


def _exclusions(config: coverage.config.CoverageConfig) -> tuple[list[str], list[str]]:
    """The exclusion regexes 7.16.2 and 7.17 apply with ``config``: the same but for the default
    `if TYPE_CHECKING:` one, when the defaults are in use (whichever version read ``config``)."""
    regexes = [*config.exclude_list, *config.exclude_also]
    defaults = (_TYPE_CHECKING_716, _TYPE_CHECKING_717)
    return (
        [_TYPE_CHECKING_716 if r in defaults else r for r in regexes],
        [_TYPE_CHECKING_717 if r in defaults else r for r in regexes],
    )


def _parsed(source: str, path: str, exclude: list[str]) -> coverage.parser.PythonParser:
    parser = coverage.parser.PythonParser(
        text=source, filename=path, exclude=coverage.misc.join_regex(exclude)
    )
    parser.parse_source()
    return parser


def _has_same_named(source: str, kind: str) -> bool:
    """Whether two regions of ``kind`` share a dotted name, as 7.16.2 (and ferrocov on 3.10)
    find regions: functions and classes reached through ``body`` fields only."""
    names: Counter[str] = Counter()

    def walk(nodes: list[ast.stmt], prefix: str) -> None:
        for node in nodes:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{node.name}"
                is_class = isinstance(node, ast.ClassDef)
                if is_class == (kind == "class"):
                    names[name] += 1
                walk(node.body, f"{name}.")
            elif isinstance(body := getattr(node, "body", None), list):
                walk(body, prefix)

    walk(ast.parse(source).body, "")
    return any(count > 1 for count in names.values())


def _decimals(value: float) -> int:
    if value == int(value):
        return 0
    return -int(Decimal(str(value)).as_tuple().exponent)


def _measured(data_file: Path | None) -> Iterable[str]:
    if data_file is None or not data_file.is_file():
        return []
    data = coverage.CoverageData(basename=os.fspath(data_file))
    data.read()
    return sorted(data.measured_files())


def _relative(path: str, root: Path) -> str:
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    return os.path.relpath(real, real_root) if real.startswith(real_root + os.sep) else path


def _oracle_config(root: Path) -> coverage.config.CoverageConfig:
    """The project's configuration, read by coverage.py itself as ``coverage report`` run in
    ``root`` reads it (.coveragerc, setup.cfg, tox.ini, pyproject.toml)."""
    with _cwd(root):
        return coverage.config.read_coverage_config(config_file=True, warn=lambda _msg: None)


@contextmanager
def _cwd(path: Path) -> Iterator[None]:
    """In ``path``, with no COVERAGE_RCFILE pointing elsewhere (the commands run without it)."""
    before, rcfile = os.getcwd(), os.environ.pop("COVERAGE_RCFILE", None)
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)
        if rcfile is not None:
            os.environ["COVERAGE_RCFILE"] = rcfile
