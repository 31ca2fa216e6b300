"""The three pinned real packages of the ``slow`` tests, and how each is laid out and tested.

Each runs from its unpacked sdist, put on PYTHONPATH rather than installed, so the files measured
are exactly the unpacked ones whichever tool or environment runs the tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Package:
    name: str  # the distribution, which is also the import name
    version: str
    source: str  # --source: the package directory, relative to the unpacked sdist
    pythonpath: str  # what goes on PYTHONPATH so the unpacked package is the one imported
    tests: tuple[str, ...]  # pytest arguments: test paths and options
    # The tests that start Python processes: with contexts, ferrocov records what those
    # processes run under the starting test's label, pytest-cov in the empty context.
    starts_processes: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.name}-{self.version}"


PACKAGES = [
    Package(
        "idna",
        "3.20",
        source="idna",
        pythonpath=".",
        tests=("tests", "--ignore=tests/test_idna_properties.py"),
        starts_processes=("tests/test_idna_cli.py::CLIModuleEntryTests",),
    ),
    Package("toolz", "1.2.0", source="toolz", pythonpath=".", tests=("toolz",)),
    Package("iniconfig", "2.3.1", source="src/iniconfig", pythonpath="src", tests=("testing",)),
]

# pytest's own options for every run: no cache directory written into the sdist, and no random
# test order should pytest-randomly be installed.
PYTEST_OPTIONS = ("-q", "-p", "no:cacheprovider", "-p", "no:randomly")


def measure_child_processes(root: Path) -> str:
    """Add coverage.py's ``[run] patch = ["subprocess"]`` to the unpacked package's pyproject.toml.

    ferrocov measures every Python process a test starts (idna's CLI tests run ``python -m
    idna``); coverage.py, and so pytest-cov 7, measure child processes only with this setting, so
    the coverage.py runs get it to measure the same processes. Returns the file's previous text.
    """
    return add_run_setting(root, 'patch = ["subprocess"]')


def add_run_setting(root: Path, setting: str) -> str:
    """Add one ``[tool.coverage.run]`` setting to the unpacked package's pyproject.toml, where
    each package keeps its coverage configuration (or has none). Returns the file's previous
    text."""
    pyproject = root / "pyproject.toml"
    original = pyproject.read_text(encoding="utf-8")
    header = "[tool.coverage.run]\n"
    if header in original:
        text = original.replace(header, header + setting + "\n", 1)
    else:
        text = original.rstrip("\n") + "\n\n" + header + setting + "\n"
    pyproject.write_text(text, encoding="utf-8")
    return original
