"""What the installed package ships: typing information that matches the extension module, and a
command-line entry point that works both ways it can be started."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import ferrocov
from ferrocov import _ferrocov
from support import Project

PACKAGE_DIR = Path(ferrocov.__file__).parent


def test_typing_files_are_installed() -> None:
    assert (PACKAGE_DIR / "py.typed").is_file()
    assert (PACKAGE_DIR / "_ferrocov.pyi").is_file()


def test_stub_names_exist_in_the_extension_module() -> None:
    stub = ast.parse((PACKAGE_DIR / "_ferrocov.pyi").read_text())
    names = {node.name for node in stub.body if isinstance(node, ast.FunctionDef | ast.ClassDef)}
    names |= {
        target.id
        for node in stub.body
        if isinstance(node, ast.AnnAssign) and isinstance(target := node.target, ast.Name)
    }
    # The thread hook only exists where the C trace function is compiled in.
    if sys.version_info >= (3, 12):
        names.discard("_ctrace_thread_start")
    missing = sorted(name for name in names if not hasattr(_ferrocov, name))
    assert missing == []
    public = {name for name in dir(_ferrocov) if not name.startswith("_")} | {"__version__"}
    assert public <= names, f"not in the stub: {sorted(public - names)}"


def test_version_is_the_crate_version() -> None:
    assert ferrocov.__version__ == _ferrocov.__version__
    assert ferrocov.__version__.count(".") == 2


def test_console_script_and_module_agree(project: Project) -> None:
    script = Path(sys.executable).parent / "ferrocov"
    assert script.is_file()
    from support import run

    by_script = run([str(script), "--version"], project.root)
    by_module = project.ferrocov("--version")
    assert by_script.returncode == by_module.returncode == 0
    assert by_script.stdout == by_module.stdout
    assert ferrocov.__version__ in by_script.stdout
