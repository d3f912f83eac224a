"""The shape of the house, where import-linter cannot say it.

The import rules (layers, no Flask below web/, no rdflib below services/, independent
route modules) are import-linter's contracts in pyproject.toml, run by ``make lint``.
These tests check the rest: the size of the rooms, that the contracts name every route
module, that the command line loads no web layer at run time, and that every setting is
documented.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import iprkg
from iprkg.core.settings import SETTINGS, Settings, find_project_root

PACKAGE = Path(iprkg.__file__).parent
WEB_LAYER = {"flask", "werkzeug", "jinja2"}
MAX_TOP_ENTRIES = 12
MAX_MODULE_LINES = 400


def package_modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def defines_a_blueprint(path: Path) -> bool:
    """Whether the module assigns ``blueprint = Blueprint(...)`` at its top level."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Name)
            and node.value.func.id == "Blueprint"
        ):
            return True
    return False


def module_name(path: Path) -> str:
    return ".".join(("iprkg", *path.relative_to(PACKAGE).with_suffix("").parts))


def test_the_top_of_the_package_has_at_most_12_entries() -> None:
    entries = sorted(p.name for p in PACKAGE.iterdir() if p.name != "__pycache__")
    assert len(entries) <= MAX_TOP_ENTRIES, entries
    loose = [
        name
        for name in entries
        if name not in {"__init__.py", "__main__.py", "py.typed"}
        and not (PACKAGE / name / "__init__.py").is_file()
    ]
    assert loose == [], f"only subpackages, __init__, __main__ and py.typed at the top: {loose}"


def test_no_module_is_over_400_lines() -> None:
    long = {
        module_name(path): lines
        for path in package_modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}, f"modules over {MAX_MODULE_LINES} lines, split them by concern: {long}"


def test_the_independence_contract_names_every_route_module(project_root: Path) -> None:
    config = tomllib.loads((project_root / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}
    blueprints = {module_name(p) for p in package_modules() if defines_a_blueprint(p)}
    assert "iprkg.web.sparql" in blueprints  # the detector sees a known route module
    assert set(contracts["blueprints-independent"]["modules"]) == blueprints


def test_running_the_command_line_loads_no_web_layer() -> None:
    # cli/ may import Flask (``iprkg serve``), but only when it serves: import-linter
    # counts the lazy import, so this is checked at run time.
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
