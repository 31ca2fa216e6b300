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

def main(argv: list[str]) -> int | RunPlan:
    """Run the command line (program name first); a RunPlan means: execute `run`."""

def finish_run(plan: RunPlan, source_dirs: list[str]) -> int:
    """Combine the run's shards into its data file unless in parallel mode; never-run Python
    files under `source_dirs` are recorded so reports show them."""

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
