"""The multi-process tests: their scenario module sits next to them."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "processes: starts, forks and kills real Python processes under `ferrocov run`",
    )
