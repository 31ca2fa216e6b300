"""Opt-in: ferrocov_analysis against coverage.py on the running interpreter's whole stdlib.

Slow (about a minute), so it runs only with FERROCOV_ANALYSIS_CORPUS=1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import oracle
import pytest
from coverage.config import DEFAULT_EXCLUDE

PY = sys.version_info[:2]

# Files that differ for a known, documented reason (see crates/ferrocov_analysis/README.md).
KNOWN = {
    # 3.11 keeps the line of a statement after a dead `try`/`finally` after `return` in `finally`.
    (3, 11): {"test/test_sys_settrace.py"},
}
EXTRA = [r"raise NotImplementedError", r"if __name__ == .__main__.:", r"@(abc\.)?abstractmethod"]


@pytest.mark.skipif(not os.environ.get("FERROCOV_ANALYSIS_CORPUS"), reason="opt-in, slow")
def test_stdlib(analyze_bin: Path) -> None:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    exclude = [*DEFAULT_EXCLUDE, *EXTRA]
    args = [str(analyze_bin), "--python", f"{PY[0]}.{PY[1]}"]
    for regex in exclude:
        args += ["--exclude", regex]
    differ = []
    for path in sorted(stdlib.rglob("*.py")):
        rel = path.relative_to(stdlib).as_posix()
        if rel.startswith("site-packages/") or rel in KNOWN.get(PY, set()):
            continue
        expected = oracle.analyze(str(path), exclude)
        out = subprocess.run([*args, str(path)], capture_output=True, text=True).stdout
        got = json.loads(out)
        if "error" in expected or "error" in got:
            if "unknown encoding" in got.get("error", ""):
                continue
            if ("error" in expected) != ("error" in got):
                differ.append(rel)
        elif any(expected[k] != got[k] for k in ("statements", "excluded", "multiline", "regions")):
            differ.append(rel)
    assert differ == []
