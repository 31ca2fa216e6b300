"""Opt-in: ferrocov_analysis against coverage.py on the running interpreter's whole stdlib
(`tools/stdlib_sweep.py`; CI runs a time-boxed sample of it on one version).

Slow (about a minute), so it runs only with FERROCOV_ANALYSIS_CORPUS=1.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))

import stdlib_sweep


@pytest.mark.skipif(not os.environ.get("FERROCOV_ANALYSIS_CORPUS"), reason="opt-in, slow")
def test_stdlib(analyze_bin: Path) -> None:
    sweep = stdlib_sweep.run(str(analyze_bin), sample=None, max_seconds=None, seed=0)
    assert sweep.differ == []
    assert sweep.one_rejected == []
