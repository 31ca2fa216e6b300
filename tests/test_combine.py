"""`ferrocov combine` and `ferrocov erase`.

combine must take coverage.py's own parallel files (`coverage run -p`) and ferrocov's shards
together, apply `[paths]` remapping exactly as `coverage combine` does, and survive a corrupt input
without losing the rest. erase removes the data file, the shards and parallel files.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from support import Project, executed_lines

LIB = """
def for_a(x):
    return x + 1


def for_b(x):
    if x > 10:
        return "big"
    return "small"


def for_nobody():
    return None
"""

PROG_A = "import lib\n\nprint(lib.for_a(1))\n"
PROG_B = "import lib\n\nprint(lib.for_b(50))\nprint(lib.for_b(1))\n"


def _two_programs(project: Project) -> dict[str, list[int]]:
    """Write prog_a, prog_b and lib; return the lines coverage.py sees for both runs together."""
    project.write("lib.py", LIB)
    project.write("prog_a.py", PROG_A)
    project.write("prog_b.py", PROG_B)
    for prog in ("prog_a.py", "prog_b.py"):
        res = project.coverage("run", "--append", "--data-file=expected.data", prog)
        assert res.returncode == 0, res.describe()
    return project.lines("expected.data")


def test_combines_coverage_parallel_files_with_shards(project: Project) -> None:
    expected = _two_programs(project)
    cov = project.coverage("run", "-p", "prog_a.py")
    assert cov.returncode == 0, cov.describe()
    coverage_files = project.parallel_files()
    assert len(coverage_files) == 1
    fc = project.ferrocov("run", "--parallel-mode", "prog_b.py")
    assert fc.returncode == 0, fc.describe()

    combined = project.ferrocov("combine")
    assert combined.returncode == 0, combined.describe()
    assert project.lines() == expected
    assert not any(p.exists() for p in coverage_files)
    assert project.shard_files() == []
    assert not project.path(".coverage-shards").exists()
    report = project.coverage("report", "-m")
    assert report.returncode == 0, report.describe()
    assert "lib.py" in report.stdout


def test_combine_explicit_directory_of_coverage_files(project: Project) -> None:
    expected = _two_programs(project)
    for prog in ("prog_a.py", "prog_b.py"):
        res = project.coverage("run", "-p", "--data-file=artifacts/.coverage", prog)
        assert res.returncode == 0, res.describe()
    assert len(list(project.path("artifacts").glob(".coverage.*"))) == 2

    combined = project.ferrocov("combine", "artifacts")
    assert combined.returncode == 0, combined.describe()
    assert project.lines() == expected


def test_combine_keep_and_append(project: Project) -> None:
    expected = _two_programs(project)
    assert project.ferrocov("run", "prog_a.py").returncode == 0
    assert project.coverage("run", "-p", "prog_b.py").returncode == 0
    inputs = project.parallel_files()
    assert len(inputs) == 1

    combined = project.ferrocov("combine", "--append", "--keep")
    assert combined.returncode == 0, combined.describe()
    assert project.lines() == expected
    assert all(p.exists() for p in inputs)


MAIN_FOR_PATHS = """
from src import calc

print(calc.area(3, 4))
"""

CALC = """
def area(w, h):
    if w < 0 or h < 0:
        raise ValueError("negative")
    return w * h


def perimeter(w, h):
    return 2 * (w + h)
"""

PATHS_RC = """
[paths]
source =
    src/
    */machine_a/src/
"""


def _make_machine_a(root: Path) -> Project:
    a = Project(root / "machine_a")
    a.write("main.py", MAIN_FOR_PATHS)
    a.write("src/__init__.py", "")
    a.write("src/calc.py", CALC)
    return a


def _make_machine_b(root: Path, name: str, data_files: list[Path]) -> Project:
    b = Project(root / name)
    b.write(".coveragerc", PATHS_RC)
    b.write("src/__init__.py", "")
    b.write("src/calc.py", CALC)
    for f in data_files:
        if f.is_dir():
            shutil.copytree(f, b.root / f.name)
        else:
            shutil.copyfile(f, b.root / f.name)
    return b


def test_paths_remapping_matches_coverage(tmp_path: Path) -> None:
    a = _make_machine_a(tmp_path)
    cov = a.coverage("run", "-p", "main.py")
    assert cov.returncode == 0, cov.describe()
    coverage_files = a.parallel_files()
    assert len(coverage_files) == 1

    oracle = _make_machine_b(tmp_path, "oracle_b", coverage_files)
    res = oracle.coverage("combine")
    assert res.returncode == 0, res.describe()
    expected = executed_lines(oracle.path(".coverage"), None)
    # Guard: the remapping really happened, so this test checks something.
    assert not any("/machine_a/src/" in name for name in expected), expected
    assert any(name.endswith("src/calc.py") for name in expected), expected

    from_coverage = _make_machine_b(tmp_path, "from_coverage_b", coverage_files)
    res = from_coverage.ferrocov("combine")
    assert res.returncode == 0, res.describe()
    got = executed_lines(from_coverage.path(".coverage"), None)
    assert _rebase(got, from_coverage.root, oracle.root) == expected

    for f in coverage_files:
        f.unlink()
    fc = a.ferrocov("run", "--parallel-mode", "main.py")
    assert fc.returncode == 0, fc.describe()
    ferrocov_inputs = [*a.parallel_files(), a.path(".coverage-shards")]
    ferrocov_inputs = [p for p in ferrocov_inputs if p.exists()]
    assert ferrocov_inputs
    shutil.rmtree(a.path("src"))  # the sources are gone, as on a CI artifact machine
    from_shards = _make_machine_b(tmp_path, "from_shards_b", ferrocov_inputs)
    res = from_shards.ferrocov("combine")
    assert res.returncode == 0, res.describe()
    got = executed_lines(from_shards.path(".coverage"), None)
    assert _rebase(got, from_shards.root, oracle.root) == expected


def _rebase(lines: dict[str, list[int]], old: Path, new: Path) -> dict[str, list[int]]:
    """Rename files under ``old`` to the same place under ``new`` (remapped paths are absolute)."""
    out = {}
    for name, value in lines.items():
        path = Path(name)
        if path.is_absolute() and path.is_relative_to(old.resolve()):
            name = str(new.resolve() / path.relative_to(old.resolve()))
        out[name] = value
    return out


def _garbage(size: int = 4096) -> bytes:
    rng = random.Random(20240229)
    return b"\x00\xffnot a shard\x00" + bytes(rng.randrange(256) for _ in range(size))


@pytest.mark.parametrize("kind", ["shard", "coverage-parallel-file"])
def test_corrupt_input_is_reported_and_kept(project: Project, kind: str) -> None:
    expected = _two_programs(project)
    assert project.ferrocov("run", "--parallel-mode", "prog_a.py").returncode == 0
    assert project.coverage("run", "-p", "prog_b.py").returncode == 0
    if kind == "shard":
        bad = project.path(".coverage-shards/badhost.4242.x1y2z3.fcshard")
    else:
        bad = project.path(".coverage.badhost.4242.x1y2z3")
    bad.parent.mkdir(parents=True, exist_ok=True)
    payload = _garbage()
    bad.write_bytes(payload)

    combined = project.ferrocov("combine")
    assert bad.name in combined.output, combined.describe()
    assert bad.read_bytes() == payload, "a corrupt input must be kept untouched"
    assert project.lines() == expected


def test_corrupt_coverage_file_is_skipped_by_coverage_too(project: Project) -> None:
    # Guards the test above: coverage.py itself skips (and keeps) an unreadable parallel file.
    _two_programs(project)
    assert project.coverage("run", "-p", "prog_b.py").returncode == 0
    bad = project.path(".coverage.badhost.4242.x1y2z3")
    payload = _garbage()
    bad.write_bytes(payload)
    res = project.coverage("combine")
    assert bad.name in res.output
    assert bad.read_bytes() == payload
    assert "prog_b.py" in project.lines()


@pytest.mark.parametrize("data_file", [None, "custom.data"])
def test_erase_removes_data_shards_and_parallel_files(
    project: Project, data_file: str | None
) -> None:
    project.write("lib.py", LIB)
    project.write("prog_a.py", PROG_A)
    name = data_file or ".coverage"
    option = [f"--data-file={name}"]
    assert project.ferrocov("run", *option, "prog_a.py").returncode == 0
    assert project.ferrocov("run", *option, "--parallel-mode", "prog_a.py").returncode == 0
    assert project.coverage("run", *option, "-p", "prog_a.py").returncode == 0
    project.write("unrelated.txt", "keep me\n")
    assert project.path(name).is_file()
    assert project.parallel_files(name)

    erased = project.ferrocov("erase", *option)
    assert erased.returncode == 0, erased.describe()
    assert not project.path(name).exists()
    assert project.parallel_files(name) == []
    assert not project.path(f"{name}-shards").exists()
    assert project.path("unrelated.txt").is_file()
    assert project.path("prog_a.py").is_file()

    again = project.ferrocov("erase", *option)
    assert again.returncode == 0, again.describe()
