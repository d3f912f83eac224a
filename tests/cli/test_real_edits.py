"""The issue's acceptance edits, on a copy of the real sources, through the real command.

A broken goal IRI, a dropped language tag and a removed member each make ``iprkg
validate`` and ``iprkg build`` exit 1 with a line naming the file and the resource,
and leave the last good ``dist`` byte for byte as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from support.project import MakeProject, RunIprkg

COUNCIL_FILE = "data/councils/nome-midt-telemark.ttl"

EDITS = [
    pytest.param(
        COUNCIL_FILE,
        "sdg:11 , sdg:17 ;",
        "sdg:11 , sdg:18 ;",
        "<strategy/nome-midt-telemark-2022-2035> ipr:emphasisesGoal:",
        id="broken-goal-iri",
    ),
    pytest.param(
        "data/municipalities.ttl",
        'rdfs:label "Midt-Telemark kommune"@nb',
        'rdfs:label "Midt-Telemark kommune"',
        "<municipality/midt-telemark> rdfs:label:",
        id="dropped-language-tag",
    ),
    pytest.param(
        COUNCIL_FILE,
        "org:hasMember <municipality/nome> , <municipality/midt-telemark> ;",
        "org:hasMember <municipality/midt-telemark> ;",
        "<council/nome-midt-telemark>: A council needs at least two member municipalities",
        id="removed-member",
    ),
]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.slow
@pytest.mark.parametrize(("path", "old", "new", "reported"), EDITS)
def test_an_edit_that_breaks_the_data_exits_1_and_keeps_dist(
    make_project: MakeProject, run_iprkg: RunIprkg, path: str, old: str, new: str, reported: str
) -> None:
    root = make_project()
    assert run_iprkg("build", root=root).returncode == 0
    before = snapshot(root / "dist")

    source = root / path
    text = source.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"the edit no longer applies to {path}"
    source.write_text(text.replace(old, new), encoding="utf-8")

    validated = run_iprkg("validate", root=root)
    assert validated.returncode == 1, validated.stderr
    assert any(line.startswith(f"{path}: {reported}") for line in validated.stdout.splitlines()), (
        validated.stdout
    )
    built = run_iprkg("build", root=root)
    assert built.returncode == 1, built.stderr
    assert snapshot(root / "dist") == before
