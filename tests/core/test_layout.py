"""The shape of the house: the build never imports the web layer, settings are documented."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import iprkg
from iprkg.core.settings import SETTINGS, Settings, find_project_root

PACKAGE = Path(iprkg.__file__).parent
WEB_LAYER = {"flask", "werkzeug", "jinja2"}
CORE_BUILD_MODULES = {"settings", "formats", "sources", "validation", "dumps", "manifest"}


def import_nodes(path: Path) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement in ``path``, at any depth (lazy imports included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)]


def imported_packages(path: Path) -> set[str]:
    """Top-level names of every package ``path`` imports."""
    names: set[str] = set()
    for node in import_nodes(path):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def iprkg_modules_imported(path: Path) -> set[str]:
    """Modules of this package that ``path`` imports, as ``iprkg.x`` names."""
    found: set[str] = set()
    for node in import_nodes(path):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("iprkg.")}
        elif node.level > 0 or (node.module or "").split(".")[0] == "iprkg":
            module = "iprkg." + (node.module or "") if node.level else node.module or ""
            module = module.rstrip(".")
            found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names}
    return {name for name in found if module_path(name) is not None}


def module_path(name: str) -> Path | None:
    """The file of module ``iprkg.x.y`` in this package, if it is a module."""
    relative = Path(*name.split(".")[1:])
    if name == "iprkg":  # the package itself (``from iprkg import __version__``)
        return None
    for candidate in (PACKAGE / relative.with_suffix(".py"), PACKAGE / relative / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def build_closure() -> set[str]:
    """Every package module that ``iprkg.build.build`` imports, directly or not."""
    seen: set[str] = set()
    todo = ["iprkg.build.build"]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            path = module_path(name)
            assert path is not None, name
            todo.extend(iprkg_modules_imported(path) - seen)
    return seen


BUILD_MODULES = sorted(build_closure())


def test_the_build_closure_holds_the_core_modules() -> None:
    assert {f"iprkg.{name}" for name in CORE_BUILD_MODULES} <= set(BUILD_MODULES)


@pytest.mark.parametrize("module", BUILD_MODULES)
def test_build_modules_never_import_the_web_layer(module: str) -> None:
    path = module_path(module)
    assert path is not None
    assert imported_packages(path) & WEB_LAYER == set()


def test_running_the_command_line_loads_no_web_layer() -> None:
    code = (
        "import sys, iprkg.cli.main, iprkg.build.build\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {sorted(WEB_LAYER)!r}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_every_setting_is_documented_in_the_readme(project_root: Path) -> None:
    readme = project_root / "README.md"
    assert readme.is_file(), "README.md is missing: it documents every setting"
    text = readme.read_text(encoding="utf-8")
    missing = [setting.env for setting in SETTINGS if setting.env not in text]
    assert missing == [], f"settings not documented in README.md: {missing}"


def test_every_setting_has_a_default_and_help() -> None:
    envs = [setting.env for setting in SETTINGS]
    assert len(envs) == len(set(envs))
    for setting in SETTINGS:
        assert setting.help.strip().endswith("."), setting.env
        assert setting.env.isupper(), setting.env


def test_the_project_root_is_found_upward_from_the_current_folder(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    nested = tmp_path / "data" / "councils"
    nested.mkdir(parents=True)
    assert find_project_root(nested) == tmp_path
    settings = Settings.load(environ={}, cwd=nested)
    assert settings.root == tmp_path
    assert settings.data == tmp_path / "data"
    assert settings.dist == tmp_path / "dist"
    assert settings.external == (tmp_path / ".." / "shared" / "external").resolve()


def test_without_pyproject_the_root_is_the_current_folder(tmp_path: Path) -> None:
    # tmp_path may sit under a folder with a pyproject.toml; IPRKG_ROOT is then the way.
    if find_project_root(tmp_path) == tmp_path.resolve():
        assert Settings.load(environ={}, cwd=tmp_path).root == tmp_path.resolve()
    assert Settings.load(environ={"IPRKG_ROOT": str(tmp_path)}).root == tmp_path.resolve()
