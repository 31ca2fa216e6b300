"""The `ferrocov` command's entry point.

Rust parses the command line and runs every command itself; only `run` comes back here, because
executing a Python program needs this interpreter.
"""

from __future__ import annotations

import sys

from ferrocov import _ferrocov


def main(argv: list[str] | None = None) -> int:
    """Run the `ferrocov` command line and return its exit status."""
    args = list(sys.argv if argv is None else argv)
    if args:
        args[0] = "ferrocov"
    outcome = _ferrocov.main(args)
    if isinstance(outcome, int):
        return outcome
    from ferrocov.run_program import run_plan

    return run_plan(outcome)
