"""pytest-cov 7.1's command-line options, with the same names, defaults and meanings, and the
checks that reject what ferrocov cannot do yet."""

from __future__ import annotations

import argparse

import pytest

_FILE_REPORTS = ("annotate", "html", "xml", "json", "markdown", "markdown-append", "lcov")
_TERM_REPORTS = ("term", "term-missing")
_ALL_REPORTS = _TERM_REPORTS + _FILE_REPORTS
# Markdown has no configured default file; pytest-cov writes coverage.md.
_MARKDOWN_DEFAULT = "coverage.md"


def _report_type(value: str) -> tuple[str, str | None]:
    kind, sep, modifier = value.partition(":")
    if kind not in (*_ALL_REPORTS, ""):
        raise argparse.ArgumentTypeError(
            f'invalid choice: "{value}" (choose from "{list(_ALL_REPORTS)}")'
        )
    if not sep:
        return kind, None
    if kind in _TERM_REPORTS and modifier == "skip-covered":
        return kind, modifier
    if kind not in _FILE_REPORTS:
        raise argparse.ArgumentTypeError(
            f'output specifier not supported for: "{value}" (choose from "{list(_FILE_REPORTS)}")'
        )
    return kind, modifier


def _fail_under(value: str) -> float:
    try:
        number: float = int(value)
    except ValueError:
        try:
            number = float(value)
        except ValueError:
            raise argparse.ArgumentTypeError("An integer or float value is required.") from None
    if number > 100:
        raise argparse.ArgumentTypeError(
            "The maximum value is 100: a total above 100% cannot be reached."
        )
    return number


def _context(value: str) -> str:
    if value != "test":
        raise argparse.ArgumentTypeError('The only supported value is "test".')
    return value


class _StoreReport(argparse.Action):
    """`--cov-report` accumulates into a dict of report type -> destination."""

    def __call__(self, parser, namespace, values, option_string=None):  # type: ignore[no-untyped-def]
        kind, dest = values
        reports = namespace.cov_report
        if kind in ("markdown", "markdown-append") and dest is None:
            dest = _MARKDOWN_DEFAULT
        reports[kind] = dest
        if "markdown" in reports and reports["markdown"] == reports.get("markdown-append"):
            parser.error(
                "markdown and markdown-append options cannot point to the same file: "
                f"'{reports['markdown']}'. Redirect one of them with :DEST "
                "(e.g. --cov-report=markdown:dest_file.md)"
            )


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("cov", "coverage reporting with distributed testing support (ferrocov)")
    group.addoption(
        "--cov",
        action="append",
        default=[],
        metavar="SOURCE",
        nargs="?",
        const=True,
        dest="cov_source",
        help="Path or package name to measure during execution (multi-allowed). A bare --cov "
        "(or --cov=) measures [run] source from the configuration, else everything.",
    )
    group.addoption(
        "--cov-reset",
        action="store_const",
        const=[],
        dest="cov_source",
        help="Forget the --cov sources given so far.",
    )
    group.addoption(
        "--cov-report",
        action=_StoreReport,
        default={},
        metavar="TYPE",
        type=_report_type,
        help="Report to make: term, term-missing, annotate, html, xml, json, markdown, "
        "markdown-append, lcov (multi-allowed). term and term-missing "
        'may be followed by ":skip-covered", the others by ":DEST" for the output location. '
        "--cov-report= makes no report. Default: term.",
    )
    group.addoption(
        "--cov-config",
        action="store",
        default=".coveragerc",
        metavar="PATH",
        help="Coverage configuration file. Default: .coveragerc (which also means: look in "
        "setup.cfg, tox.ini and pyproject.toml, as coverage.py does).",
    )
    group.addoption(
        "--no-cov-on-fail",
        action="store_true",
        default=False,
        help="Make no coverage report when a test fails. Default: False",
    )
    group.addoption(
        "--no-cov",
        action="store_true",
        default=False,
        help="Turn coverage off completely (for debuggers). Default: False",
    )
    group.addoption(
        "--cov-fail-under",
        action="store",
        metavar="MIN",
        type=_fail_under,
        help="Fail the session if the total coverage is less than MIN.",
    )
    group.addoption(
        "--cov-append",
        action="store_true",
        default=False,
        help="Add to the existing coverage data instead of erasing it. Default: False",
    )
    group.addoption(
        "--cov-branch",
        action="store_true",
        default=None,
        help="Enable branch coverage.",
    )
    group.addoption(
        "--cov-precision",
        type=int,
        default=None,
        help="Digits after the decimal point in reported percentages (default: [report] "
        "precision).",
    )
    group.addoption(
        "--cov-context",
        action="store",
        metavar="CONTEXT",
        type=_context,
        help='Dynamic contexts to record: "test" (each test\'s setup, run and teardown in '
        "contexts of their own, labelled as pytest-cov labels them).",
    )


def prepare_source(cov_source: list[str | bool]) -> list[str] | None:
    """None when any `--cov` was bare (measure what the configuration says), else the
    sources. `--cov=` counts as bare: pytest-cov documents it as "no source filtering"."""
    if any(entry is True or entry == "" for entry in cov_source):
        return None
    return [str(entry) for entry in cov_source]


def unbuilt_features(options: argparse.Namespace) -> list[str]:
    """What the command line asks for that ferrocov does not do yet."""
    problems: list[str] = []
    return problems


def no_cov_should_warn(args: list[str]) -> bool:
    """pytest-cov says coverage is disabled only when `--no-cov` comes before a `--cov...`."""
    seen_no_cov = False
    for arg in map(str, args):
        if arg == "--no-cov":
            seen_no_cov = True
        elif arg.startswith("--cov") and seen_no_cov:
            return True
    return False
