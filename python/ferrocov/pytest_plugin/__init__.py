"""ferrocov's pytest plugin, a drop-in for pytest-cov: the `pytest11` entry point.

This module only decides whether ferrocov takes part in the session. When pytest-cov is active
too, both would register `--cov` and pytest would stop with an argparse conflict, so ferrocov
stays out of the way (pytest-cov measures) and says how to choose. Otherwise it adds the options
and registers the working plugin (`plugin.py`), which holds every other hook and the fixtures;
keeping those off this module keeps them out of sessions pytest-cov measures.
"""

from __future__ import annotations

import os

import pytest

from ferrocov.pytest_plugin.errors import CovDisabledWarning, CovReportWarning, FerrocovWarning

__all__ = ["CovDisabledWarning", "CovReportWarning", "FerrocovWarning"]

_PYTEST_COV = "pytest_cov"
_STEP_ASIDE_MESSAGE = (
    "ferrocov: pytest-cov is installed too, so pytest-cov measures this session and ferrocov "
    "stays out of the way. Run pytest with `-p no:pytest_cov` to measure with ferrocov instead, "
    "or with `-p no:ferrocov` to silence this warning."
)

_stepped_aside = False


def _pytest_cov_active(pluginmanager: pytest.PytestPluginManager) -> bool:
    """pytest-cov will register its options in this session: installed (or already loaded)
    and not blocked with `-p no:pytest_cov`."""
    if pluginmanager.is_blocked(_PYTEST_COV):
        return False
    if pluginmanager.has_plugin(_PYTEST_COV) or pluginmanager.has_plugin("pytest_cov.plugin"):
        return True
    if os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD"):
        # Entry points are not loaded: pytest-cov takes part only when named with `-p`, and
        # `-p` plugins are registered before this runs if named first.
        return False
    from importlib.metadata import entry_points

    return any(ep.name == _PYTEST_COV for ep in entry_points(group="pytest11"))


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    global _stepped_aside
    if _pytest_cov_active(pluginmanager):
        _stepped_aside = True
        return
    from ferrocov.pytest_plugin import options, plugin

    options.add_options(parser)
    pluginmanager.register(plugin, "ferrocov.pytest_plugin.plugin")


def pytest_configure(config: pytest.Config) -> None:
    if _stepped_aside and not hasattr(config, "workerinput"):
        config.issue_config_time_warning(FerrocovWarning(_STEP_ASIDE_MESSAGE), stacklevel=2)
