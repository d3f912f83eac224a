"""The ``iprkg`` command through its real console entry: help, exit codes, report lines."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from iprkg.core.settings import SETTINGS
from support.project import RunIprkg

NAMELESS_COUNCIL = "@prefix ipr: <ontology#> .\n<council/nameless> a ipr:Council .\n"


def write(root: Path, name: str, text: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------- help


def test_help_lists_the_commands(run_iprkg: RunIprkg, tmp_path: Path) -> None:
    result = run_iprkg("--help", root=tmp_path)
    assert result.returncode == 0
    assert "Publish Norwegian regional councils' strategies as RDF." in result.stdout
    for command in ("build", "validate", "serve", "settings"):
        assert f"  {command} " in result.stdout


def test_python_dash_m_runs_the_same_command(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "iprkg", "--help"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert "validate" in result.stdout


@pytest.mark.parametrize(
    ("command", "options"),
    [("build", ["--base", "--dist", "--lang"]), ("validate", ["--base", "--lang"])],
)
def test_command_help_names_its_options(
    run_iprkg: RunIprkg, tmp_path: Path, command: str, options: list[str]
) -> None:
    result = run_iprkg(command, "--help", root=tmp_path)
    assert result.returncode == 0
    for option in options:
        assert option in result.stdout
    assert "nb" in result.stdout
    assert "en" in result.stdout


def test_settings_lists_every_setting_with_its_help(run_iprkg: RunIprkg, tmp_path: Path) -> None:
    result = run_iprkg("settings", root=tmp_path, env={"IPRKG_LANG": "nb"})
    assert result.returncode == 0
    for setting in SETTINGS:
        assert setting.env in result.stdout
        assert " ".join(setting.help.split()[:4]) in result.stdout
    assert "IPRKG_LANG=nb" in result.stdout.splitlines()
    assert "IPRKG_BASE=https://w3id.org/iprkg/" in result.stdout.splitlines()


# ---------------------------------------------------------------- validate


def test_valid_sources_exit_0_and_write_nothing(run_iprkg: RunIprkg, tiny_project: Path) -> None:
    result = run_iprkg("validate", root=tiny_project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["valid: 3 files, 10 triples, 2 shapes"]
    assert "loading 3 files…" in result.stderr
    assert not (tiny_project / "dist").exists()


def test_a_violation_exits_1_with_one_line_and_a_count(
    run_iprkg: RunIprkg, tiny_project: Path
) -> None:
    write(tiny_project, "data/councils/nameless.ttl", NAMELESS_COUNCIL)
    result = run_iprkg("validate", root=tiny_project)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "data/councils/nameless.ttl: <council/nameless> rdfs:label: Missing a label",
        "1 violation",
    ]


def test_messages_follow_lang(run_iprkg: RunIprkg, tiny_project: Path) -> None:
    write(tiny_project, "data/councils/nameless.ttl", NAMELESS_COUNCIL)
    by_option = run_iprkg("validate", "--lang", "nb", root=tiny_project)
    by_setting = run_iprkg("validate", root=tiny_project, env={"IPRKG_LANG": "nb"})
    for result in (by_option, by_setting):
        assert result.returncode == 1
        assert result.stdout.splitlines()[0].endswith("rdfs:label: Mangler navn")


def test_several_violations_are_sorted_by_file(run_iprkg: RunIprkg, tiny_project: Path) -> None:
    write(tiny_project, "data/b.ttl", NAMELESS_COUNCIL.replace("nameless", "b"))
    write(tiny_project, "data/a.ttl", NAMELESS_COUNCIL.replace("nameless", "a"))
    result = run_iprkg("validate", root=tiny_project)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines[:2]] == ["data/a.ttl", "data/b.ttl"]
    assert lines[-1] == "2 violations"


def test_a_warning_is_reported_but_does_not_fail(run_iprkg: RunIprkg, tiny_project: Path) -> None:
    write(
        tiny_project,
        "shapes/warning.ttl",
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix ipr: <ontology#> .\n"
        "<shapes#CommentShape> a sh:NodeShape ; sh:targetClass ipr:Council ;\n"
        "  sh:property [ sh:path <http://www.w3.org/2000/01/rdf-schema#comment> ;\n"
        "    sh:minCount 1 ; sh:severity sh:Warning ; sh:message 'No comment'@en ] .\n",
    )
    result = run_iprkg("validate", root=tiny_project)
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines()[:2] == [
        "data/councils/tiny.ttl: <council/tiny> rdfs:comment: warning: No comment",
        "0 violations, 1 warning or info",
    ]


def test_a_file_that_does_not_parse_exits_2_naming_file_and_line(
    run_iprkg: RunIprkg, tiny_project: Path
) -> None:
    write(
        tiny_project, "data/councils/typo.ttl", "@prefix ipr: <ontology#> .\n\n<x> iprr:p <y> .\n"
    )
    result = run_iprkg("validate", root=tiny_project)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        'error: data/councils/typo.ttl:3: unknown prefix "iprr:" — '
        "declare it with @prefix iprr: <...> . at the top of the file"
    )
    assert result.stdout == ""


def test_no_sources_exit_2(run_iprkg: RunIprkg, tmp_path: Path) -> None:
    result = run_iprkg("validate", root=tmp_path)
    assert result.returncode == 2
    assert "no Turtle files" in result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"IPRKG_BASE": "https://w3id.org/iprkg"}, "must end with '/'"),
        ({"IPRKG_BASE": "council/"}, "absolute http(s) IRI"),
        ({"IPRKG_LANG": "de"}, "IPRKG_LANG must be one of en, nb"),
        ({"SOURCE_DATE_EPOCH": "yesterday"}, "Unix seconds"),
    ],
)
def test_a_bad_setting_exits_2(
    run_iprkg: RunIprkg, tiny_project: Path, env: dict[str, str], message: str
) -> None:
    result = run_iprkg("validate", root=tiny_project, env=env)
    assert result.returncode == 2
    assert message in result.stderr


def test_a_bad_option_exits_2(run_iprkg: RunIprkg, tiny_project: Path) -> None:
    result = run_iprkg("validate", "--lang", "de", root=tiny_project)
    assert result.returncode == 2
    assert "--lang" in result.stderr


# ---------------------------------------------------------------- build


def test_build_reports_progress_and_publishes(run_iprkg: RunIprkg, tiny_project: Path) -> None:
    result = run_iprkg("build", root=tiny_project)
    assert result.returncode == 0, result.stderr
    progress = result.stderr.splitlines()
    assert progress[0] == "loading 3 files…"
    assert progress[1].startswith("validating 10 triples")
    assert "writing Turtle…" in progress
    assert any("the catalogue is not checked" in line for line in progress)  # no ../shared
    assert progress[-1].startswith("done in ")
    assert result.stdout.startswith("built .dist-builds/")
    assert (tiny_project / "dist" / "iprkg.ttl").is_file()


def test_build_dist_option_is_relative_to_the_current_folder(
    run_iprkg: RunIprkg, tiny_project: Path
) -> None:
    result = run_iprkg("build", "--dist", "out/site", root=tiny_project)
    assert result.returncode == 0, result.stderr
    assert (tiny_project / "out" / "site" / "manifest.json").is_file()


def test_build_exit_codes_match_validate(run_iprkg: RunIprkg, tiny_project: Path) -> None:
    write(tiny_project, "data/councils/nameless.ttl", NAMELESS_COUNCIL)
    assert run_iprkg("build", root=tiny_project).returncode == 1
    write(tiny_project, "data/councils/nameless.ttl", "<x> a ipr:Council .\n")
    assert run_iprkg("build", root=tiny_project).returncode == 2
    assert not (tiny_project / "dist").exists()


def test_a_dist_that_cannot_be_replaced_exits_3(run_iprkg: RunIprkg, tiny_project: Path) -> None:
    write(tiny_project, "dist", "a plain file where dist should go\n")
    result = run_iprkg("build", root=tiny_project)
    assert result.returncode == 3
    assert "error: cannot publish:" in result.stderr
    assert (tiny_project / "dist").read_text(encoding="utf-8").startswith("a plain file")
    assert not (tiny_project / ".dist-builds").exists()
