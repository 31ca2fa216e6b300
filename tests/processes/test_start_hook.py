"""The start-up hook (`ferrocov.pth` -> `ferrocov.measure.start_child`) outside the happy path:
whatever the environment says, it never raises and never changes what a program prints or
returns (one warning line at most), and a forked child owns its shard from the fork on."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from ferrocov import _ferrocov
from process_scenarios import program_text, read_data, scenario_env

pytestmark = [
    pytest.mark.processes,
    pytest.mark.skipif(sys.platform == "win32", reason="fork and /proc"),
]

PROGRAM = """
import sys


def work():
    return sum(range(5))


print("result", work())
sys.stdout.flush()
print("to stderr", file=sys.stderr)
sys.exit(3)
"""

VALID_SETTINGS = {
    "format": _ferrocov.FORMATS["run_settings"],
    "cwd": "/",
    "source_dirs": [],
    "source_specified": False,
    "include": [],
    "omit": [],
    "cover_pylib": False,
    "debug_trace": False,
}


def _run(
    root: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=root,
        env=scenario_env(sys.executable, env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _broken_envs(tmp_path: Path) -> dict[str, dict[str, str]]:
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    a_file = tmp_path / "a-file"
    a_file.write_text("not a directory")
    return {
        "absent-dir": {"FERROCOV_RUN_DIR": str(tmp_path / "gone")},
        "empty-dir-name": {"FERROCOV_RUN_DIR": ""},
        "dir-is-a-file": {"FERROCOV_RUN_DIR": str(a_file)},
        "unwritable-dir": {"FERROCOV_RUN_DIR": "/proc/self"},
        "no-config": {"FERROCOV_RUN_DIR": str(run_dir)},
        "config-not-json": {"FERROCOV_RUN_DIR": str(run_dir), "FERROCOV_CONFIG": "{not json"},
        "config-a-list": {"FERROCOV_RUN_DIR": str(run_dir), "FERROCOV_CONFIG": "[1, 2]"},
        "config-null": {"FERROCOV_RUN_DIR": str(run_dir), "FERROCOV_CONFIG": "null"},
        "config-wrong-types": {
            "FERROCOV_RUN_DIR": str(run_dir),
            "FERROCOV_CONFIG": json.dumps({**VALID_SETTINGS, "source_dirs": 5, "omit": None}),
        },
        "config-bad-pattern": {
            "FERROCOV_RUN_DIR": str(run_dir),
            "FERROCOV_CONFIG": json.dumps({**VALID_SETTINGS, "include": ["[z-a]"]}),
        },
        "config-other-format": {
            "FERROCOV_RUN_DIR": str(run_dir),
            "FERROCOV_CONFIG": json.dumps({**VALID_SETTINGS, "format": 999}),
        },
        "disabled-and-broken": {
            "FERROCOV_RUN_DIR": str(run_dir),
            "FERROCOV_CONFIG": "garbage",
            "FERROCOV_DISABLE": "1",
        },
    }


BROKEN = [
    "absent-dir",
    "empty-dir-name",
    "dir-is-a-file",
    "unwritable-dir",
    "no-config",
    "config-not-json",
    "config-a-list",
    "config-null",
    "config-wrong-types",
    "config-bad-pattern",
    "config-other-format",
    "disabled-and-broken",
]


@pytest.mark.parametrize("case", BROKEN)
def test_broken_run_never_changes_the_program(tmp_path: Path, case: str) -> None:
    (tmp_path / "prog.py").write_text(program_text(PROGRAM))
    plain = _run(tmp_path, "prog.py")
    broken = _run(tmp_path, "prog.py", env=_broken_envs(tmp_path)[case])
    assert (
        (broken.returncode, broken.stdout)
        == (plain.returncode, plain.stdout)
        == (
            3,
            "result 10\n",
        )
    )
    extra = broken.stderr.replace(plain.stderr, "", 1).splitlines()
    assert broken.stderr.endswith(plain.stderr)
    assert len(extra) <= 1, broken.stderr
    assert all(line.startswith("ferrocov: warning: ") for line in extra), broken.stderr
    if case in ("absent-dir", "empty-dir-name", "dir-is-a-file", "disabled-and-broken"):
        assert extra == [], "an ended or disabled run is not worth a warning"
    if case == "config-other-format":
        # Settings another ferrocov published are not misread: the child says why it is not
        # measured, and measures nothing.
        assert "format 999" in extra[0], broken.stderr
        assert not any((tmp_path / "run").iterdir())


def test_broken_ferrocov_install_is_silent(tmp_path: Path) -> None:
    """A `ferrocov` that fails to import (shadowed, half-installed) means no measurement."""
    (tmp_path / "prog.py").write_text(program_text(PROGRAM))
    shadow = tmp_path / "shadow" / "ferrocov"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise RuntimeError('broken install')\n")
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    env = {
        "PYTHONPATH": str(shadow.parent),
        "FERROCOV_RUN_DIR": str(run_dir),
        "FERROCOV_CONFIG": json.dumps(VALID_SETTINGS),
    }
    plain = _run(tmp_path, "prog.py")
    broken = _run(tmp_path, "prog.py", env=env)
    assert (broken.returncode, broken.stdout, broken.stderr) == (
        plain.returncode,
        plain.stdout,
        plain.stderr,
    )


def test_hook_twice_in_one_interpreter(tmp_path: Path) -> None:
    """Running the .pth line again, and `start_child` directly, keeps the one measurement."""
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    settings = {**VALID_SETTINGS, "cwd": str(tmp_path)}
    (tmp_path / "prog.py").write_text(
        program_text(
            """
            import glob
            import sysconfig

            from ferrocov import _ferrocov, measure

            first = _ferrocov.status()["shard"]
            pth = glob.glob(sysconfig.get_paths()["purelib"] + "/ferrocov.pth")[0]
            for _ in range(2):
                exec(open(pth).read())
                measure.start_child()
            assert _ferrocov.status()["shard"] == first
            print("same shard")
            """
        )
    )
    env = {"FERROCOV_RUN_DIR": str(run_dir), "FERROCOV_CONFIG": json.dumps(settings)}
    result = _run(tmp_path, "prog.py", env=env)
    assert (result.returncode, result.stdout, result.stderr) == (0, "same shard\n", "")
    assert len(list(run_dir.glob("*.fcshard"))) == 1


FORK_SHARD = """
import json
import os

from ferrocov import _ferrocov


def report(who):
    status = _ferrocov.status()
    shard = os.path.realpath(status["shard"])
    open_files = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            open_files.add(os.path.realpath(os.readlink(f"/proc/self/fd/{fd}")))
        except OSError:
            pass
    with open("/proc/self/maps") as maps:
        mapped = {line.split()[-1] for line in maps if line.count(" ") >= 5}
    print(json.dumps({"who": who, "pid": os.getpid(), "shard": shard,
                      "open": sorted(f for f in open_files if f.endswith(".fcshard")),
                      "mapped": sorted(f for f in mapped if f.endswith(".fcshard"))}), flush=True)


# Runs in the child right after ferrocov's own fork hook, before any line of the child's own.
os.register_at_fork(after_in_child=lambda: report("child-at-fork"))
report("parent")
pid = os.fork()
if pid == 0:
    report("child-later")
    os._exit(0)
os.waitpid(pid, 0)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd and maps")
def test_forked_child_owns_its_shard_from_the_fork(tmp_path: Path) -> None:
    (tmp_path / "prog.py").write_text(program_text(FORK_SHARD))
    result = _run(tmp_path, "-m", "ferrocov", "run", "prog.py")
    assert result.returncode == 0, result.stderr
    reports = {r["who"]: r for r in map(json.loads, result.stdout.splitlines())}
    parent = reports["parent"]
    assert parent["open"] == parent["mapped"] == [parent["shard"]]
    for who in ("child-at-fork", "child-later"):
        child = reports[who]
        assert child["pid"] != parent["pid"]
        assert child["shard"] != parent["shard"]
        assert f".{child['pid']}." in os.path.basename(child["shard"])
        # The parent's shard is neither open nor mapped in the child: it cannot write there.
        assert child["open"] == child["mapped"] == [child["shard"]], child
    assert reports["child-at-fork"]["shard"] == reports["child-later"]["shard"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".coverage", "prog.py"]


SHARD_MAGIC = b"FCSHARD\x1a"


def _checksum(file_id: int, path: bytes) -> int:
    value = 0xCBF29CE484222325
    for byte in file_id.to_bytes(4, "little") + path:
        value = ((value ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return value | 1


def _word(value: int) -> bytes:
    return value.to_bytes(8, "little")


def _shard(*records: bytes, pid: int = 4242) -> bytes:
    version = _ferrocov.FORMATS["shard"]
    header = SHARD_MAGIC + _word(version | (64 << 32)) + _word(pid) + _word(1) + bytes(32)
    return header + b"".join(records) + bytes(64)


def _path_record(file_id: int, path: str, *, header: bool = True) -> bytes:
    raw = path.encode()
    body = _word(_checksum(file_id, raw)) + raw + bytes(-len(raw) % 8)
    head = _word((2 << 60) | (file_id << 32) | len(raw)) if header else _word(0)
    return head + body


def _line(file_id: int, line: int) -> bytes:
    return _word((1 << 60) | (file_id << 32) | line)


DAMAGED = """
import os
import pathlib

run_dir = pathlib.Path(os.environ["FERROCOV_RUN_DIR"])
for name, data in SHARDS.items():
    (run_dir / name).write_bytes(data)
print("planted", len(SHARDS))
"""


def test_damaged_shards_combine_cleanly_and_unreadable_ones_are_kept(tmp_path: Path) -> None:
    """Shards of processes that died mid-write keep everything before the tear; a shard that
    can't be read at all is kept, with a warning, and never deleted."""
    root = tmp_path.resolve()
    torn_mid_path = _shard(
        _path_record(0, f"{root}/torn.py"),
        _line(0, 1),
        _line(0, 2),
        _line(0, 3),
        # Killed while writing a path record: body stored, header word not yet.
        _path_record(1, f"{root}/never.py", header=False),
    )
    torn_garbage = _shard(
        _path_record(0, f"{root}/torn2.py"),
        _line(0, 5),
        _line(0, 6),
        _path_record(1, f"{root}/bad-sum.py")[:8] + _word(12345) + b"bad-sum.py\0\0\0\0\0\0",
        _line(1, 9),
    )
    unreadable = {
        "zz-not-a-shard.fcshard": b"this is not a shard at all",
        "zz-newer-version.fcshard": SHARD_MAGIC + _word(99 | (64 << 32)) + bytes(48),
        "zz-header-only.fcshard": SHARD_MAGIC,
    }
    # A process killed while creating its shard leaves it under its hidden temporary name.
    host = socket.gethostname().replace(".", "_")
    stale_temp = f".{host}.4999999.abcdefgh.fcshard.tmp"
    shards = {
        "a-torn.fcshard": torn_mid_path,
        "b-torn.fcshard": torn_garbage,
        stale_temp: SHARD_MAGIC,
        **unreadable,
    }
    (tmp_path / "prog.py").write_text(f"SHARDS = {shards!r}\n" + program_text(DAMAGED))
    result = _run(tmp_path, "-m", "ferrocov", "run", "prog.py")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"planted {len(shards)}\n"
    data = read_data(tmp_path / ".coverage")
    assert data[f"{root}/torn.py"] == {1, 2, 3}
    assert data[f"{root}/torn2.py"] == {5, 6}
    assert not any(path.endswith(("never.py", "bad-sum.py")) for path in data)
    assert f"{root}/prog.py" in data
    assert not list(tmp_path.rglob(stale_temp))
    left = sorted((tmp_path / ".coverage-shards").rglob("*.fcshard"))
    assert sorted(p.name for p in left) == sorted(unreadable)
    for path in left:
        assert path.read_bytes() == unreadable[path.name], "an unreadable shard is kept as it was"
        assert path.name in result.stderr, result.stderr
    # Once the bad files are dealt with, the next combine has nothing to keep, and what the
    # data file holds stays as it was.
    for path in left:
        path.unlink()
    combined = _run(tmp_path, "-m", "ferrocov", "combine")
    assert not (tmp_path / ".coverage-shards").exists(), combined.stderr
    assert read_data(tmp_path / ".coverage") == data, combined.stderr


@pytest.mark.parametrize("same_interpreter", [True, False])
def test_child_reuses_owner_dirs_only_for_the_same_interpreter(
    tmp_path: Path, same_interpreter: bool
) -> None:
    """A child of the owner's interpreter takes the library directories from the run's settings
    (computing them is most of a measured child's start-up); any other interpreter computes its
    own. Seen through `own_dirs`: a directory listed there is never measured."""
    (tmp_path / "prog.py").write_text(program_text(PROGRAM))
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    probe = _run(
        tmp_path,
        "-c",
        "import json; from ferrocov import measure; print(json.dumps(measure._interpreter_key()))",
        env={"FERROCOV_DISABLE": "1"},
    )
    key = json.loads(probe.stdout)
    if not same_interpreter:
        key[0] = "another interpreter"
    dirs = {"pylib_dirs": [], "third_party_dirs": [], "own_dirs": [str(tmp_path.resolve())]}
    settings = {**VALID_SETTINGS, "cwd": str(tmp_path), "interpreter": {"key": key, "dirs": dirs}}
    env = {"FERROCOV_RUN_DIR": str(run_dir), "FERROCOV_CONFIG": json.dumps(settings)}
    result = _run(tmp_path, "prog.py", env=env)
    assert result.returncode == 3, result.stderr
    assert "ferrocov" not in result.stderr
    combined = tmp_path / ".coverage"
    combine = subprocess.run(
        [sys.executable, "-m", "ferrocov", "combine", "--data-file", str(combined), str(run_dir)],
        cwd=tmp_path,
        env=scenario_env(sys.executable, {}),
        check=False,
        capture_output=True,
        text=True,
    )
    assert combine.returncode == 0, combine.stderr
    measured = read_data(combined)
    own = str(tmp_path.resolve())
    if same_interpreter:
        # The run's own_dirs (the project) were taken as they are: nothing of it is measured.
        assert not [name for name in measured if name.startswith(own + os.sep)], measured
    else:
        # This interpreter's own directories: the program is measured, line for line as
        # coverage.py measures it.
        oracle = tmp_path / "oracle"
        oracle.mkdir()
        (oracle / "prog.py").write_text(program_text(PROGRAM))
        _run(oracle, "-m", "coverage", "run", "--data-file=oracle.data", "prog.py")
        expected = read_data(oracle / "oracle.data")
        assert list(expected) == [str((oracle / "prog.py").resolve())], expected
        assert measured[f"{own}/prog.py"] == next(iter(expected.values())), measured
