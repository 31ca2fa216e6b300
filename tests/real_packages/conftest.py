"""Registers the ``slow`` marker of the real-package tests (helpers: sdists.py)."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "slow: runs a real package's test suite under both tools (deselect: -m 'not slow')",
    )
