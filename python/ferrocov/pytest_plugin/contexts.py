"""`--cov-context=test`: each test's setup, call and teardown measured under its own context,
labelled as pytest-cov labels them (`<nodeid>|setup`, `|run`, `|teardown`).

The switches happen in the plain `pytest_runtest_setup`/`_call`/`_teardown` hooks of a plugin
object registered after pytest's own runner, so they run just before the runner does the phase's
work (fixtures, the test function). As with pytest-cov, nothing switches back after a teardown,
and what runs before the first test (imports, collection) is in the default context.
"""

from __future__ import annotations

import pytest

from ferrocov import measure

PLUGIN_NAME = "ferrocov-contexts"


class ContextSwitcher:
    """The plugin object: one context per test phase."""

    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        measure.switch_context(f"{item.nodeid}|setup")

    def pytest_runtest_call(self, item: pytest.Item) -> None:
        measure.switch_context(f"{item.nodeid}|run")

    def pytest_runtest_teardown(self, item: pytest.Item) -> None:
        measure.switch_context(f"{item.nodeid}|teardown")


def register(config: pytest.Config) -> None:
    """Switch contexts per test phase in this session (a serial session, the xdist controller or
    a worker: the phases run where the tests run)."""
    if not config.pluginmanager.has_plugin(PLUGIN_NAME):
        config.pluginmanager.register(ContextSwitcher(), PLUGIN_NAME)
