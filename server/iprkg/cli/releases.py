"""``iprkg release``, ``iprkg diff`` and ``iprkg changelog``: versions of the data."""

from __future__ import annotations

import click

from iprkg.cli.support import (
    fail,
    load_settings,
    progress,
    reported_errors,
)
from iprkg.core.settings import LANGUAGES


@click.command(name="release")
@click.argument("version")
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=None,
    help="Language of validation messages [default: IPRKG_LANG, else en].",
)
def release_command(version: str, lang: str | None) -> None:
    """Freeze the current data as release VERSION (e.g. 2026-1), never changed afterwards.

    Builds dist (validating, as iprkg build does), then writes the release folder
    VERSION in the releases folder (IPRKG_RELEASES, else releases/): the dumps, their
    .gz, iprkg.nq and manifest.json of the build, validation-report.ttl, the changes
    since the previous release (changes.json, changes.en.md, changes.nb.md, added.nt,
    removed.nt; none for the first release) and release.json with every file's SHA-256.
    Its IRI is BASE/release/VERSION/. The folder appears whole or not at all, read-only.
    Then, if the project has a docs folder, renames docs/data-notes/unreleased.md (the
    hand-written notes, if any) to docs/data-notes/VERSION.md and rewrites
    docs/CHANGELOG-data.md.

    Prints "released VERSION: IRI (N triples, HASH), previous: VERSION|none".

    Exit codes: 0 released; 1 SHACL violations (the report is printed; nothing is
    released); 2 VERSION cannot name a release or exists already (it is left untouched),
    a source that does not parse, or a release that cannot be read; 3 dist or the
    release cannot be written (or, after releasing, the changelog).
    """
    from iprkg.artefact.releases import ReleaseError
    from iprkg.build.changelog import file_unreleased_notes, write_changelog
    from iprkg.build.release_writer import make_release

    settings = load_settings()
    try:
        with reported_errors("nothing was released"):
            release = make_release(settings, version, lang, progress)
        click.echo(
            f"released {release.version}: {release.iri} ({release.triples} triples, "
            f"{release.content_hash}), previous: {release.previous or 'none'}"
        )
        if (settings.root / "docs").is_dir():
            filed = file_unreleased_notes(settings.root, release.version)
            if filed is not None:
                progress(f"moved the unreleased notes to {settings.relative(filed)}")
            progress(f"wrote {settings.relative(write_changelog(settings))}")
    except ReleaseError as error:
        fail(str(error), error.exit_code)


@click.command(name="diff")
@click.argument("old")
@click.argument("new")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["markdown", "json", "patch"]),
    default="markdown",
    show_default=True,
    help="markdown: the changes in people's terms; json: the same as JSON; patch: every "
    "removed triple with '- ', every added one with '+ ', as N-Triples.",
)
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=None,
    help="Language of the labels and headings [default: IPRKG_LANG, else en].",
)
@click.option(
    "--output",
    metavar="DIR",
    default=None,
    help="Also write added.nt, removed.nt and changes.json into DIR (made if needed).",
)
def diff_command(
    old: str, new: str, output_format: str, lang: str | None, output: str | None
) -> None:
    """Show what changed from OLD to NEW: councils, members, focus areas, goals ... and triples.

    OLD and NEW are release versions (e.g. 2026-1 2026-2), or paths: a path that exists
    is read as a path, a folder (dist, a release) through its iprkg.nt, else a
    file of N-Triples. Blank nodes are compared after canonical labelling.

    Exit codes: 0 compared (whether or not anything changed); 2 no such release (the
    existing ones are listed) or a file that cannot be read; 3 DIR cannot be written.
    """
    import json
    from pathlib import Path

    from iprkg.artefact.releases import ReleaseError
    from iprkg.build.release_writer import changes_between, changes_json, compared, write_changes

    settings = load_settings()
    lang = lang or settings.lang
    try:
        before, after = compared(settings, old), compared(settings, new)
        changes = changes_between(settings, before, after)
        if output is not None:
            for path in write_changes(Path(output), changes, old, new):
                progress(f"wrote {path}")
    except ReleaseError as error:
        fail(str(error), error.exit_code)
    if output_format == "json":
        click.echo(json.dumps(changes_json(changes, old, new, lang), indent=2, ensure_ascii=False))
    elif output_format == "patch":
        click.echo(changes.patch(), nl=False)
    else:
        click.echo(f"## {old} → {new}\n\n{changes.as_markdown(lang)}", nl=False)


@click.command(name="changelog")
def changelog_command() -> None:
    """Rewrite docs/CHANGELOG-data.md from the releases' change files, newest first, and
    the hand-written notes in docs/data-notes/ (unreleased.md first, VERSION.md with its
    release).

    Prints where it wrote. Exit codes: 0 written; 2 a release or a note cannot be read;
    3 the file cannot be written.
    """
    from iprkg.artefact.releases import ReleaseError
    from iprkg.build.changelog import write_changelog

    settings = load_settings()
    try:
        path = write_changelog(settings)
    except ReleaseError as error:
        fail(str(error), error.exit_code)
    click.echo(f"wrote {settings.relative(path)}")
