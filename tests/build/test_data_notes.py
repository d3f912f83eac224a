"""Hand-written notes in the data's changelog (docs/data-notes/, docs/releases.md).

``docs/CHANGELOG-data.md`` is generated; the decisions behind a change are written in
``docs/data-notes/unreleased.md`` and shown first, and ``iprkg release`` files them under
the release's version, so that neither the generator nor a release loses them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from iprkg.artefact.releases import Release, ReleaseError
from iprkg.build.changelog import (
    CHANGELOG_PATH,
    NOTES_FOLDER,
    changelog_markdown,
    file_unreleased_notes,
    read_notes,
    write_changelog,
)
from iprkg.core.settings import Settings

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def release(version: str, folder: Path) -> Release:
    """A first release (it has no change files to read)."""
    return Release(
        version=version,
        iri=f"https://example.org/release/{version}/",
        issued="2026-12-01",
        released="2026-12-01T00:00:00Z",
        previous=None,
        content_hash="abc",
        triples=1,
        base="https://example.org/",
        files={},
        folder=folder,
    )


def test_unreleased_notes_come_first_with_their_headings_demoted() -> None:
    text = changelog_markdown([], notes={"unreleased": "# Split\n\nArea and transport."})
    assert (
        text.index("## Not yet released") < text.index("### Split") < text.index("No release yet.")
    )
    assert "Area and transport." in text


def test_a_release_shows_its_own_notes(tmp_path: Path) -> None:
    text = changelog_markdown(
        [release("2026-1", tmp_path)], notes={"2026-1": "# Why\n\nBecause.", "2025-9": "Old."}
    )
    assert text.index("## 2026-1") < text.index("### Why") < text.index("First release.")
    assert "Old." not in text and "Not yet released" not in text


def test_releasing_files_the_unreleased_notes_under_the_version(tmp_path: Path) -> None:
    folder = tmp_path / NOTES_FOLDER
    folder.mkdir(parents=True)
    (folder / "unreleased.md").write_text("Split.\n", encoding="utf-8")
    assert file_unreleased_notes(tmp_path, "2026-1") == folder / "2026-1.md"
    assert read_notes(tmp_path) == {"2026-1": "Split."}
    assert file_unreleased_notes(tmp_path, "2026-2") is None


def test_filing_never_overwrites_a_release_s_notes(tmp_path: Path) -> None:
    folder = tmp_path / NOTES_FOLDER
    folder.mkdir(parents=True)
    (folder / "unreleased.md").write_text("New.\n", encoding="utf-8")
    (folder / "2026-1.md").write_text("Old.\n", encoding="utf-8")
    with pytest.raises(ReleaseError, match="exists already") as raised:
        file_unreleased_notes(tmp_path, "2026-1")
    assert raised.value.exit_code == 3
    assert read_notes(tmp_path) == {"2026-1": "Old.", "unreleased": "New."}


def test_the_changelog_in_docs_is_the_generated_one(tmp_path: Path) -> None:
    """docs/CHANGELOG-data.md is what ``iprkg changelog`` writes from the notes and the
    releases (so a hand edit, or a note not yet in it, is caught)."""
    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    notes = PROJECT_ROOT / NOTES_FOLDER
    if notes.is_dir():
        (root / NOTES_FOLDER).mkdir()
        for path in notes.glob("*.md"):
            (root / NOTES_FOLDER / path.name).write_bytes(path.read_bytes())
    (root / "CHANGELOG.md").write_text("# Changes\n", encoding="utf-8")
    settings = Settings.load(
        environ={"IPRKG_RELEASES": str(Settings.load(environ={}, root=PROJECT_ROOT).releases)},
        root=root,
    )
    written = write_changelog(settings).read_text(encoding="utf-8")
    assert (PROJECT_ROOT / CHANGELOG_PATH).read_text(encoding="utf-8") == written
