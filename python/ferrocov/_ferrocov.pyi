"""Type stubs for the Rust extension module `ferrocov._ferrocov`."""

from types import FrameType
from typing import Any, final

__version__: str

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
    def dynamic_context(self) -> str | None: ...
    @property
    def fail_under(self) -> float: ...
    @property
    def precision(self) -> int: ...
    @property
    def config_file(self) -> str | None: ...
    @property
    def cwd(self) -> str: ...
    def default_output(self, kind: str) -> str:
        """`[json|xml|lcov] output`: the file that report writes by default."""

def main(argv: list[str]) -> int | RunPlan:
    """Run the command line (program name first); a RunPlan means: execute `run`."""

def finish_run(plan: RunPlan, source_dirs: list[str]) -> int:
    """Combine the run's shards into its data file unless in parallel mode; never-run Python
    files under `source_dirs` are recorded so reports show them."""

def plan_session(*, cov_config: str, source: list[str] | None, append: bool) -> tuple[RunPlan, str]:
    """Plan a pytest session from the plugin's options (erasing old data unless `append`):
    the plan and the configuration's warnings. ValueError when the configuration is unusable."""

def session_command(plan: RunPlan, argv: list[str]) -> tuple[int, str, str, float | None]:
    """Run a reporting command line under the plan's configuration, output captured:
    `(status, stdout, stderr, total)`."""

def finish_session(plan: RunPlan, source_dirs: list[str]) -> tuple[int, str]:
    """`finish_run` with its messages captured: `(status, messages)`."""

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
) -> None:
    """Start measuring this process into a new shard in `shard_dir`."""

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
