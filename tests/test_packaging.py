"""What the installed package ships: typing information that matches the extension module, and a
command-line entry point that works both ways it can be started."""

from __future__ import annotations

import ast
import importlib.metadata
import re
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


def _cargo_workspace_version() -> str:
    """The version in the workspace's Cargo.toml: the one place the version is written."""
    text = (Path(__file__).resolve().parents[1] / "Cargo.toml").read_text()
    section = text.split("[workspace.package]", 1)[1]
    match = re.search(r'^version\s*=\s*"([^"]+)"', section, re.MULTILINE)
    assert match, "no version in [workspace.package]"
    return match.group(1)


def test_version_is_the_crate_version() -> None:
    """pyproject.toml declares the version dynamic; the wheel's metadata, the package and the
    extension all carry Cargo's."""
    expected = _cargo_workspace_version()
    assert importlib.metadata.version("ferrocov") == expected
    assert ferrocov.__version__ == expected
    assert _ferrocov.__version__ == expected
    pyproject = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text()
    assert 'dynamic = ["version"]' in pyproject
    assert not re.search(r"^version\s*=", pyproject, re.MULTILINE)


def test_protocol_values_come_from_rust() -> None:
    """The Python shell and the start-up hook use the names the Rust core defines."""
    from ferrocov import measure
    from ferrocov.pytest_plugin import handle

    assert _ferrocov.ENV["run_dir"] == measure.RUN_DIR_VAR == "FERROCOV_RUN_DIR"
    assert _ferrocov.ENV["config"] == measure.CONFIG_VAR
    assert _ferrocov.ENV["disable"] == measure.DISABLE_VAR == handle._DISABLE_VAR
    hook = next(Path(p) / "ferrocov.pth" for p in sys.path if (Path(p) / "ferrocov.pth").is_file())
    assert f'"{measure.RUN_DIR_VAR}" in os.environ' in hook.read_text()
    assert set(_ferrocov.FORMATS) == {"shard", "data_schema", "json_report", "run_settings"}
    assert _ferrocov.FORMATS["data_schema"] == 7  # coverage.py's schema, which it reads


def test_console_script_and_module_agree(project: Project) -> None:
    script = Path(sys.executable).parent / "ferrocov"
    assert script.is_file()
    from support import run

    by_script = run([str(script), "--version"], project.root)
    by_module = project.ferrocov("--version")
    assert by_script.returncode == by_module.returncode == 0
    assert by_script.stdout == by_module.stdout
    assert ferrocov.__version__ in by_script.stdout
