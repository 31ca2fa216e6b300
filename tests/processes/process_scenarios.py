"""The multi-process scenario matrix: real programs that start Python processes in every way issue 5
lists, each with worker functions whose lines carry a ``# mark: TAG`` comment.

A scenario is run twice in a fresh directory, once with plain ``python`` and once with
``python -m ferrocov run``; it passes when every marked line it expects is in the combined
``.coverage``, nothing but that file is left next to the program, and the exit code and stdout
equal plain Python's. Shared by ``test_process_matrix.py`` and ``benches/stress.py`` (which
repeats every scenario and counts losses), so nothing here depends on pytest.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import sqlite3
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

# Generous: a spawn pool on a loaded two-core machine; a hang is a failure, not a slow pass.
SCENARIO_TIMEOUT = 180.0

START_METHODS = tuple(
    m for m in ("fork", "spawn", "forkserver") if m in multiprocessing.get_all_start_methods()
)

# The program a child process runs in the subprocess/exec/spawn scenarios.
KID = """
import os
import sys


def kid_work(n):
    total = 0  # mark: kid
    for i in range(n):  # mark: kid
        total += i  # mark: kid
    return total  # mark: kid


if __name__ == "__main__":
    print("kid", kid_work(4), os.environ.get("EXTRA_VAR", "-"), flush=True)
"""

LAUNCH = """
import os
import shutil
import subprocess
import sys

how = sys.argv[1]
python = sys.executable if sys.argv[2] == "sys.executable" else shutil.which("python3")
kid = [python, "kid.py"]
extra_env = dict(os.environ, EXTRA_VAR="extra")


def in_forked_child(then):
    pid = os.fork()
    if pid == 0:
        try:
            then()
        finally:
            os._exit(127)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


if how == "run":
    print(subprocess.run(kid, check=True).returncode)
elif how == "popen":
    with subprocess.Popen(kid, stdout=subprocess.PIPE, text=True) as proc:
        print(proc.communicate()[0], end="")
    print(proc.returncode)
elif how == "check_output":
    print(subprocess.check_output(kid, text=True), end="")
elif how == "system":
    print(os.waitstatus_to_exitcode(os.system("python3 kid.py")))
elif how == "execv":
    print(in_forked_child(lambda: os.execv(python, kid)))
elif how == "execve":
    print(in_forked_child(lambda: os.execve(python, kid, extra_env)))
elif how == "execvpe":
    print(in_forked_child(lambda: os.execvpe("python3", ["python3", "kid.py"], extra_env)))
elif how == "spawnv":
    print(os.spawnv(os.P_WAIT, python, kid))
elif how == "spawnve":
    print(os.spawnve(os.P_WAIT, python, kid, extra_env))
elif how == "posix_spawn":
    pid = os.posix_spawn(python, kid, extra_env)
    print(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
elif how == "wiped_env":
    print(subprocess.run(kid, env={}).returncode)  # mark: wiped_env
elif how == "disabled":
    disabled_env = dict(os.environ, FERROCOV_DISABLE="1")  # mark: disabled
    print(subprocess.run(kid, env=disabled_env).returncode)  # mark: disabled
else:
    raise SystemExit(f"unknown mode {how}")
"""

# Three levels below the measured program: subprocess, then multiprocessing spawn, then os.fork.
CHAIN = """
import multiprocessing
import os
import subprocess
import sys


def level3():
    return "level3"  # mark: level3


def level2():
    pid = os.fork()  # mark: level2
    if pid == 0:
        level3()
        os._exit(0)
    os.waitpid(pid, 0)  # mark: level2


if __name__ == "__main__":
    if sys.argv[1] == "top":
        subprocess.run([sys.executable, "prog.py", "level1"], check=True)
        print("chain done")
    else:
        print("level1")  # mark: level1
        proc = multiprocessing.get_context("spawn").Process(target=level2)  # mark: level1
        proc.start()
        proc.join()
        print("level2 exit", proc.exitcode)
"""

MULTIPROCESSING = """
import concurrent.futures
import multiprocessing
import sys


def mp_work(x):
    y = x * x  # mark: mp
    return y + 1  # mark: mp


def process_target(queue):
    queue.put(mp_work(3))  # mark: mp_process


if __name__ == "__main__":
    method, kind = sys.argv[1], sys.argv[2]
    ctx = multiprocessing.get_context(method)
    if kind == "process":
        queue = ctx.Queue()
        proc = ctx.Process(target=process_target, args=(queue,))
        proc.start()
        print(queue.get(timeout=120))
        proc.join()
        print(proc.exitcode)
    elif kind == "pool_close_join":
        pool = ctx.Pool(2)
        print(pool.map(mp_work, range(8)))
        pool.close()
        pool.join()
    elif kind == "pool_with":
        with ctx.Pool(2) as pool:  # leaving the block calls terminate()
            print(pool.map(mp_work, range(8)))
    elif kind == "pool_unclosed":
        pool = ctx.Pool(2)
        print(pool.map(mp_work, range(8)))
    elif kind == "pool32":
        with ctx.Pool(4) as pool:
            print(sum(pool.map(mp_work, range(32), chunksize=1)))
    elif kind == "executor":
        with concurrent.futures.ProcessPoolExecutor(2, mp_context=ctx) as executor:
            print(list(executor.map(mp_work, range(8))))
    else:
        raise SystemExit(f"unknown kind {kind}")
"""

FORK = """
import os
import sys


def fork_work():
    total = sum(range(10))  # mark: fork
    return total  # mark: fork


if __name__ == "__main__":
    how = sys.argv[1]
    pids = []
    for _ in range(3):
        pid = os.fork()
        if pid == 0:
            fork_work()
            if how == "os_exit":
                os._exit(0)
            sys.exit(0)
        pids.append(pid)
    print([os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids])
"""

THREADS = """
import concurrent.futures
import multiprocessing
import os
import subprocess
import sys
import threading


def thread_work(out, i):
    out.append(i * 2)  # mark: thread


def executor_work(i):
    return i + 100  # mark: executor


def use_threads():
    out = []
    threads = [threading.Thread(target=thread_work, args=(out, i)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with concurrent.futures.ThreadPoolExecutor(3) as executor:
        results = list(executor.map(executor_work, range(5)))
    print(sorted(out), results, flush=True)


if __name__ == "__main__":
    where = sys.argv[1]
    if where == "here":
        use_threads()
    elif where == "subprocess":
        subprocess.run([sys.executable, "prog.py", "here"], check=True)
    elif where == "fork":
        pid = os.fork()
        if pid == 0:
            use_threads()
            os._exit(0)
        print(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
    else:
        proc = multiprocessing.get_context(where).Process(target=use_threads)
        proc.start()
        proc.join()
        print(proc.exitcode)
"""

VICTIM = """
import ctypes
import os
import signal
import sys
import time


def victim_work():
    total = 0  # mark: victim
    for i in range(5):  # mark: victim
        total += i  # mark: victim
    return total  # mark: victim


if __name__ == "__main__":
    how = sys.argv[1]
    victim_work()
    if how == "os_exit":
        os._exit(7)
    if how == "segfault":
        ctypes.string_at(0)
    if how == "self_sigterm":
        os.kill(os.getpid(), signal.SIGTERM)
    print("ready", flush=True)
    time.sleep(120)
"""

KILLER = """
import multiprocessing
import signal
import subprocess
import sys
import time


def mp_victim(event):
    total = sum(range(7))  # mark: mp_victim
    event.set()  # mark: mp_victim
    time.sleep(120)


if __name__ == "__main__":
    how = sys.argv[1]
    victim = [sys.executable, "victim.py"]
    if how in ("sigterm", "sigkill"):
        proc = subprocess.Popen([*victim, "sleep"], stdout=subprocess.PIPE)
        assert proc.stdout.readline() == b"ready\\n"
        proc.send_signal(getattr(signal, how.upper()))
        print(proc.wait())
        proc.stdout.close()
    elif how in ("os_exit", "segfault", "self_sigterm"):
        print(subprocess.run([*victim, how]).returncode)
    elif how == "timeout":
        try:
            subprocess.run([*victim, "sleep"], stdout=subprocess.PIPE, timeout=6)
        except subprocess.TimeoutExpired as exc:
            print("timed out after", exc.output)
    elif how in ("mp_terminate", "mp_kill"):
        ctx = multiprocessing.get_context(sys.argv[2])
        event = ctx.Event()
        proc = ctx.Process(target=mp_victim, args=(event,))
        proc.start()
        assert event.wait(120)
        proc.terminate() if how == "mp_terminate" else proc.kill()
        proc.join()
        print(proc.exitcode)
    else:
        raise SystemExit(f"unknown mode {how}")
"""

# What a program can see of its process: every signal disposition, its threads, its hooks. The
# same program under plain Python must print the same thing.
OBSERVE = """
import multiprocessing
import os
import signal
import subprocess
import sys
import threading


def describe(handler):
    if handler == signal.SIG_DFL:
        return "default"
    if handler == signal.SIG_IGN:
        return "ignore"
    if handler is None:
        return "none"
    return getattr(handler, "__qualname__", "other")


def observe(where):
    handlers = []
    for sig in sorted(signal.valid_signals()):
        try:
            handlers.append((int(sig), describe(signal.getsignal(sig))))
        except (OSError, ValueError):
            pass
    tasks = len(os.listdir("/proc/self/task")) if os.path.isdir("/proc/self/task") else -1
    hooks = (sys.excepthook is sys.__excepthook__, threading.excepthook is threading.__excepthook__)
    print(where, threading.active_count(), tasks, hooks, handlers, flush=True)  # mark: observe


def observe_in_pool(_):
    observe("pool worker")


if __name__ == "__main__":
    where = sys.argv[1]
    if where == "here":
        observe("here")
    elif where == "subprocess":
        subprocess.run([sys.executable, "prog.py", "here"], check=True)
    elif where == "fork":
        pid = os.fork()
        if pid == 0:
            observe("fork")
            os._exit(0)
        os.waitpid(pid, 0)
    elif where == "pool":
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            pool.map(observe_in_pool, [0])
    else:
        proc = multiprocessing.get_context(where).Process(target=observe, args=(where,))
        proc.start()
        proc.join()
"""

# The start-up hook run a second time (pyenv virtualenvs process site-packages twice), in the
# measured program and in a child.
PTH_TWICE = """
import site
import subprocess
import sys
import sysconfig


def twice_work():
    return "twice"  # mark: twice


site.addsitedir(sysconfig.get_paths()["purelib"])
if sys.argv[1] == "here":
    print(twice_work())
else:
    subprocess.run([sys.executable, "prog.py", "here"], check=True)
"""


@dataclass(frozen=True)
class Scenario:
    """One program and what its run must leave in the data."""

    name: str
    files: dict[str, str]
    args: tuple[str, ...] = ()
    # file name -> tags whose lines must all be in the combined data
    expect: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # files that must not be in the data at all (a process that must not be measured)
    unmeasured: tuple[str, ...] = ()
    timeout: float = SCENARIO_TIMEOUT

    @property
    def id(self) -> str:
        return self.name


def _scenarios() -> list[Scenario]:
    found: list[Scenario] = []
    launch = {"prog.py": LAUNCH, "kid.py": KID}
    for how in ("run", "popen", "check_output"):
        for exe in ("sys.executable", "python3"):
            found.append(
                Scenario(
                    f"subprocess-{how}-{exe.replace('.', '_')}",
                    launch,
                    (how, exe),
                    {"kid.py": ("kid",)},
                )
            )
    for how in ("system", "execv", "execve", "execvpe", "spawnv", "spawnve", "posix_spawn"):
        found.append(
            Scenario(f"launch-{how}", launch, (how, "sys.executable"), {"kid.py": ("kid",)})
        )
    for how in ("wiped_env", "disabled"):
        # The launching process is measured (its lines that start the child), the child not.
        found.append(
            Scenario(
                f"launch-{how}",
                launch,
                (how, "sys.executable"),
                {"prog.py": (how,)},
                unmeasured=("kid.py",),
            )
        )
    found.append(
        Scenario(
            "grandchildren-3-levels",
            {"prog.py": CHAIN},
            ("top",),
            {"prog.py": ("level1", "level2", "level3")},
        )
    )
    for method in START_METHODS:
        for kind in ("process", "pool_close_join", "pool_with", "pool_unclosed", "executor"):
            tags = ("mp", "mp_process") if kind == "process" else ("mp",)
            found.append(
                Scenario(
                    f"mp-{method}-{kind}",
                    {"prog.py": MULTIPROCESSING},
                    (method, kind),
                    {"prog.py": tags},
                )
            )
    if "spawn" in START_METHODS:
        found.append(
            Scenario(
                "mp-spawn-pool32",
                {"prog.py": MULTIPROCESSING},
                ("spawn", "pool32"),
                {"prog.py": ("mp",)},
            )
        )
    for how in ("os_exit", "sys_exit"):
        found.append(Scenario(f"fork-{how}", {"prog.py": FORK}, (how,), {"prog.py": ("fork",)}))
    for where in ("here", "subprocess", "fork", *(m for m in START_METHODS if m != "fork")):
        found.append(
            Scenario(
                f"threads-{where}",
                {"prog.py": THREADS},
                (where,),
                {"prog.py": ("thread", "executor")},
            )
        )
    killer = {"prog.py": KILLER, "victim.py": VICTIM}
    for how in ("sigterm", "sigkill", "os_exit", "segfault", "self_sigterm", "timeout"):
        found.append(Scenario(f"death-{how}", killer, (how,), {"victim.py": ("victim",)}))
    for method in START_METHODS:
        for how in ("mp_terminate", "mp_kill"):
            found.append(
                Scenario(
                    f"death-{how}-{method}", killer, (how, method), {"prog.py": ("mp_victim",)}
                )
            )
    for where in ("here", "subprocess", "fork", "pool", *(m for m in START_METHODS if m != "fork")):
        found.append(
            Scenario(f"observe-{where}", {"prog.py": OBSERVE}, (where,), {"prog.py": ("observe",)})
        )
    for where in ("here", "child"):
        found.append(
            Scenario(
                f"pth-twice-{where}", {"prog.py": PTH_TWICE}, (where,), {"prog.py": ("twice",)}
            )
        )
    return found


SCENARIOS = _scenarios()


def program_text(text: str) -> str:
    """A program as written to disk (the constants above start with a newline)."""
    return textwrap.dedent(text).lstrip("\n")


def marked_lines(text: str, tag: str) -> set[int]:
    """Lines of `text` (as `program_text` writes it) carrying `# mark: <tag>`."""
    text = program_text(text)
    pattern = re.compile(rf"#\s*mark:\s*{re.escape(tag)}\b")
    return {n for n, line in enumerate(text.splitlines(), start=1) if pattern.search(line)}


def expected_lines(scenario: Scenario) -> dict[str, set[int]]:
    """The lines each file of `scenario` must have in the data: those its tags mark. A tag that
    marks nothing, or a file expected with no tag, is a broken scenario that could never fail."""
    expected: dict[str, set[int]] = {}
    for name, tags in scenario.expect.items():
        assert tags, f"{scenario.name}: {name} is expected with no tag"
        expected[name] = set()
        for tag in tags:
            lines = marked_lines(scenario.files[name], tag)
            assert lines, f"{scenario.name}: no line of {name} is marked {tag!r}"
            expected[name] |= lines
    return expected


def read_data(data_file: Path, context: str | None = None) -> dict[str, set[int]]:
    """Executed lines per measured file of a coverage.py data file (schema 7, numbits; for
    branch data the positive ends of the arcs, as coverage.py's `lines()`), read with sqlite3 so
    the harness needs nothing installed. With `context`, only the lines measured in it."""
    con = sqlite3.connect(f"file:{data_file}?mode=ro", uri=True)
    try:
        paths = dict(con.execute("select id, path from file"))
        lines: dict[str, set[int]] = {path: set() for path in paths.values()}
        ids = {
            context_id
            for context_id, label in con.execute("select id, context from context")
            if context is None or label == context
        }
        arcs = con.execute("select file_id, context_id, fromno, tono from arc")
        for file_id, context_id, fromno, tono in arcs:
            if context_id in ids:
                lines[paths[file_id]].update(n for n in (fromno, tono) if n > 0)
        line_bits = con.execute("select file_id, context_id, numbits from line_bits")
        for file_id, context_id, numbits in line_bits:
            if context_id not in ids:
                continue
            lines[paths[file_id]].update(
                index * 8 + bit
                for index, byte in enumerate(numbits)
                for bit in range(8)
                if byte & (1 << bit)
            )
    finally:
        con.close()
    return lines


def scenario_env(python: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment both runs get: ours without coverage/ferrocov variables, with the
    interpreter's own bin directory first on PATH so that `python3` is that interpreter."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("COVERAGE_", "FERROCOV_", "PYTEST_"))
        and key not in ("PYTHONSAFEPATH", "PYTHONSTARTUP", "PYTHONINSPECT")
    }
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    env["PATH"] = os.pathsep.join([os.path.dirname(python), env.get("PATH", "")])
    env.update(extra or {})
    return env


@dataclass
class Outcome:
    """What one run of a scenario showed. `lost` lists expected lines missing from the data;
    `problems` everything else that went wrong (leftovers, output or exit code differences)."""

    lost: dict[str, list[int]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.lost and not self.problems

    def describe(self) -> str:
        parts = [f"lost lines {self.lost}"] if self.lost else []
        return "\n".join(parts + self.problems)


def _run(
    cmd: list[str], cwd: Path, env: dict[str, str], timeout: float
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        check=False,
        # Its own session, so that a scenario's stray processes can't outlive a timeout unseen.
        start_new_session=True,
    )


# The label a scenario runs under with `context`: what a test's label is to its processes.
SCENARIO_CONTEXT = "tests/test_scenario.py::test_scenario|run"

# With `context`, the measured run starts here: switch to the test's context first, then run the
# scenario's program as `python prog.py ARGS` would (as a test running it in-process does).
IN_CONTEXT = """
import runpy
import sys

from ferrocov import measure

measure.switch_context(sys.argv[1])
sys.argv = ["prog.py", *sys.argv[2:]]
runpy.run_path("prog.py", run_name="__main__")
"""


def _leftovers(root: Path, scenario: Scenario) -> list[str]:
    allowed = {*scenario.files, ".coverage", "in_context.py"}
    return sorted(
        str(path.relative_to(root))
        for path in root.rglob("*")
        if path.relative_to(root).parts[0] not in allowed
    )


def _run_mode(
    scenario: Scenario,
    root: Path,
    python: str,
    measured: bool,
    branch: bool = False,
    context: bool = False,
) -> subprocess.CompletedProcess[str]:
    root.mkdir(parents=True)
    for name, text in scenario.files.items():
        (root / name).write_text(program_text(text))
    run = ["-m", "ferrocov", "run", *(["--branch"] if branch else [])]
    program = ["prog.py"]
    if measured and context:
        (root / "in_context.py").write_text(program_text(IN_CONTEXT))
        program = ["in_context.py", SCENARIO_CONTEXT]
    cmd = [python, *(run if measured else []), *program, *scenario.args]
    return _run(cmd, root, scenario_env(python), scenario.timeout)


def run_plain(
    scenario: Scenario, workdir: Path, python: str = sys.executable
) -> subprocess.CompletedProcess[str]:
    """The scenario under plain Python: the exit code and output a measured run must match."""
    return _run_mode(scenario, workdir / "plain", python, measured=False)


def run_scenario(
    scenario: Scenario,
    workdir: Path,
    python: str = sys.executable,
    plain: subprocess.CompletedProcess[str] | None = None,
    branch: bool = False,
    context: bool = False,
) -> Outcome:
    """Run `scenario` under `ferrocov run` (and under plain `python`, unless its `plain` result
    is given) in fresh directories below `workdir`, and say what went wrong. With `context` the
    program runs in the context `SCENARIO_CONTEXT`, as a test would, and every expected line
    must be measured in that context: a process it starts, however it ends, keeps the label."""
    outcome = Outcome()
    try:
        if plain is None:
            plain = run_plain(scenario, workdir, python)
        measured = _run_mode(
            scenario,
            workdir / "ferrocov",
            python,
            measured=True,
            branch=branch,
            context=context,
        )
    except subprocess.TimeoutExpired as exc:
        outcome.problems.append(f"{exc.cmd} did not finish within {scenario.timeout} s")
        return outcome
    if (measured.returncode, measured.stdout) != (plain.returncode, plain.stdout):
        outcome.problems.append(
            f"exit code/stdout differ from plain python:\n"
            f"plain: {plain.returncode} {plain.stdout!r}\n{plain.stderr}\n"
            f"ferrocov: {measured.returncode} {measured.stdout!r}\n{measured.stderr}"
        )
    elif measured.stderr != plain.stderr and "segfault" not in scenario.name:
        outcome.problems.append(
            f"stderr differs from plain python:\nplain: {plain.stderr}\nferrocov: {measured.stderr}"
        )
    root = workdir / "ferrocov"
    leftovers = _leftovers(root, scenario)
    if leftovers:
        outcome.problems.append(f"left behind: {leftovers}")
    expected = expected_lines(scenario)
    data_file = root / ".coverage"
    if not data_file.is_file():
        outcome.problems.append(f"no data file\n{measured.stderr}")
        outcome.lost = {name: sorted(lines) for name, lines in expected.items()}
        return outcome
    data = read_data(data_file, SCENARIO_CONTEXT if context else None)
    real_root = os.path.realpath(root)
    by_name = {
        os.path.relpath(path, real_root): lines
        for path, lines in data.items()
        if lines or not context
    }
    for name, lines in expected.items():
        if name not in by_name:
            outcome.lost[name] = sorted(lines)
        elif lines - by_name[name]:
            outcome.lost[name] = sorted(lines - by_name[name])
    for name in scenario.unmeasured:
        if name in by_name:
            outcome.problems.append(f"{name} was measured but must not be: {sorted(by_name[name])}")
    return outcome
