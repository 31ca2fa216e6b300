"""Fixtures for ferrocov's end-to-end tests (see tests/support for the helpers)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from support import Project, Result, run

# tests/plugin drives pytest sessions with pytester; pytest only accepts this in a top conftest.
pytest_plugins = ["pytester"]

# The corpus programs are inputs, not tests.
collect_ignore = ["programs"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "crash: kills the measured process (SIGKILL, os._exit, segfault); required in CI"
    )


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """An empty project directory; commands run through it use it as their cwd."""
    return Project(tmp_path / "proj")


@pytest.fixture
def runner(project: Project) -> Callable[..., Result]:
    """run(cmd, env=..., stdin=..., timeout=...) -> Result, with cwd = the project directory."""

    def _run(cmd: Sequence[str], **kwargs: Any) -> Result:
        return run(cmd, project.root, **kwargs)

    return _run
