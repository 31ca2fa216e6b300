"""Type stubs for the Rust extension module `ferrocov._ferrocov`."""

from types import FrameType
from typing import Any, Literal, final

__version__: str
# Environment variable names by key ("run_dir" -> "FERROCOV_RUN_DIR", ...), from ferrocov_protocol.
ENV: dict[str, str]
# Format versions by name ("shard", "data_schema", "json_report", "run_settings").
FORMATS: dict[str, int]

@final
class Diagnostic:
    """Something ferrocov has to tell, as a value."""

    @property
    def level(self) -> Literal["error", "warning", "debug"]: ...
    @property
    def message(self) -> str: ...
    @property
    def causes(self) -> list[str]: ...
    @property
    def topic(self) -> str | None:
        """The `--debug` topic of a debug line."""
    @property
    def text(self) -> str:
        """The lines the `ferrocov` command prints for it on stderr."""
    def __str__(self) -> str:
        """The message and its causes as one sentence."""

@final
class ReportSpec:
    """One report to make; options left as None take the configuration's values."""

    def __init__(
        self,
        kind: Literal["text", "markdown", "total", "json", "xml", "lcov", "annotate", "html"],
        *,
        output: str | None = None,
        append: bool = False,
        show_missing: bool | None = None,
        skip_covered: bool | None = None,
        skip_empty: bool | None = None,
        precision: int | None = None,
        pretty_print: bool | None = None,
    ) -> None:
        """`output`: a file relative to the run's directory, or "-"/None for the text kinds'
        returned text; the directory for "annotate" and "html" (None: next to the sources, and
        [html] directory). ValueError for an unknown kind."""

@final
class ReportResult:
    @property
    def text(self) -> str | None:
        """The report itself, when it was returned rather than written."""
    @property
    def written(self) -> str | None:
        """The file (or annotate directory, or the HTML site's index page) written, as its output
        option named it."""
    @property
    def error(self) -> Diagnostic | None: ...

@final
class ReportOutcome:
    @property
    def total(self) -> float | None:
        """The total percentage, unrounded; None when there was nothing to report."""
    @property
    def results(self) -> list[ReportResult]:
        """One per report asked for, in order."""
    @property
    def diagnostics(self) -> list[Diagnostic]: ...

@final
class RunPlan:
    """A resolved `ferrocov run`: the program to execute and how to measure it."""

    @property
    def target_kind(self) -> str: ...
    @property
    def target(self) -> str: ...
    @property
    def args(self) -> list[str]: ...
    @property
    def data_file(self) -> str: ...
    @property
    def shard_dir(self) -> str: ...
    @property
    def parallel(self) -> bool: ...
    @property
    def source(self) -> list[str]: ...
    @property
    def source_pkgs(self) -> list[str]: ...
    @property
    def source_dirs(self) -> list[str]: ...
    @property
    def include(self) -> list[str]: ...
    @property
    def omit(self) -> list[str]: ...
    @property
    def cover_pylib(self) -> bool: ...
    @property
    def debug(self) -> list[str]: ...
    @property
    def disable_warnings(self) -> list[str]: ...
    @property
    def branch(self) -> bool: ...
    @property
    def context(self) -> str | None: ...
    @property
    def dynamic_context(self) -> str | None: ...
    @property
    def fail_under(self) -> float: ...
    @property
    def precision(self) -> int: ...
    @property
    def config_file(self) -> str | None: ...
    @property
    def cwd(self) -> str: ...

def main(argv: list[str]) -> int | RunPlan:
    """Run the command line (program name first), printing as `ferrocov` does; a RunPlan
    means: execute `run`."""

def finish_run(
    plan: RunPlan, source_dirs: list[str], received: list[str] = ...
) -> list[Diagnostic]:
    """Combine the run's shards and the `received` data files into its data file (in parallel
    mode, into a parallel data file of its own, `.coverage.<host>.pid<pid>.X<random>x`);
    never-run Python files under `source_dirs` are recorded so reports show them. Returns what
    went wrong."""

def plan_session(
    *,
    cov_config: str,
    source: list[str] | None,
    append: bool,
    data_file: str | None = None,
    branch: bool = False,
) -> tuple[RunPlan | None, list[Diagnostic]]:
    """Plan a pytest session from the plugin's options (erasing old data unless `append`):
    the plan (None when the configuration is unusable) and the diagnostics. `data_file`
    replaces the configured data file (an xdist worker's private run); `branch` (`--cov-branch`)
    turns branch measurement on."""

def make_reports(
    plan: RunPlan, reports: list[ReportSpec], *, ignore_errors: bool = False
) -> ReportOutcome:
    """Make every report in one pass: pending data combined, the data read once, each file
    analysed once. Problems come back in the outcome, never as exceptions."""

def should_fail_under(total: float, fail_under: float, precision: int) -> bool:
    """coverage.py's fail-under test; ValueError for a threshold outside 0-100."""

def display_covered(total: float, precision: int) -> str:
    """A percentage as reports show it."""

def pause() -> None:
    """Stop recording (measurement stays on) until `resume`."""

def resume() -> None:
    """Record again after `pause`."""

def start(
    shard_dir: str,
    *,
    cwd: str,
    source_dirs: list[str],
    source_specified: bool,
    include: list[str],
    omit: list[str],
    cover_pylib: bool,
    pylib_dirs: list[str],
    third_party_dirs: list[str],
    own_dirs: list[str],
    debug_trace: bool = False,
    branch: bool = False,
    context: str = "",
    test_function: bool = False,
) -> None:
    """Start measuring this process into a new shard in `shard_dir`: lines, or with `branch`
    arcs (coverage.py's branch data), in the measurement context `context`. `test_function`:
    each call of a test function starts a context of its own (`dynamic_context =
    test_function`, labels from `ferrocov.test_function`)."""

def switch_context(label: str) -> bool:
    """Record what runs from now on under the context `label` (`""`: coverage.py's default
    context); each context records every line (and arc) it runs. False when not measuring."""

def stop() -> None:
    """Stop measuring; recorded lines are already in the shard."""

def status() -> dict[str, Any]:
    """Which tracer core runs, whether it is active, and its shard."""

# The hook `threading.settrace` runs in new threads (Python 3.10/3.11 builds only).
def _ctrace_thread_start(frame: FrameType, event: str, arg: object) -> None: ...

# Run in a forked child (registered with os.register_at_fork): switch to a shard of its own.
def _after_fork_in_child() -> None: ...
def parse_json(text: str) -> Any:
    """`json.loads` without importing `json`: the run's settings, read by a starting child."""
