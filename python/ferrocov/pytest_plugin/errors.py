"""The warnings ferrocov's pytest plugin issues. The names follow pytest-cov's, so filters
written for those read the same here."""

from __future__ import annotations

import pytest


class FerrocovWarning(pytest.PytestWarning):
    """Base of every warning ferrocov's pytest plugin issues."""


class CovDisabledWarning(FerrocovWarning):
    """Coverage was turned off with `--no-cov`."""


class CovReportWarning(FerrocovWarning):
    """A report could not be made; the total counts as 0."""


class CovNotMeasuredWarning(FerrocovWarning):
    """The session could not be measured (an unusable configuration, say)."""


class CentralCovContextWarning(FerrocovWarning):
    """`[run] dynamic_context = test_function` is set and `--cov-context=test` given: pytest's
    per-phase labels are recorded, not the test functions' (pytest-cov's warning name)."""
