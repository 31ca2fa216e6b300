"""ferrocov run vs coverage run on every corpus program in tests/programs.

For each program: same exit code, same stdout, same stderr as plain python, the same executed lines
per file, and `coverage report -m` prints the same table whichever of the two data files it reads
(so coverage.py takes ferrocov's file as its own). On 3.10/3.11 each program runs twice: through
the frame gate, and with it switched off, which is the plain tracing ferrocov falls back to when
the gate's start-up checks fail.
"""

from __future__ import annotations

import pytest
from support import (
    FRAME_GATE_OFF,
    HAS_FRAME_GATE,
    PROGRAMS_DIR,
    PY311,
    Project,
    data_has_arcs,
    needs_py311,
    program_names,
    split_debug,
)

PROGRAMS = program_names()

# How ferrocov measures, and what `status()["frame_gate"]` must say for it (None: no gate).
TRACERS = {
    "gate-on": ({}, "on"),
    "gate-off": (FRAME_GATE_OFF, "off: FERROCOV_FRAME_GATE=off"),
}
if not HAS_FRAME_GATE:
    TRACERS = {"sysmon": ({}, None)}


def test_corpus_is_big_enough() -> None:
    assert len(PROGRAMS) >= 45, PROGRAMS


@pytest.mark.parametrize("tracer", TRACERS)
@pytest.mark.parametrize("program", PROGRAMS)
def test_parity_with_coverage_py(project: Project, program: str, tracer: str) -> None:
    if needs_py311(program) and not PY311:
        pytest.skip("needs Python 3.11+ syntax or APIs")
    project.copy_program(program)

    plain = project.python(program)
    cov = project.coverage("run", "--data-file=cov.data", program)
    env, frame_gate = TRACERS[tracer]
    fc = project.ferrocov("--debug=sys", "run", "--data-file=fc.data", program, env=env)
    status, fc_stderr = split_debug(fc.stderr, "sys")
    assert status.get("active") == "True", fc.describe()
    assert status.get("frame_gate") == frame_gate, fc.describe()

    # The oracle itself must behave like plain python, or the comparison means nothing.
    assert (cov.returncode, cov.stdout) == (plain.returncode, plain.stdout), cov.describe()

    assert fc.returncode == cov.returncode, fc.describe()
    assert fc.stdout == cov.stdout, fc.describe()
    assert fc_stderr == plain.stderr, fc.describe()

    cov_lines = project.lines("cov.data")
    fc_lines = project.lines("fc.data")
    assert program in cov_lines
    assert fc_lines == cov_lines
    assert data_has_arcs(project.path("fc.data")) is False

    cov_report = project.coverage("report", "-m", "--data-file=cov.data")
    fc_report = project.coverage("report", "-m", "--data-file=fc.data")
    assert cov_report.returncode == 0, cov_report.describe()
    assert fc_report.returncode == 0, fc_report.describe()
    assert fc_report.stdout == cov_report.stdout


def test_ungated_programs_compile_on_this_python() -> None:
    """3.11+-only syntax must live in *_py311.py programs, which 3.10 skips."""
    for name in PROGRAMS:
        if needs_py311(name) and not PY311:
            continue
        compile((PROGRAMS_DIR / name).read_bytes(), name, "exec")
