"""An xdist worker's side of a measured session.

A worker on the controller's host, started with the controller's environment (`-n N`), is
part of the controller's run from its first line: the start-up hook measured it into the run's
shard directory, and the controller's combine finds its shard. A worker that cannot see the run
(another host, or a clean environment in another directory, as `--tx ssh=...` or
`--tx socket=...` with `--rsyncdir` give) measures itself into a private run instead and sends
the data back through xdist's own channel at its end, as pytest-cov's workers do; the
controller writes it as a parallel data file and combines it with the rest, where `[paths]`
maps the worker's paths.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from typing import Any

from ferrocov import _ferrocov, measure

# Keys of `workerinput` (controller -> worker) and `workeroutput` (worker -> controller).
RUN_INFO = "ferrocov"
NODE_DESC = "ferrocov_node_desc"
DATA = "ferrocov_data"
MEASURED = "ferrocov_measured"
HOST = "ferrocov_host"


def run_info(measurement: Any, cwd: str) -> dict[str, Any]:
    """What the controller tells each worker about its run."""
    return {
        "data_file": measurement.data_file,
        "config_file": measurement.config_file,
        "shard_dir": measurement.shard_dir,
        "host": socket.gethostname(),
        "topdir": cwd,
    }


class Worker:
    """How this worker is measured: in the controller's run, or in a private one it sends."""

    def __init__(self, options: Any) -> None:
        self.options = options
        self.private: Any = None  # session.Session of a private run
        self.private_dir: str | None = None
        self.why_not: str | None = None

    def start(self, config: Any) -> None:
        """At the worker's configure: join the controller's run, or measure privately."""
        if not _ferrocov.status()["active"]:
            # The start-up hook did not run (python -S, say) but the run may still be visible.
            measure.start_child()
        if _ferrocov.status()["active"]:
            return
        info = (getattr(config, "workerinput", None) or {}).get(RUN_INFO)
        if info is None:
            self.why_not = "the controller sent no run (is ferrocov measuring it?)"
            return
        self._start_private(config, info)

    def _start_private(self, config: Any, info: dict[str, Any]) -> None:
        from ferrocov.pytest_plugin.session import Session

        # Paths the controller named under its own directory are this worker's under its own.
        here = os.getcwd()
        theirs = str(info.get("topdir") or "")

        def local(value: Any) -> Any:
            if isinstance(value, str) and theirs and value.startswith(theirs):
                return here + value[len(theirs) :]
            return value

        self.options.cov_source = [local(v) for v in self.options.cov_source]
        self.options.cov_config = local(self.options.cov_config)
        self.options.cov_append = False
        self.private_dir = tempfile.mkdtemp(prefix="ferrocov-worker-")
        session = Session(
            self.options,
            distributed=True,
            data_file=os.path.join(self.private_dir, ".coverage"),
        )
        session.start(config)
        if session.plan is None:
            self.why_not = session.not_measured or "unknown error"
            self._remove_private_dir()
            return
        self.private = session

    def finish(self, workeroutput: dict[str, Any] | None) -> None:
        """At the end of the worker's test loop: stop, and tell the controller what it got."""
        from ferrocov.pytest_plugin.session import node_desc

        if self.private is None:
            measured = _ferrocov.status()["active"]
            measure.end_child()
            outcome = "run" if measured else f"nothing: {self.why_not or 'not measured'}"
            data = None
        else:
            self.private.end()
            data_file = os.path.join(str(self.private_dir), ".coverage")
            try:
                with open(data_file, "rb") as handle:
                    data = handle.read()
                outcome = "sent"
            except OSError as exc:
                data = None
                outcome = f"nothing: its data could not be read: {exc}"
            self._remove_private_dir()
        if workeroutput is not None:
            workeroutput[NODE_DESC] = node_desc()
            workeroutput[MEASURED] = outcome
            workeroutput[HOST] = socket.gethostname()
            if data is not None:
                workeroutput[DATA] = data

    def _remove_private_dir(self) -> None:
        if self.private_dir is not None:
            shutil.rmtree(self.private_dir, ignore_errors=True)
            self.private_dir = None


def receive(node: Any, data_file: str) -> tuple[str | None, str | None]:
    """On the controller, for a worker that went down: the parallel data file its sent data
    was written to (None if it sent none) and, when it measured nothing, why."""
    output = getattr(node, "workeroutput", None) or {}
    worker_id = str(getattr(getattr(node, "gateway", None), "id", None) or "worker")
    measured = output.get(MEASURED)
    data = output.get(DATA)
    written = None
    if data is not None:
        host = socket.gethostname().replace(".", "_")
        suffix = f"{host}.pid{os.getpid()}.X{os.urandom(3).hex()}x.{worker_id}"
        written = f"{data_file}.{suffix}"
        with open(written, "wb") as handle:
            handle.write(data)
    if measured is None:
        return written, f"xdist worker {worker_id} sent no coverage: is ferrocov installed there?"
    if str(measured).startswith("nothing"):
        host = output.get(HOST, "?")
        return written, f"xdist worker {worker_id} on {host} measured {measured}"
    return written, None
