#!/usr/bin/env python3
"""Builds ferrocov's release wheels with maturin, zig (PyPI's ziglang) as C compiler and linker.

    tools/wheels.py linux PYTHON...        the manylinux2014 wheel of this machine's architecture
                                           for each interpreter; prints each wheel's path
    tools/wheels.py cross PYTHON...        the other targets (Linux aarch64, macOS x86_64/arm64,
                                           Windows x86_64) for each interpreter's version; prints
                                           a table of what built and why the rest did not
    tools/wheels.py audit WHEEL...         auditwheel's verdict on Linux wheels
    --out DIR                              also copy the built wheels into DIR (dist/ for make)

Wheels are cached under $FERROCOV_CACHE/release-wheels by target, Python version and a hash of
everything that goes into them (sources, manifests, README, build tools), so asking again for an
unchanged tree costs nothing: `make wheels` and tests/packaging share them. The builds use a cargo
target directory of their own ($FERROCOV_CACHE/target-wheels): zig as C compiler would otherwise
rebuild the bundled SQLite of the development build each time one follows the other.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import venv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("FERROCOV_CACHE") or Path.home() / ".cache" / "ferrocov")
TOOLS_REQUIREMENTS = REPO / "tools" / "wheel-requirements.txt"
TOOLS_VENV = CACHE / "wheel-tools"
WHEEL_CACHE = CACHE / "release-wheels"
TARGET_DIR = CACHE / "target-wheels"
# What a wheel is built from: a change to any file here is a new wheel.
SOURCES = (
    "Cargo.toml",
    "Cargo.lock",
    "pyproject.toml",
    "README.md",
    "crates",
    "python",
    "wheel-data",
)
HOST_TARGET = f"{platform.machine()}-unknown-linux-gnu"
# The oldest glibc a Linux wheel supports: manylinux2014 is glibc 2.17.
LINUX_COMPATIBILITY = "manylinux2014"
CROSS_TARGETS = (
    "aarch64-unknown-linux-gnu",
    "x86_64-apple-darwin",
    "aarch64-apple-darwin",
    "x86_64-pc-windows-gnu",
)


class BuildError(Exception):
    """A wheel that could not be built; the message is the build output's telling part."""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _digest_files(hasher: hashlib._Hash, root: Path, names: list[str]) -> None:
    for name in sorted(set(names)):
        path = root / name
        if not path.is_file():
            continue  # deleted in the work tree but still in git's index
        hasher.update(name.encode() + b"\0")
        hasher.update(path.read_bytes())
        hasher.update(b"\0")


def source_hash() -> str:
    """A hash of every file a wheel is built from (tracked or new, not ignored) and of the tools
    that build it."""
    hasher = hashlib.sha256()
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", *SOURCES],
            cwd=REPO,
            capture_output=True,
            check=True,
        ).stdout
        names = [name for name in listed.decode().split("\0") if name]
    except (OSError, subprocess.CalledProcessError):  # not a git checkout: walk the tree
        names = []
        for top in SOURCES:
            base = REPO / top
            if base.is_file():
                names.append(top)
            for path in base.rglob("*") if base.is_dir() else ():
                if path.is_file() and "__pycache__" not in path.parts:
                    names.append(path.relative_to(REPO).as_posix())
    _digest_files(hasher, REPO, names)
    hasher.update(TOOLS_REQUIREMENTS.read_bytes())
    hasher.update(Path(__file__).read_bytes())
    return hasher.hexdigest()[:20]


@contextlib.contextmanager
def locked(name: str) -> Iterator[None]:
    """One builder at a time (xdist workers, two make runs): cargo would serialise them anyway,
    and the second one then finds the first one's wheel in the cache."""
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / f"{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def tools_python() -> Path:
    """The venv with maturin, ziglang and auditwheel at tools/wheel-requirements.txt's pins,
    reinstalled when that file changes."""
    python = TOOLS_VENV / "bin" / "python"
    stamp = TOOLS_VENV / "requirements.txt"
    wanted = TOOLS_REQUIREMENTS.read_text()
    with locked("wheel-tools"):
        if python.is_file() and stamp.is_file() and stamp.read_text() == wanted:
            return python
        log(f"=== installing the wheel tools into {TOOLS_VENV}")
        shutil.rmtree(TOOLS_VENV, ignore_errors=True)
        venv.create(TOOLS_VENV, with_pip=True)
        subprocess.run(
            [python, "-m", "pip", "install", "--quiet", "-r", TOOLS_REQUIREMENTS],
            check=True,
            stdout=sys.stderr,
        )
        stamp.write_text(wanted)
    return python


def python_version(python: str) -> str:
    """'3.12' for an interpreter path or a name like python3.12."""
    match = re.fullmatch(r"python(3\.\d+)", python)
    if match:
        return match.group(1)
    out = subprocess.run(
        [python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def build_env(tools: Path) -> dict[str, str]:
    env = dict(os.environ)
    # maturin finds zig as `python3 -m ziglang`: the tools venv's python3 must come first.
    env["PATH"] = os.pathsep.join([str(tools.parent), env.get("PATH", "")])
    env["CARGO_TARGET_DIR"] = str(TARGET_DIR)
    env.pop("VIRTUAL_ENV", None)
    env.pop("CONDA_PREFIX", None)
    return env


def _telling_part(output: str) -> str:
    """The first compiler error and what follows it, or the output's last lines."""
    lines = output.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("error") or "💥" in line:
            return "\n".join(lines[index : index + 25])
    return "\n".join(lines[-25:])


def build_wheel(target: str, python: str) -> Path:
    """The wheel of `target` for `python` (a path, or pythonX.Y for a cross target): from the
    cache if this tree built it before, else built now."""
    version = python_version(python)
    native = target == HOST_TARGET
    key = source_hash()
    slot = WHEEL_CACHE / target / version
    done = slot / key
    wheels = sorted(done.glob("*.whl")) if done.is_dir() else []
    if wheels:
        return wheels[0]
    tools = tools_python()
    with locked("release-wheels"):
        wheels = sorted(done.glob("*.whl")) if done.is_dir() else []
        if wheels:
            return wheels[0]
        log(f"=== building the {target} wheel for Python {version} (release, zig)")
        cmd = [str(tools), "-m", "maturin", "build", "--release", "--zig", "-i", python]
        if native:
            cmd += ["--compatibility", LINUX_COMPATIBILITY]
        else:
            cmd += ["--target", target]
            if target.endswith("-linux-gnu"):
                cmd += ["--compatibility", LINUX_COMPATIBILITY]
        slot.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=slot, prefix=".building-"))
        try:
            proc = subprocess.run(
                [*cmd, "--out", str(tmp)],
                cwd=REPO,
                env=build_env(tools),
                capture_output=True,
                text=True,
                errors="replace",
                check=False,
            )
            built = sorted(tmp.glob("*.whl"))
            if proc.returncode != 0 or len(built) != 1:
                raise BuildError(
                    f"`{' '.join(cmd)}` failed (exit {proc.returncode}):\n"
                    + _telling_part(proc.stdout + proc.stderr)
                )
            # Other trees' wheels for this slot are stale: one wheel per slot is kept.
            for old in slot.iterdir():
                if old != tmp:
                    shutil.rmtree(old, ignore_errors=True)
            tmp.rename(done)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return sorted(done.glob("*.whl"))[0]


def auditwheel_show(wheel: Path) -> str:
    """auditwheel's verdict on a Linux wheel: its text, one line."""
    auditwheel = tools_python().parent / "auditwheel"
    proc = subprocess.run([auditwheel, "show", wheel], capture_output=True, text=True, check=False)
    return " ".join((proc.stdout + proc.stderr).split())


def manylinux_tag(verdict: str) -> str | None:
    """The platform tag auditwheel says a wheel is consistent with."""
    match = re.search(r'consistent with the following platform tag:\s*"([^"]+)"', verdict)
    return match.group(1) if match else None


def copy_out(wheel: Path, out: Path | None) -> None:
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        shutil.copy2(wheel, out / wheel.name)


@dataclass
class Outcome:
    target: str
    version: str
    wheel: Path | None = None
    problem: str = ""


def cmd_linux(pythons: list[str], out: Path | None) -> int:
    failed = 0
    for python in pythons:
        try:
            wheel = build_wheel(HOST_TARGET, python)
        except BuildError as exc:
            log(str(exc))
            failed += 1
            continue
        copy_out(wheel, out)
        print(wheel)
    return 1 if failed else 0


def cmd_cross(pythons: list[str], out: Path | None) -> int:
    """Each cross target for each version, until a target fails: the same code fails the same
    way for the next version, and each failure costs a build."""
    versions = [python_version(python) for python in pythons]
    outcomes: list[Outcome] = []
    for target in CROSS_TARGETS:
        for version in versions:
            outcome = Outcome(target, version)
            outcomes.append(outcome)
            try:
                outcome.wheel = build_wheel(target, f"python{version}")
                copy_out(outcome.wheel, out)
            except BuildError as exc:
                outcome.problem = str(exc)
                break
    print("=== cross-compiled wheels")
    for outcome in outcomes:
        if outcome.wheel is not None:
            print(f"{outcome.target:28} {outcome.version:5} built  {outcome.wheel.name}")
        else:
            print(f"{outcome.target:28} {outcome.version:5} FAILED (later versions not tried)")
            print("    " + outcome.problem.replace("\n", "\n    "))
    # Not an error of `make wheels`: which cross targets build is what this reports.
    return 0


def cmd_audit(wheels: list[Path]) -> int:
    failed = 0
    for wheel in wheels:
        verdict = auditwheel_show(wheel)
        tag = manylinux_tag(verdict)
        print(f"{wheel.name}: {tag or verdict}")
        if tag is None:
            failed += 1
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="copy the wheels into this directory")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("linux", "cross"):
        sub.add_parser(name).add_argument("pythons", nargs="+", metavar="PYTHON")
    sub.add_parser("audit").add_argument("wheels", nargs="+", type=Path, metavar="WHEEL")
    args = parser.parse_args(argv)
    if args.command == "linux":
        return cmd_linux(args.pythons, args.out)
    if args.command == "cross":
        return cmd_cross(args.pythons, args.out)
    return cmd_audit(args.wheels)


if __name__ == "__main__":
    sys.exit(main())
