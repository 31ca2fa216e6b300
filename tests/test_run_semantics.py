"""`ferrocov run` runs a program exactly as plain python does, and measures what it should.

Most checks compare ferrocov against plain `python` (the program must not notice it is measured);
checks on what is measured compare against coverage.py run with the same options. Two checks go
beyond coverage.py on purpose: atexit handlers and non-daemon threads still running after the main
module ends are measured by ferrocov (coverage.py stops measuring before either runs).
"""

from __future__ import annotations

import json
import os
import re
import sys
import sysconfig
from pathlib import Path

import pytest
from support import Project, marked_lines

INTROSPECT = """
import json
import os
import sys

print(json.dumps({
    "argv": sys.argv,
    "name": __name__,
    "file": __file__,
    "package": __package__,
    "spec_is_none": __spec__ is None,
    "doc": __doc__,
    "path": sys.path,
    "cwd": os.getcwd(),
    "main_is_us": sys.modules["__main__"].__dict__ is globals(),
}, indent=1))
"""


def _same_as_python(project: Project, *args: str, stdin: str | None = None) -> None:
    plain = project.python(*args, stdin=stdin)
    fc = project.ferrocov("run", *args, stdin=stdin)
    assert fc.returncode == plain.returncode, fc.describe()
    assert fc.stdout == plain.stdout
    assert fc.stderr == plain.stderr


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["one", "two words", "--flag", "x=y", "", "ünïcödé"],
        ["-m", "not-a-module", "--data-file=arg-for-the-program"],
    ],
    ids=["no-args", "spaces-and-unicode", "options-belong-to-program"],
)
def test_script_sees_what_python_gives_it(project: Project, args: list[str]) -> None:
    project.write("prog.py", INTROSPECT)
    _same_as_python(project, "prog.py", *args)
    # Options after the script are the program's: none may be taken by ferrocov.
    assert not project.path("arg-for-the-program").exists()


def test_script_in_subdirectory(project: Project) -> None:
    project.write("tools/prog.py", INTROSPECT)
    project.write("tools/sibling.py", "VALUE = 'sibling imported'\n")
    project.write("tools/uses_sibling.py", "import sibling\nprint(sibling.VALUE)\n")
    _same_as_python(project, "tools/prog.py", "a")
    _same_as_python(project, "tools/uses_sibling.py")
    out = json.loads(project.ferrocov("run", "tools/prog.py").stdout)
    assert os.path.realpath(out["path"][0]) == os.path.realpath(project.path("tools"))
    assert out["name"] == "__main__"


MODULE_INTROSPECT = """
import json
import sys

print(json.dumps({
    "argv": sys.argv,
    "name": __name__,
    "file": __file__,
    "package": __package__,
    "spec": __spec__.name,
    "path0": sys.path[0],
}))
"""


@pytest.mark.parametrize("link", ["file", "directory"])
def test_script_through_a_symlink_sees_what_python_gives_it(project: Project, link: str) -> None:
    """Python puts the directory of the script's real path on sys.path (a sibling of the real
    file is importable), while __file__ and argv keep the name given."""
    project.write("real/prog.py", INTROSPECT + "import sibling\nprint(sibling.VALUE)\n")
    project.write("real/sibling.py", "VALUE = 'found'\n")
    if link == "file":
        project.path("prog.py").symlink_to(project.path("real/prog.py"))
        program = "prog.py"
    else:
        project.path("linked").symlink_to(project.path("real"), target_is_directory=True)
        program = os.path.join("linked", "prog.py")
    assert project.python(program).stdout.endswith("found\n")
    _same_as_python(project, program)


def test_dash_m_module(project: Project) -> None:
    project.write("tools/__init__.py", "")
    project.write("tools/report.py", MODULE_INTROSPECT)
    _same_as_python(project, "-m", "tools.report", "arg one", "--two")
    fc = project.ferrocov("run", "-m", "tools.report", "x")
    assert json.loads(fc.stdout)["name"] == "__main__"
    cov = project.coverage("run", "--data-file=cov.data", "-m", "tools.report", "x")
    assert cov.returncode == 0, cov.describe()
    assert "tools/report.py" in project.lines("cov.data")
    assert project.lines() == project.lines("cov.data")


def test_dash_m_package_with_main(project: Project) -> None:
    project.write("app/__init__.py", "INIT_RAN = True\n")
    project.write(
        "app/__main__.py", MODULE_INTROSPECT + "from app import INIT_RAN\nprint(INIT_RAN)\n"
    )
    _same_as_python(project, "-m", "app", "--verbose")
    project.ferrocov("run", "-m", "app")
    lines = project.lines()
    assert lines["app/__init__.py"] == [1]
    assert lines["app/__main__.py"]


def test_dash_m_missing_module_fails_like_python(project: Project) -> None:
    plain = project.python("-m", "no_such_module_here")
    fc = project.ferrocov("run", "-m", "no_such_module_here")
    assert plain.returncode != 0
    assert fc.returncode != 0
    assert "no_such_module_here" in fc.output


@pytest.mark.parametrize(
    ("source", "expected_code"),
    [
        ("print('fine')\n", 0),
        ("import sys\nprint('bye')\nsys.exit(3)\nprint('not here')\n", 3),
        ("import sys\nsys.exit('fatal: configuration is broken')\n", 1),
        ("raise SystemExit(None)\n", 0),
        ("import os\nprint('x', flush=True)\nos._exit(7)\n", 7),
        ("import sys\nsys.stdout.write('partial')\nsys.exit(255)\n", 255),
    ],
    ids=["zero", "exit-3", "exit-message", "exit-none", "os-exit-7", "exit-255"],
)
def test_exit_codes_and_messages(project: Project, source: str, expected_code: int) -> None:
    project.write("prog.py", source)
    plain = project.python("prog.py")
    assert plain.returncode == expected_code
    _same_as_python(project, "prog.py")


def test_exit_message_is_on_stderr(project: Project) -> None:
    project.write("prog.py", "import sys\nsys.exit('fatal: configuration is broken')\n")
    fc = project.ferrocov("run", "prog.py")
    assert fc.returncode == 1
    assert fc.stderr == "fatal: configuration is broken\n"
    assert fc.stdout == ""


TRACEBACK_PROG = """
import helper


def middle(value):
    try:
        return helper.parse(value)
    except KeyError as exc:
        raise RuntimeError(f"could not parse {value!r}") from exc


print("before the crash", flush=True)  # mark: ran
middle("bad")  # mark: ran
print("not reached")  # mark: not-ran
"""

TRACEBACK_HELPER = """
TABLE = {"good": 1}


def parse(value):
    return TABLE[value]
"""


def _frames(stderr: str) -> list[str]:
    return [line.strip() for line in stderr.splitlines() if line.strip().startswith("File ")]


def test_uncaught_exception_traceback(project: Project) -> None:
    project.write("prog.py", TRACEBACK_PROG)
    project.write("helper.py", TRACEBACK_HELPER)
    plain = project.python("prog.py")
    fc = project.ferrocov("run", "prog.py")

    assert plain.returncode == fc.returncode == 1
    assert fc.stdout == plain.stdout == "before the crash\n"
    fc_tail = fc.stderr.rstrip("\n").splitlines()
    py_tail = plain.stderr.rstrip("\n").splitlines()
    assert fc_tail[-1] == py_tail[-1] == "RuntimeError: could not parse 'bad'"
    assert fc_tail[-4:] == py_tail[-4:]
    # Both parts of the chained traceback have exactly python's frames: nothing of ferrocov's.
    assert _frames(fc.stderr) == _frames(plain.stderr)
    assert "The above exception was the direct cause" in fc.stderr
    root = os.path.realpath(project.root)
    for frame in _frames(fc.stderr):
        path = re.match(r'File "([^"]+)"', frame)
        assert path is not None, frame
        assert os.path.realpath(path.group(1)).startswith(root), frame
    outside_project = fc.stderr.replace(str(project.root), "<proj>").replace(root, "<proj>")
    assert "ferrocov" not in outside_project.lower()
    assert "runpy" not in outside_project
    # The lines run before the crash were measured and saved.
    lines = set(project.lines()["prog.py"])
    assert marked_lines(project.path("prog.py"), "ran") <= lines
    assert not marked_lines(project.path("prog.py"), "not-ran") & lines
    assert project.lines()["helper.py"] == [1, 4, 5]


def test_stdin_is_passed_through(project: Project) -> None:
    project.write(
        "prog.py",
        """
        import sys

        first = input()
        rest = sys.stdin.read()
        print(first.upper())
        print(len(rest.splitlines()), rest.count("x"))
        """,
    )
    data = "hello there\nx one\nxx two\nthree\n"
    _same_as_python(project, "prog.py", stdin=data)
    assert project.ferrocov("run", "prog.py", stdin=data).stdout == "HELLO THERE\n3 3\n"


def test_atexit_handlers_run_and_are_measured(project: Project) -> None:
    project.write(
        "prog.py",
        """
        import atexit


        def farewell(name):
            message = f"goodbye {name}"  # mark: handler
            print(message)  # mark: handler


        atexit.register(farewell, "world")
        print("main done")
        """,
    )
    _same_as_python(project, "prog.py")
    fc = project.ferrocov("run", "prog.py")
    assert fc.stdout == "main done\ngoodbye world\n"
    handler = marked_lines(project.path("prog.py"), "handler")
    assert handler <= set(project.lines()["prog.py"])


def test_non_daemon_thread_outliving_main_is_measured(project: Project) -> None:
    project.write(
        "prog.py",
        """
        import threading
        import time

        started = threading.Event()


        def late_worker():
            started.set()
            time.sleep(0.2)
            total = sum(range(10))  # mark: late
            print("worker finished", total)  # mark: late


        def never():
            return "never"  # mark: never


        threading.Thread(target=late_worker).start()
        started.wait()
        print("main module done")
        """,
    )
    _same_as_python(project, "prog.py")
    lines = set(project.lines()["prog.py"])
    assert marked_lines(project.path("prog.py"), "late") <= lines
    assert not marked_lines(project.path("prog.py"), "never") & lines


SELECTION_FILES = {
    "app.py": """
        import sys

        sys.path.insert(0, "vendor")
        import extlib
        from lib_a import core
        from lib_b import util

        print(core.double(3), util.shout("x"), extlib.VERSION)
        """,
    "lib_a/__init__.py": "",
    "lib_a/core.py": """
        def double(x):
            return x * 2


        def unused():
            return 0
        """,
    "lib_a/unused.py": "NEVER_IMPORTED = True\n",
    "lib_b/__init__.py": "NAME = 'b'\n",
    "lib_b/util.py": """
        def shout(s):
            return s.upper() + "!"
        """,
    "vendor/extlib.py": "VERSION = '1.2'\n",
}


@pytest.mark.parametrize(
    "options",
    [
        [],
        ["--source=lib_a"],
        ["--source=lib_a,lib_b"],
        ["--source=."],
        ["--include=lib_b/*"],
        ["--include=*/core.py,app.py"],
        ["--omit=lib_a/*"],
        ["--omit=*/util.py,app.py"],
        ["--source=.", "--omit=vendor/*"],
        ["--source=lib_a", "--include=lib_b/*"],
    ],
    ids=lambda opts: " ".join(opts) or "defaults",
)
def test_selection_options_match_coverage(project: Project, options: list[str]) -> None:
    for name, text in SELECTION_FILES.items():
        project.write(name, text)
    cov = project.coverage("run", "--data-file=cov.data", *options, "app.py")
    fc = project.ferrocov("run", "--data-file=fc.data", *options, "app.py")
    assert cov.returncode == 0, cov.describe()
    assert fc.returncode == 0, fc.describe()
    assert fc.stdout == cov.stdout == "6 X! 1.2\n"
    assert project.lines("fc.data") == project.lines("cov.data")


def test_stdlib_and_site_packages_are_never_measured(project: Project) -> None:
    project.write(
        "prog.py",
        """
        import email.utils
        import json
        import textwrap

        import pluggy

        print(json.dumps({"a": [1, 2]}), textwrap.shorten("a b c d e f", 7))
        print(email.utils.parseaddr("Ann <ann@example.com>"))
        manager = pluggy.PluginManager("demo")
        print(type(manager).__name__)
        """,
    )
    fc = project.ferrocov("run", "prog.py")
    assert fc.returncode == 0, fc.describe()
    lines = project.lines()
    assert set(lines) == {"prog.py"}
    cov = project.coverage("run", "--data-file=cov.data", "prog.py")
    assert cov.returncode == 0
    assert set(project.lines("cov.data")) == {"prog.py"}
    assert lines == project.lines("cov.data")


def test_stdlib_dirs_really_exist() -> None:
    # Guards the test above: the stdlib and site-packages modules it uses are Python source files.
    import pluggy

    assert Path(pluggy.__file__).suffix == ".py"
    assert Path(sysconfig.get_paths()["stdlib"], "json", "__init__.py").is_file()


BRANCHY = """
import sys

mode = sys.argv[1]
if mode == "a":
    print("took a")  # mark: a
else:
    print("took b")  # mark: b
print("end")
"""


def test_data_file_option(project: Project) -> None:
    project.write("prog.py", BRANCHY)
    project.path("out").mkdir()
    fc = project.ferrocov("run", "--data-file=out/custom.db", "prog.py", "a")
    assert fc.returncode == 0, fc.describe()
    assert not project.path(".coverage").exists()
    cov = project.coverage("run", "--data-file=out/cov.db", "prog.py", "a")
    assert cov.returncode == 0, cov.describe()
    assert set(project.lines("out/cov.db")) == {"prog.py"}
    assert project.lines("out/custom.db") == project.lines("out/cov.db")


def test_coverage_file_environment_variable(project: Project) -> None:
    project.write("prog.py", BRANCHY)
    fc = project.ferrocov("run", "prog.py", "a", env={"COVERAGE_FILE": "from-env.data"})
    assert fc.returncode == 0, fc.describe()
    assert not project.path(".coverage").exists()
    cov = project.coverage("run", "prog.py", "a", env={"COVERAGE_FILE": "cov-env.data"})
    assert cov.returncode == 0, cov.describe()
    assert "prog.py" in project.lines("cov-env.data")
    assert project.lines("from-env.data") == project.lines("cov-env.data")


def test_append_adds_and_plain_run_replaces(project: Project) -> None:
    project.write("prog.py", BRANCHY)
    a_line = marked_lines(project.path("prog.py"), "a")
    b_line = marked_lines(project.path("prog.py"), "b")

    for tool in (project.coverage, project.ferrocov):
        data = "cov.data" if tool == project.coverage else "fc.data"
        assert tool("run", f"--data-file={data}", "prog.py", "a").returncode == 0
        assert tool("run", f"--data-file={data}", "--append", "prog.py", "b").returncode == 0
    appended = set(project.lines("fc.data")["prog.py"])
    assert a_line | b_line <= appended
    assert project.lines("fc.data") == project.lines("cov.data")

    assert project.ferrocov("run", "--data-file=fc.data", "prog.py", "b").returncode == 0
    replaced = set(project.lines("fc.data")["prog.py"])
    assert b_line <= replaced
    assert not a_line & replaced


def test_parallel_mode_leaves_data_for_combine(project: Project) -> None:
    project.write("prog.py", BRANCHY)
    for arg in ("a", "b"):
        fc = project.ferrocov("run", "--parallel-mode", "prog.py", arg)
        assert fc.returncode == 0, fc.describe()
    assert not project.path(".coverage").exists()
    assert project.shard_files() or project.parallel_files()

    combined = project.ferrocov("combine")
    assert combined.returncode == 0, combined.describe()
    lines = set(project.lines()["prog.py"])
    assert (
        marked_lines(project.path("prog.py"), "a") | marked_lines(project.path("prog.py"), "b")
        <= lines
    )
    # What coverage.py's `run -p` twice and `combine` give.
    cov_env = {"COVERAGE_FILE": "cov.data"}
    for arg in ("a", "b"):
        assert project.coverage("run", "-p", "prog.py", arg, env=cov_env).returncode == 0
    assert project.coverage("combine", env=cov_env).returncode == 0
    assert project.lines() == project.lines("cov.data")
    # Combined inputs are consumed, as coverage.py's combine does.
    assert project.shard_files() == []
    assert project.parallel_files() == []


CONFIG_CASES = {
    ".coveragerc": ("[run]\nomit = lib_b/*\ndata_file = cfg.data\n", {}),
    "setup.cfg": ("[coverage:run]\nomit = lib_b/*\ndata_file = cfg.data\n", {}),
    "tox.ini": ("[coverage:run]\nomit = lib_b/*\ndata_file = cfg.data\n", {}),
    "pyproject.toml": (
        '[tool.coverage.run]\nomit = ["lib_b/*"]\ndata_file = "cfg.data"\n',
        {},
    ),
    "custom.ini": (
        "[run]\nomit = lib_b/*\ndata_file = cfg.data\n",
        {"COVERAGE_RCFILE": "custom.ini"},
    ),
}


@pytest.mark.parametrize("config_name", sorted(CONFIG_CASES))
def test_config_files_are_honoured(project: Project, config_name: str) -> None:
    text, env = CONFIG_CASES[config_name]
    for name, source in SELECTION_FILES.items():
        project.write(name, source)
    project.write(config_name, text)

    cov = project.coverage("run", "app.py", env=env)
    assert cov.returncode == 0, cov.describe()
    expected = project.lines("cfg.data")
    assert "lib_b/util.py" not in expected
    project.path("cfg.data").unlink()

    fc = project.ferrocov("run", "app.py", env=env)
    assert fc.returncode == 0, fc.describe()
    assert not project.path(".coverage").exists()
    assert project.lines("cfg.data") == expected


def test_rcfile_option(project: Project) -> None:
    for name, source in SELECTION_FILES.items():
        project.write(name, source)
    project.write("conf/cov.ini", "[run]\nomit = lib_a/*\ndata_file = rc.data\n")
    project.write(".coveragerc", "[run]\ndata_file = ignored.data\n")
    fc = project.ferrocov("run", "--rcfile=conf/cov.ini", "app.py")
    assert fc.returncode == 0, fc.describe()
    assert not project.path("ignored.data").exists()
    lines = project.lines("rc.data")
    assert "lib_a/core.py" not in lines
    project.path("rc.data").rename(project.path("fc-rc.data"))
    cov = project.coverage("run", "--rcfile=conf/cov.ini", "app.py")
    assert cov.returncode == 0, cov.describe()
    assert project.lines("fc-rc.data") == project.lines("rc.data")
    assert "lib_b/util.py" in lines


BAD_CONFIGS = [
    (".coveragerc", "[run]\nparallel = sometimes\n", "parallel"),
    ("setup.cfg", "[coverage:run]\ntimid = 12\n", "timid"),
    ("pyproject.toml", '[tool.coverage.run]\nbranch = "sometimes"\n', "branch"),
]


@pytest.mark.parametrize(
    ("config_name", "text", "key"), BAD_CONFIGS, ids=[c[0] for c in BAD_CONFIGS]
)
def test_bad_config_value_is_a_clear_error(
    project: Project, config_name: str, text: str, key: str
) -> None:
    project.write(config_name, text)
    project.write("prog.py", "open('program-ran', 'w').close()\nprint('PROGRAM RAN')\n")
    # coverage.py rejects the same value, so this really is a bad configuration.
    assert project.coverage("run", "prog.py").returncode != 0
    assert not project.path("program-ran").exists()

    fc = project.ferrocov("run", "prog.py")
    assert fc.returncode != 0, fc.describe()
    assert "PROGRAM RAN" not in fc.stdout
    assert not project.path("program-ran").exists()
    message = fc.output.lower()
    assert config_name in message, fc.describe()
    assert "run" in message
    assert key in message, fc.describe()
    assert "traceback" not in message


def test_plain_python_and_ferrocov_use_the_same_interpreter(project: Project) -> None:
    project.write("prog.py", "import sys\nprint(sys.executable, sys.version_info[:2])\n")
    _same_as_python(project, "prog.py")
    assert project.ferrocov("run", "prog.py").stdout.split()[0] == sys.executable
