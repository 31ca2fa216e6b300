"""The hooks and fixtures of ferrocov's pytest plugin, registered by the entry point module
when ferrocov measures the session.

Measuring starts in the first `pytest_load_initial_conftests`, so conftest files, plugins they
load and the test modules' imports are measured, as with pytest-cov. An xdist worker starts no
run of its own: the start-up hook (`ferrocov.pth`) already measures it into the controller's run
from its first line, and a killed worker keeps every line it ran in its shard. The controller
combines after the test loop (so fail-under can still fail the session) and reports in the
terminal summary.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Generator
from typing import Any

import pytest

from ferrocov import _ferrocov
from ferrocov.pytest_plugin import options as cov_options
from ferrocov.pytest_plugin.errors import CovDisabledWarning, FerrocovWarning
from ferrocov.pytest_plugin.handle import Measurement

_DISABLE_VAR = _ferrocov.ENV["disable"]


class _State:
    """Per-session state, kept in the config's stash."""

    def __init__(self) -> None:
        self.session: Any = None  # session.Session for a serial session or xdist controller
        self.worker = False
        self.worker_side: Any = None  # worker.Worker in an xdist worker of a measured session
        self.disabled = False
        self.warn_no_cov = False
        self.measurement: Measurement | None = None
        self.wrote_heading = False


_STATE = pytest.StashKey[_State]()


def _state(config: pytest.Config) -> _State:
    state = config.stash.get(_STATE, None)
    if state is None:
        state = _State()
        config.stash[_STATE] = state
    return state


def _is_xdist_worker() -> bool:
    """An xdist worker, told apart from a pytest merely started by one (which inherits the
    worker's environment): execnet runs the worker's code as `__channelexec__`."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return False
    frame = sys._getframe()
    while frame is not None:
        if frame.f_globals.get("__name__") == "__channelexec__":
            return True
        frame = frame.f_back
    return False


def _distributed(options: Any) -> bool:
    return bool(
        getattr(options, "numprocesses", False)
        or getattr(options, "distload", False)
        or getattr(options, "dist", "no") != "no"
    )


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(
    early_config: pytest.Config, parser: Any, args: list[str]
) -> None:
    options = early_config.known_args_namespace
    state = _state(early_config)
    if not options.cov_source:
        return
    if options.no_cov:
        state.disabled = True
        state.warn_no_cov = cov_options.no_cov_should_warn(args)
        return
    problems = cov_options.unbuilt_features(options)
    if problems:
        raise pytest.UsageError(
            "; ".join(problems) + ". ferrocov measures line coverage only for now: drop the "
            "option, or run with `-p no:ferrocov` and pytest-cov."
        )
    if _is_xdist_worker():
        state.worker = True
        return
    from ferrocov.pytest_plugin.session import Session

    state.session = Session(options, distributed=_distributed(options))
    state.session.start(early_config)
    if state.session.plan is not None:
        state.measurement = Measurement(**state.session.measurement_info())


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "no_cover: disable coverage for this test.")
    state = _state(config)
    if getattr(config.option, "cov_context", None) == "test" and (
        state.worker or (state.session is not None and state.session.plan is not None)
    ):
        from ferrocov.pytest_plugin import contexts

        contexts.register(config)
    if not state.worker:
        return
    from ferrocov.pytest_plugin import worker

    state.worker_side = worker.Worker(config.option)
    state.worker_side.start(config)
    info = (getattr(config, "workerinput", None) or {}).get(worker.RUN_INFO)
    if info is not None:
        state.measurement = Measurement(
            data_file=info["data_file"],
            config_file=info["config_file"],
            shard_dir=info["shard_dir"],
        )


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    state = _state(session.config)
    if state.session is not None:
        state.session.retry_unresolved()


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    state = _state(node.config)
    if state.measurement is not None and state.session is not None:
        from ferrocov.pytest_plugin import worker

        node.workerinput[worker.RUN_INFO] = worker.run_info(
            state.measurement, state.session.plan.cwd
        )


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    state = _state(node.config)
    if state.session is None or state.session.plan is None:
        return
    from ferrocov.pytest_plugin import worker

    output = getattr(node, "workeroutput", None) or {}
    desc = output.get(worker.NODE_DESC)
    if desc:
        state.session.node_descs.add(desc)
    try:
        written, problem = worker.receive(node, state.session.plan.data_file)
    except OSError as exc:
        written, problem = None, f"could not save an xdist worker's coverage: {exc}"
    if written is not None:
        state.session.received.append(written)
    if problem is not None:
        import warnings

        warnings.warn(FerrocovWarning(f"ferrocov: {problem}"), stacklevel=1)


@pytest.hookimpl(wrapper=True)
def pytest_runtestloop(session: pytest.Session) -> Generator[None, object, object]:
    state = _state(session.config)
    result = yield
    if state.worker:
        _finish_worker(session.config)
    elif state.session is not None:
        reporter = session.config.pluginmanager.getplugin("terminalreporter")
        _guarded(state.session.finish, session, reporter)
    return result


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """A session that ended without finishing its test loop (a collection error, Ctrl-C,
    `pytest.exit`) still combines what it measured; there is no report then, as with
    pytest-cov."""
    state = _state(session.config)
    if state.session is not None:
        _guarded(state.session.end)


def pytest_unconfigure(config: pytest.Config) -> None:
    state = _state(config)
    if state.session is not None:
        _guarded(state.session.end)


def _guarded(step: Any, *args: Any) -> None:
    """Runs one of ferrocov's end-of-session steps; its failure must not change the session."""
    try:
        step(*args)
    except Exception as exc:
        import warnings

        warnings.warn(FerrocovWarning(f"ferrocov failed: {exc!r}"), stacklevel=2)


def _finish_worker(config: pytest.Config) -> None:
    """A worker stops measuring where a serial session does (the end of the test loop), so
    `-n N` measures what a serial run measures."""
    state = _state(config)
    if state.worker_side is not None:
        state.worker_side.finish(getattr(config, "workeroutput", None))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    state = _state(terminalreporter.config)

    def heading() -> None:
        if not state.wrote_heading:
            terminalreporter.write_sep("=", "tests coverage")
            state.wrote_heading = True

    if state.disabled:
        if state.warn_no_cov:
            heading()
            message = "Coverage disabled via --no-cov switch!"
            terminalreporter.write(f"WARNING: {message}\n", red=True, bold=True)
            import warnings

            warnings.warn(CovDisabledWarning(message), stacklevel=1)
        return
    if state.session is not None:
        state.session.write_summary(terminalreporter, heading)


def _wants_no_cover(item: pytest.Item) -> bool:
    return bool(item.get_closest_marker("no_cover")) or "no_cover" in getattr(
        item, "fixturenames", ()
    )


def _measured_with_cov(config: pytest.Config) -> bool:
    """`no_cover` applies to sessions measured with `--cov`, as pytest-cov applies it; under
    `ferrocov run -m pytest` (like `coverage run -m pytest`) every test is measured."""
    state = _state(config)
    return state.worker or (state.session is not None and state.session.plan is not None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    if (
        not _wants_no_cover(item)
        or not _measured_with_cov(item.config)
        or not _ferrocov.status()["active"]
    ):
        return (yield)
    # Only the call: setup and teardown stay measured, as with pytest-cov. Processes the test
    # starts are not measured either.
    saved = os.environ.get(_DISABLE_VAR)
    os.environ[_DISABLE_VAR] = "1"
    _ferrocov.pause()
    try:
        return (yield)
    finally:
        _ferrocov.resume()
        if saved is None:
            os.environ.pop(_DISABLE_VAR, None)
        else:
            os.environ[_DISABLE_VAR] = saved


@pytest.fixture
def no_cover() -> None:
    """Do not measure this test's call (its setup and teardown are measured)."""


@pytest.fixture
def cov(request: pytest.FixtureRequest) -> Measurement | None:
    """The running measurement (a `ferrocov.pytest_plugin.handle.Measurement`), or None when
    the session is not measured."""
    return _state(request.config).measurement
