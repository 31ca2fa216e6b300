"""One measured pytest session (serial, or the controller of xdist workers): plan and start the
run, end it however the session ends, and make the reports pytest-cov would make, kept as text
for the terminal summary.

Settings go to Rust as values and results come back as values (`_ferrocov.ReportSpec`,
`ReportOutcome`, `Diagnostic`); nothing here raises into pytest: a failure becomes a warning
and a total of 0, as with pytest-cov.
"""

from __future__ import annotations

import argparse
import atexit
import os
import sys
import warnings
from collections.abc import Callable, Iterable
from typing import Any

import pytest

from ferrocov import _ferrocov, measure, selection
from ferrocov.pytest_plugin.errors import (
    CentralCovContextWarning,
    CovNotMeasuredWarning,
    CovReportWarning,
    FerrocovWarning,
)
from ferrocov.pytest_plugin.options import prepare_source


class ReportFailed(Exception):
    """The reports could not be made; the message is the pipeline's own error."""


def node_desc() -> str:
    """The header pytest-cov prints: this interpreter's platform and full version."""
    return "platform {}, python {}".format(
        sys.platform, "{}.{}.{}-{}-{}".format(*sys.version_info[:5])
    )


def _warn(category: type[Warning], message: str) -> None:
    warnings.warn(category(message), stacklevel=3)


def show_diagnostics(diagnostics: Iterable[_ferrocov.Diagnostic]) -> None:
    """Warnings and errors become pytest warnings; debug lines go to stderr, as coverage.py's
    `--debug` output does."""
    for diagnostic in diagnostics:
        if diagnostic.level == "debug":
            sys.stderr.write(diagnostic.text)
        else:
            _warn(FerrocovWarning, str(diagnostic))


class Session:
    def __init__(
        self, options: argparse.Namespace, *, distributed: bool, data_file: str | None = None
    ) -> None:
        self.options = options
        self.distributed = distributed
        # Instead of the configured data file (an xdist worker's private run).
        self.data_file = data_file
        # Parallel data files sent by xdist workers that could not see this run.
        self.received: list[str] = []
        reports = dict(options.cov_report or {})
        if not reports:
            reports = {"term": None}
        elif list(reports) == [""]:
            reports = {}
        reports.pop("", None)
        self.reports: dict[str, str | None] = reports
        self.source = prepare_source(options.cov_source)
        self.plan: _ferrocov.RunPlan | None = None
        self.source_paths: list[str] = []
        self.unresolved: list[str] = []
        self.not_measured: str | None = None
        self.ended = False
        self.fail_under: float | None = options.cov_fail_under
        self.precision: int = options.cov_precision if options.cov_precision is not None else 0
        self.total: float | None = None
        self.failed = False
        self.output: list[tuple[str, str]] = []
        self.node_descs: set[str] = set()

    # -- start -------------------------------------------------------------------------------

    def start(self, config: pytest.Config) -> None:
        plan, diagnostics = _ferrocov.plan_session(
            cov_config=str(self.options.cov_config),
            source=self.source,
            append=bool(self.options.cov_append),
            data_file=self.data_file,
            branch=bool(self.options.cov_branch),
        )
        if plan is None:
            reason = "; ".join(str(d) for d in diagnostics if d.level == "error")
            self.not_measured = reason or "unknown error"
            show_diagnostics(d for d in diagnostics if d.level != "error")
            _warn(CovNotMeasuredWarning, f"ferrocov: coverage is not measured: {reason}")
            return
        show_diagnostics(diagnostics)
        self.plan = plan
        # The last resort for a session that ends before pytest's own end-of-session hooks run
        # (a conftest that calls `pytest.exit`, say): what was measured still reaches the data
        # file and no shard is left behind. `end` does nothing the second time.
        atexit.register(self.end)
        if self.fail_under is None:
            self.fail_under = plan.fail_under
        if self.options.cov_precision is None:
            self.precision = plan.precision
        self._resolve(config)
        self._warn_both_contexts()
        self._start_measuring()

    def _search_path(self, config: pytest.Config) -> list[str]:
        """Where a `--cov=NAME` package may live before pytest has set `sys.path` up for the
        tests: the directory pytest runs in, its rootdir and the `pythonpath` ini setting."""
        assert self.plan is not None
        extra = [self.plan.cwd, str(config.rootpath)]
        try:
            extra += [str(path) for path in config.getini("pythonpath")]
        except (ValueError, KeyError):
            pass
        return [path for path in extra if path not in sys.path]

    def _resolve(self, config: pytest.Config) -> None:
        assert self.plan is not None
        extra = self._search_path(config)
        saved = sys.path[:]
        sys.path[:0] = extra
        try:
            resolved = selection.resolve_source(
                self.plan.source, self.plan.source_pkgs, self.plan.cwd
            )
        finally:
            sys.path[:] = saved
        self.source_paths = resolved.paths + list(self.plan.source_dirs)
        self.unresolved = resolved.unresolved

    def retry_unresolved(self) -> None:
        """After conftest files ran (they may extend `sys.path`): a source package that can be
        found now is measured from now on."""
        if self.plan is None or not self.unresolved or self.ended:
            return
        resolved = selection.resolve_source([], self.unresolved, self.plan.cwd)
        if not resolved.paths:
            return
        self.source_paths += resolved.paths
        self.unresolved = resolved.unresolved
        self._start_measuring()

    def _pytest_labels(self) -> bool:
        """`--cov-context=test`: pytest's per-phase labels; test functions start no contexts."""
        return getattr(self.options, "cov_context", None) == "test"

    def _warn_both_contexts(self) -> None:
        assert self.plan is not None
        if self._pytest_labels() and measure.wants_test_function(self.plan):
            _warn(
                CentralCovContextWarning,
                "Detected dynamic_context=test_function in coverage configuration. This is "
                "unnecessary as this plugin provides the more complete --cov-context option. "
                "ferrocov records --cov-context=test's labels only.",
            )

    def _start_measuring(self) -> None:
        assert self.plan is not None
        measure.start_plan(
            self.plan,
            self.source_paths,
            test_function=measure.wants_test_function(self.plan) and not self._pytest_labels(),
        )

    def measurement_info(self) -> dict[str, Any]:
        assert self.plan is not None
        return {
            "data_file": self.plan.data_file,
            "config_file": self.plan.config_file,
            "shard_dir": self.plan.shard_dir,
        }

    # -- end ---------------------------------------------------------------------------------

    def end(self) -> None:
        """Stop measuring and combine what was measured into the data file, leaving no shards
        behind. Safe to call more than once and however the session ends (after the test loop,
        or at unconfigure after a collection error, `-x`, KeyboardInterrupt or `pytest.exit`)."""
        if self.ended or self.plan is None:
            return
        self.ended = True
        if not measure.end_run(self.plan.shard_dir):
            return  # a forked copy of the controller: only the controller ends the run
        self._warn_unimported()
        show_diagnostics(_ferrocov.finish_run(self.plan, self.source_paths, self.received))

    def finish(self, session: pytest.Session, reporter: Any) -> None:
        """After the test loop: stop, combine, report, and apply fail-under."""
        self.failed = bool(session.testsfailed)
        self.end()
        should_report = bool(self.reports) or bool(self.fail_under)
        if not should_report or (self.failed and self.options.no_cov_on_fail):
            return
        try:
            if self.plan is None:
                raise ReportFailed(f"coverage was not measured: {self.not_measured}")
            self.total = self._make_reports(reporter)
        except ReportFailed as exc:
            self._report_failed(reporter, str(exc))
            self.total = 0.0
        if self.fail_under is None or session.config.option.collectonly:
            return
        try:
            fails = _ferrocov.should_fail_under(self.total, float(self.fail_under), self.precision)
        except ValueError as exc:
            _warn(FerrocovWarning, f"ferrocov: {exc}")
            return
        if fails:
            p = self.precision
            message = (
                f"Coverage failure: total of {_ferrocov.display_covered(self.total, p)} "
                f"is less than fail-under={self.fail_under:.{p}f}"
            )
            if reporter is not None:
                reporter.write(f"\nERROR: {message}\n", red=True, bold=True)
            session.testsfailed += 1

    def _report_failed(self, reporter: Any, why: str) -> None:
        message = f"Failed to generate report: {why}\n"
        if reporter is not None:
            reporter.write(f"\nWARNING: {message}\n", red=True, bold=True)
        _warn(CovReportWarning, message)

    def _warn_unimported(self) -> None:
        # Under xdist the controller imports nothing of the tests; pytest-cov is quiet there too.
        if self.distributed or self.plan is None:
            return
        if "module-not-imported" in self.plan.disable_warnings:
            return
        for name in self.unresolved:
            if name not in sys.modules:
                _warn(FerrocovWarning, f"Module {name} was never imported. (module-not-imported)")

    def _report_specs(self) -> list[tuple[_ferrocov.ReportSpec, Callable[[Any], None]]]:
        """Each report pytest-cov would make, in its order, with what the summary shows for it
        once made (given its `ReportResult`)."""
        assert self.plan is not None
        p = self.precision
        reports = self.reports
        specs: list[tuple[_ferrocov.ReportSpec, Callable[[Any], None]]] = []

        def says(message: str) -> Callable[[Any], None]:
            return lambda result: self.output.append(("text", message))

        def written(label: str) -> Callable[[Any], None]:
            return lambda result: self.output.append(
                ("text", f"Coverage {label} written to file {result.written}\n")
            )

        if "term" in reports or "term-missing" in reports:
            spec = _ferrocov.ReportSpec(
                "text",
                precision=p,
                show_missing=True if "term-missing" in reports else None,
                skip_covered=True if "skip-covered" in reports.values() else None,
            )
            specs.append((spec, lambda result: self.output.append(("text", result.text))))
        if "annotate" in reports:
            directory = reports["annotate"]
            specs.append(
                (
                    _ferrocov.ReportSpec("annotate", output=directory),
                    says(
                        f"Coverage annotated source written to dir {directory}\n"
                        if directory
                        else "Coverage annotated source written next to source\n"
                    ),
                )
            )
        if "html" in reports:
            spec = _ferrocov.ReportSpec("html", output=reports["html"] or None, precision=p)
            specs.append(
                (
                    spec,
                    # pytest-cov names the directory: the one given, else [html] directory.
                    lambda result: self.output.append(
                        (
                            "text",
                            f"Coverage HTML written to dir {os.path.dirname(result.written)}\n",
                        )
                    ),
                )
            )
        for kind, label in (("xml", "XML"), ("json", "JSON")):
            if kind in reports:
                specs.append((_ferrocov.ReportSpec(kind, output=reports[kind]), written(label)))
        for kind, verb, append in (
            ("markdown", "written to", False),
            ("markdown-append", "appended to", True),
        ):
            if kind in reports:
                dest = reports[kind] or "coverage.md"
                spec = _ferrocov.ReportSpec("markdown", output=dest, append=append, precision=p)
                specs.append((spec, says(f"Coverage Markdown information {verb} file {dest}\n")))
        if "lcov" in reports:
            specs.append((_ferrocov.ReportSpec("lcov", output=reports["lcov"]), written("LCOV")))
        return specs

    def _make_reports(self, reporter: Any) -> float:
        assert self.plan is not None
        specs = self._report_specs()
        outcome = _ferrocov.make_reports(self.plan, [spec for spec, _ in specs], ignore_errors=True)
        errors = [d for d in outcome.diagnostics if d.level == "error"]
        show_diagnostics(d for d in outcome.diagnostics if d.level != "error")
        if outcome.total is None:
            raise ReportFailed("; ".join(str(d) for d in errors) or "No data to report.")
        descs = self.node_descs or {node_desc()}
        if len(descs) == 1:
            self.output.append(("sep", f"coverage: {next(iter(descs))}"))
        else:
            self.output.append(("sep", "coverage"))
            for desc in sorted(descs):
                self.output.append(("sep ", desc))
        for (_, show), result in zip(specs, outcome.results, strict=True):
            if result.error is not None:
                self._report_failed(reporter, str(result.error))
            else:
                show(result)
        return float(outcome.total)

    # -- terminal ----------------------------------------------------------------------------

    def write_summary(self, reporter: Any, heading: Any) -> None:
        if self.total is None:
            return
        if self.output:
            heading()
            for kind, text in self.output:
                if kind == "text":
                    reporter.write(text)
                else:
                    reporter.write_sep("_" if kind == "sep" else " ", text)
                    reporter.write("\n")
        if self.fail_under is not None and self.fail_under > 0:
            heading()
            failed = self.total < self.fail_under
            reached = "not reached" if failed else "reached"
            markup = {"red": True, "bold": True} if failed else {"green": True}
            reporter.write(
                f"{'FAIL ' if failed else ''}Required test coverage of {self.fail_under}% "
                f"{reached}. Total coverage: {self.total:.2f}%\n",
                **markup,
            )
