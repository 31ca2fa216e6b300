"""One measured pytest session (serial, or the controller of xdist workers): plan and start the
run, combine it after the test loop, and make the reports pytest-cov would make, kept as text
for the terminal summary. Every Rust call goes through `_ferrocov`; nothing here raises into
pytest: a failure becomes a warning and a total of 0, as pytest-cov does."""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from typing import Any

import pytest

from ferrocov import _ferrocov, measure, selection
from ferrocov.pytest_plugin.errors import CovNotMeasuredWarning, CovReportWarning, FerrocovWarning
from ferrocov.pytest_plugin.options import prepare_source


class ReportFailed(Exception):
    """A report command failed; the message is the command's own error."""


def node_desc() -> str:
    """The header pytest-cov prints: this interpreter's platform and full version."""
    return "platform {}, python {}".format(
        sys.platform, "{}.{}.{}-{}-{}".format(*sys.version_info[:5])
    )


def _warn(category: type[Warning], message: str) -> None:
    warnings.warn(category(message), stacklevel=3)


def _warn_lines(messages: str) -> None:
    """Rust's captured warnings and errors, each one a pytest warning."""
    for line in messages.splitlines():
        if line.strip():
            _warn(FerrocovWarning, line.removeprefix("ferrocov: warning: "))


def _error_text(stderr: str) -> str:
    """`ferrocov: error: X` plus `Cause:` lines, as one sentence."""
    parts = []
    for line in stderr.splitlines():
        if line.startswith("ferrocov: error: "):
            parts.append(line.removeprefix("ferrocov: error: "))
        elif line.strip().startswith("Cause: "):
            parts.append(line.strip().removeprefix("Cause: "))
    return ": ".join(parts) or stderr.strip() or "unknown error"


class Session:
    def __init__(self, options: argparse.Namespace, *, distributed: bool) -> None:
        self.options = options
        self.distributed = distributed
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
        self.fail_under: float | None = options.cov_fail_under
        self.precision: int = options.cov_precision if options.cov_precision is not None else 0
        self.total: float | None = None
        self.failed = False
        self.output: list[tuple[str, str]] = []
        self.node_descs: set[str] = set()

    # -- start -------------------------------------------------------------------------------

    def start(self, config: pytest.Config) -> None:
        try:
            plan, messages = _ferrocov.plan_session(
                cov_config=str(self.options.cov_config),
                source=self.source,
                append=bool(self.options.cov_append),
            )
        except (ValueError, OSError) as exc:
            self.not_measured = str(exc)
            _warn(CovNotMeasuredWarning, f"ferrocov: coverage is not measured: {exc}")
            return
        _warn_lines(messages)
        self.plan = plan
        if self.fail_under is None:
            self.fail_under = plan.fail_under
        if self.options.cov_precision is None:
            self.precision = plan.precision
        if plan.branch:
            _warn(
                FerrocovWarning,
                "ferrocov: [run] branch = true is ignored: branch coverage is not built yet, "
                "lines are measured",
            )
        if plan.dynamic_context:
            _warn(
                FerrocovWarning,
                f"ferrocov: [run] dynamic_context = {plan.dynamic_context} is ignored: contexts "
                "are not built yet",
            )
        self._resolve(config)
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
        if self.plan is None or not self.unresolved:
            return
        resolved = selection.resolve_source([], self.unresolved, self.plan.cwd)
        if not resolved.paths:
            return
        self.source_paths += resolved.paths
        self.unresolved = resolved.unresolved
        self._start_measuring()

    def _start_measuring(self) -> None:
        assert self.plan is not None
        measure.start_plan(self.plan, self.source_paths)

    def measurement_info(self) -> dict[str, Any]:
        assert self.plan is not None
        return {
            "data_file": self.plan.data_file,
            "config_file": self.plan.config_file,
            "shard_dir": self.plan.shard_dir,
        }

    # -- end ---------------------------------------------------------------------------------

    def finish(self, session: pytest.Session, reporter: Any) -> None:
        """After the test loop: stop, combine, report, and apply fail-under."""
        self.failed = bool(session.testsfailed)
        if self.plan is not None:
            if not measure.end_run(self.plan.shard_dir):
                return  # a forked copy of the controller: only the controller ends the run
            self._warn_unimported()
            _status, messages = _ferrocov.finish_session(self.plan, self.source_paths)
            _warn_lines(messages)
        should_report = bool(self.reports) or bool(self.fail_under)
        if not should_report or (self.failed and self.options.no_cov_on_fail):
            return
        try:
            if self.plan is None:
                raise ReportFailed(f"coverage was not measured: {self.not_measured}")
            self.total = self._make_reports()
        except ReportFailed as exc:
            message = f"Failed to generate report: {exc}\n"
            if reporter is not None:
                reporter.write(f"\nWARNING: {message}\n", red=True, bold=True)
            _warn(CovReportWarning, message)
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

    def _warn_unimported(self) -> None:
        # Under xdist the controller imports nothing of the tests; pytest-cov is quiet there too.
        if self.distributed or self.plan is None:
            return
        if "module-not-imported" in self.plan.disable_warnings:
            return
        for name in self.unresolved:
            if name not in sys.modules:
                _warn(FerrocovWarning, f"Module {name} was never imported. (module-not-imported)")

    def _command(self, *argv: str) -> tuple[str, float | None]:
        assert self.plan is not None
        status, out, err, total = _ferrocov.session_command(self.plan, ["ferrocov", *argv])
        if status != 0:
            raise ReportFailed(_error_text(err))
        _warn_lines(err)
        return out, total

    def _make_reports(self) -> float:
        assert self.plan is not None
        # Fail-under is the session's to apply (pytest-cov's message, the session's status).
        data = ("--data-file", self.plan.data_file, "-i", "--fail-under", "0")
        precision = ("--precision", str(self.precision))
        _, total = self._command("report", *data, "--format=total", *precision)
        if total is None:
            raise ReportFailed("No data to report.")
        descs = self.node_descs or {node_desc()}
        if len(descs) == 1:
            self.output.append(("sep", f"coverage: {next(iter(descs))}"))
        else:
            self.output.append(("sep", "coverage"))
            for desc in sorted(descs):
                self.output.append(("sep ", desc))
        reports = self.reports
        if "term" in reports or "term-missing" in reports:
            flags = ["-m"] if "term-missing" in reports else []
            if "skip-covered" in reports.values():
                flags.append("--skip-covered")
            text, _ = self._command("report", *data, *precision, *flags)
            self.output.append(("text", text))
        if "annotate" in reports:
            directory = reports["annotate"]
            self._command("annotate", *data, *(("-d", directory) if directory else ()))
            if directory:
                message = f"Coverage annotated source written to dir {directory}\n"
            else:
                message = "Coverage annotated source written next to source\n"
            self.output.append(("text", message))
        for kind, label in (("xml", "XML"), ("json", "JSON")):
            if kind in reports:
                dest = reports[kind]
                self._command(kind, *data, "-q", *(("-o", dest) if dest else ()))
                shown = dest if dest is not None else self.plan.default_output(kind)
                self.output.append(("text", f"Coverage {label} written to file {shown}\n"))
        for kind, mode, verb in (
            ("markdown", "w", "written to"),
            ("markdown-append", "a", "appended to"),
        ):
            if kind in reports:
                dest = reports[kind] or "coverage.md"
                text, _ = self._command("report", *data, "--format=markdown")
                path = os.path.join(self.plan.cwd, dest)
                try:
                    with open(path, mode, encoding="utf-8") as handle:
                        handle.write(text)
                except OSError as exc:
                    raise ReportFailed(f"cannot write {dest}: {exc}") from None
                self.output.append(("text", f"Coverage Markdown information {verb} file {dest}\n"))
        if "lcov" in reports:
            dest = reports["lcov"]
            self._command("lcov", *data, "-q", *(("-o", dest) if dest else ()))
            shown = dest if dest is not None else self.plan.default_output("lcov")
            self.output.append(("text", f"Coverage LCOV written to file {shown}\n"))
        return total

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
