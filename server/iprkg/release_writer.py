"""Making releases: the current build frozen under a version, and the data's changelog.

``make_release`` builds (validating), then writes ``{releases}/{version}/`` as
``iprkg.releases`` describes it: written into a staging folder inside the releases folder,
every file made read-only, then renamed to the version in one step, so that a crash
leaves no half release. A version that exists is refused before anything is built, and
nothing ever rewrites a release. ``.lock`` in the releases folder serialises releases.

``changes_between`` compares two releases (or dist folders, or N-Triples files) as
``iprkg diff`` does; ``changelog_markdown`` and ``write_changelog`` make
``docs/CHANGELOG-data.md`` from the releases' own change files and the hand-written notes
in ``docs/data-notes/``: ``unreleased.md`` for what the next release will hold (the
decisions behind a change, which a diff cannot say), ``{version}.md`` for a release's.
``file_unreleased_notes`` renames the first to the second when a release is made.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from rdflib import RDF, SH, XSD, BNode, Graph, Literal, URIRef

from iprkg.artefact import StoreError, published_files
from iprkg.build import BuildResult, Progress, build, silent
from iprkg.changes import Changes, diff_n_triples
from iprkg.manifest import MANIFEST_NAME
from iprkg.publish import LOCK_NAME, STAGING_PREFIX, fsync_folder, locked, write_file
from iprkg.releases import (
    RECORD_NAME,
    REPORT_NAME,
    Release,
    ReleaseError,
    by_version,
    check_version,
    read_releases,
    release_iri,
)
from iprkg.settings import Settings
from iprkg.validation import Violation

RELEASE_FOLDER_MODE = 0o555
STAGING_FOLDER_MODE = 0o755
EXIT_UNWRITABLE = 3
N_TRIPLES_DUMP = "iprkg.nt"
CHANGELOG_PATH = Path("docs") / "CHANGELOG-data.md"
CODE_CHANGELOG = "CHANGELOG.md"
NOTES_FOLDER = Path("docs") / "data-notes"
"""Hand-written notes for the changelog: ``{version}.md`` per release, ``unreleased.md``."""
UNRELEASED = "unreleased"


def make_release(
    settings: Settings, version: str, lang: str | None = None, progress: Progress = silent
) -> Release:
    """Build, then freeze the build as release ``version``; return the new release.

    Raises ReleaseError (exit 2) for a version that cannot name a release or that exists
    already (the old release is left untouched), or when the existing releases cannot be
    read; ReleaseError (exit 3) when the release cannot be written. The build's own
    errors pass through: ValidationFailed (nothing is released), SourceError,
    PublishError.
    """
    check_version(version)
    folder = settings.releases
    refuse_existing(folder, version)
    result = build(settings, lang, progress)  # nothing is written if it fails
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock = folder / LOCK_NAME
        lock.touch()
    except OSError as error:
        raise ReleaseError(
            f"cannot write releases in {folder}: {error}", EXIT_UNWRITABLE
        ) from error
    with locked(lock):
        refuse_existing(folder, version)  # again: another release may have made it meanwhile
        releases = read_releases(folder)
        previous = releases[-1] if releases else None
        progress(f"freezing release {version}…")
        files = frozen_files(result, version, previous)
        release = release_of(result, version, previous, files, folder / version)
        files[RECORD_NAME] = json_bytes(release.record())
        remove_leftovers(folder)
        write_release(folder, folder / version, files)
    return Release.read(folder / version)


def refuse_existing(folder: Path, version: str) -> None:
    """ReleaseError (exit 2) if release ``version`` exists, saying when it was made."""
    existing = folder / version
    if not (existing.exists() or existing.is_symlink()):
        return
    try:
        when = f"released on {Release.read(existing).released} in {existing}"
    except ReleaseError:
        when = f"in {existing}"
    raise ReleaseError(
        f"release {version} exists ({when}); a release is never changed: release the "
        "current data under a new version"
    )


def frozen_files(result: BuildResult, version: str, previous: Release | None) -> dict[str, bytes]:
    """The release's files but its record: the build's own files, the validation report
    and, after a first release, the changes since ``previous``."""
    manifest = result.artefact.manifest
    try:
        files = published_files(result.publication.build, manifest)
    except StoreError as error:
        raise ReleaseError(f"cannot read the build: {error}", EXIT_UNWRITABLE) from error
    files[REPORT_NAME] = validation_report(result.checked.violations)
    if previous is not None:
        changes = diff_n_triples(
            previous.file(N_TRIPLES_DUMP), files[N_TRIPLES_DUMP], base=manifest["base"]
        )
        files.update(change_files(changes, previous.version, version))
    return files


def change_files(changes: Changes, old: str, new: str) -> dict[str, bytes]:
    """``changes.json``, ``changes.{en,nb}.md``, ``added.nt``, ``removed.nt`` (CHANGE_FILES)."""
    return {
        "changes.json": json_bytes(changes_json(changes, old, new)),
        "changes.en.md": changes.as_markdown("en").encode("utf-8"),
        "changes.nb.md": changes.as_markdown("nb").encode("utf-8"),
        "added.nt": changes.added_nt(),
        "removed.nt": changes.removed_nt(),
    }


def changes_json(changes: Changes, old: str, new: str, lang: str = "en") -> dict[str, Any]:
    """``Changes.as_json`` with the two things compared: ``previous`` and ``version``."""
    return {"previous": old, "version": new, **changes.as_json(lang)}


def release_of(
    result: BuildResult,
    version: str,
    previous: Release | None,
    files: Mapping[str, bytes],
    folder: Path,
) -> Release:
    """The record of the release made now from ``result``, holding ``files``."""
    manifest = result.artefact.manifest
    now = datetime.now(UTC)
    if previous is not None and timestamp(now) <= previous.released:  # a clock set back
        now = datetime.strptime(previous.released, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
        now += timedelta(microseconds=1)
    return Release(
        version=version,
        iri=release_iri(manifest["base"], version),
        issued=now.date().isoformat(),
        released=timestamp(now),
        previous=None if previous is None else previous.version,
        content_hash=manifest["content_hash"],
        triples=int(manifest["triples"]),
        base=manifest["base"],
        files={name: hashlib.sha256(content).hexdigest() for name, content in files.items()},
        folder=folder,
    )


def timestamp(moment: datetime) -> str:
    """ISO 8601 UTC with microseconds, e.g. ``2026-11-26T18:55:01.123456Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def validation_report(results: list[Violation]) -> bytes:
    """A SHACL validation report in Turtle: the release conforms (a blocking violation
    stops the release), with an ``sh:result`` per warning or info the build reported.

    The build keeps each result's focus node, severity, path (when a single property),
    message, shape (when an IRI) and value; not its constraint component."""
    graph = Graph(bind_namespaces="core")
    graph.bind("sh", SH)
    report = BNode("report")
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(True)))
    for number, result in enumerate(results, start=1):
        node = BNode(f"result{number}")
        graph.add((report, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, result.focus))
        graph.add((node, SH.resultSeverity, SH[result.severity]))
        graph.add((node, SH.resultMessage, Literal(result.message)))
        if isinstance(result.result_path, URIRef):
            graph.add((node, SH.resultPath, result.result_path))
        if isinstance(result.source_shape, URIRef):
            graph.add((node, SH.sourceShape, result.source_shape))
        if result.value is not None and not isinstance(result.value, BNode):
            graph.add((node, SH.value, result.value))
    graph.bind("xsd", XSD)
    return graph.serialize(format="turtle", encoding="utf-8")


def json_bytes(value: Any) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def remove_leftovers(folder: Path) -> None:
    """Remove staging folders of releases that were killed (call with the lock held)."""
    for entry in folder.glob(f"{STAGING_PREFIX}*"):
        remove_tree(entry)


def remove_tree(path: Path) -> None:
    """Remove a staging folder, read-only parts too."""
    for inner in [path, *path.rglob("*")]:
        if inner.is_dir() and not inner.is_symlink():
            inner.chmod(STAGING_FOLDER_MODE)
    shutil.rmtree(path, ignore_errors=True)


def write_release(folder: Path, target: Path, files: Mapping[str, bytes]) -> None:
    """Write ``files`` read-only into a staging folder, make it read-only, then rename it
    to ``target``; ReleaseError (exit 3) if that fails, leaving no staging behind."""
    try:
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=folder))
    except OSError as error:
        raise ReleaseError(f"cannot write in {folder}: {error}", EXIT_UNWRITABLE) from error
    try:
        for name, content in sorted(files.items()):
            write_file(staging / name, content)
        staging.chmod(RELEASE_FOLDER_MODE)
        fsync_folder(staging)
        os.rename(staging, target)
        fsync_folder(folder)
    except OSError as error:
        remove_tree(staging)
        raise ReleaseError(f"cannot write {target}: {error}", EXIT_UNWRITABLE) from error
    except BaseException:
        remove_tree(staging)
        raise


# ---------------------------------------------------------------- comparing


@dataclass(frozen=True)
class Compared:
    """One side of ``iprkg diff``: how it was named, its N-Triples, its base (if known)."""

    name: str
    n_triples: bytes
    base: str | None


def compared(settings: Settings, name: str) -> Compared:
    """``name`` as ``iprkg diff`` reads it: an existing path (a dist or release folder, or
    an N-Triples file), else a release version: ReleaseError (exit 2) listing the
    releases if there is none."""
    path = Path(name)
    if path.exists():
        nt = path / N_TRIPLES_DUMP if path.is_dir() else path
        try:
            content = nt.read_bytes()
        except OSError as error:
            raise ReleaseError(f"cannot read {nt}: {error}") from error
        return Compared(name, content, manifest_base(path) if path.is_dir() else None)
    release = by_version(read_releases(settings.releases), name)
    return Compared(name, release.file(N_TRIPLES_DUMP), release.base)


def manifest_base(folder: Path) -> str | None:
    try:
        base = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))["base"]
    except (OSError, ValueError, LookupError, TypeError):
        return None
    return str(base)


def changes_between(settings: Settings, old: Compared, new: Compared) -> Changes:
    """What changed from ``old`` to ``new``; ontology terms read under the newer base."""
    try:
        return diff_n_triples(old.n_triples, new.n_triples, base=new.base or settings.base)
    except (SyntaxError, ValueError, UnicodeDecodeError) as error:
        raise ReleaseError(f"cannot read N-Triples of {old.name} or {new.name}: {error}") from error


def write_changes(folder: Path, changes: Changes, old: str, new: str) -> list[Path]:
    """``added.nt``, ``removed.nt``, ``changes.json`` into ``folder`` (made if needed)."""
    files = change_files(changes, old, new)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name in ("added.nt", "removed.nt", "changes.json"):
            (folder / name).write_bytes(files[name])
            written.append(folder / name)
    except OSError as error:
        raise ReleaseError(f"cannot write in {folder}: {error}", EXIT_UNWRITABLE) from error
    return written


# ---------------------------------------------------------------- the changelog


def changelog_markdown(
    releases: list[Release],
    code_changelog: str | None = None,
    notes: Mapping[str, str] | None = None,
) -> str:
    """``docs/CHANGELOG-data.md``: every release, newest first, with its changes.

    ``code_changelog`` is a link to the code's changelog, if there is one. ``notes`` are
    the hand-written notes by version (``read_notes``): those for ``unreleased`` come
    first, under "Not yet released"; a release's come before its generated changes.
    """
    notes = notes or {}
    code = (
        f"The code's changes are in [{CODE_CHANGELOG}]({code_changelog})."
        if code_changelog
        else "The code's changes are recorded separately, in the repository's history."
    )
    lines = [
        "# Changes to the data",
        "",
        "What changed in the published data from one release to the next, generated by "
        "`iprkg release` and `iprkg changelog` from the releases' own change files "
        f"([releases.md](releases.md)) and the notes in `docs/data-notes/`; do not edit it "
        f"by hand, write a note there. {code}",
        "",
    ]
    if notes.get(UNRELEASED):
        lines += [
            "## Not yet released",
            "",
            "Changes in the sources since the last release (`docs/data-notes/unreleased.md`); "
            "the next `iprkg release` files them under its version.",
            "",
            *demoted(notes[UNRELEASED], 3).splitlines(),
            "",
        ]
    if not releases:
        lines += ["No release yet.", ""]
    for release in reversed(releases):
        lines += [
            f"## {release.version} — {release.issued}",
            "",
            f"<{release.iri}>: {release.triples} triples, content hash `{release.content_hash}`.",
            "",
        ]
        if notes.get(release.version):
            lines += [*demoted(notes[release.version], 3).splitlines(), ""]
        if release.previous is None:
            lines += ["First release.", ""]
        else:
            changes = release.file("changes.en.md").decode("utf-8")
            lines += [f"Since {release.previous}:", "", *demoted(changes, 3).splitlines(), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def demoted(markdown: str, level: int) -> str:
    """``markdown`` with its headings shifted so that the biggest is at ``level``."""
    lines = markdown.splitlines()
    levels = [heading_level(line) for line in lines]
    shift = max(0, level - min((n for n in levels if n), default=level))
    return "\n".join(
        "#" * shift + line if n else line for n, line in zip(levels, lines, strict=True)
    )


def heading_level(line: str) -> int:
    """1 to 6 for an ATX heading (``### Members``), else 0."""
    hashes = len(line) - len(line.lstrip("#"))
    return hashes if 0 < hashes <= 6 and line[hashes : hashes + 1] == " " else 0


def write_changelog(settings: Settings) -> Path:
    """Rewrite ``docs/CHANGELOG-data.md`` under the project root from the releases."""
    path = settings.root / CHANGELOG_PATH
    code = settings.root / CODE_CHANGELOG
    link = os.path.relpath(code, path.parent) if code.is_file() else None
    text = changelog_markdown(read_releases(settings.releases), link, read_notes(settings.root))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        staging.write_text(text, encoding="utf-8")
        os.replace(staging, path)
    except OSError as error:
        raise ReleaseError(f"cannot write {path}: {error}", EXIT_UNWRITABLE) from error
    return path


def read_notes(root: Path) -> dict[str, str]:
    """The hand-written notes under ``root``: ``{version or "unreleased": markdown}``."""
    folder = root / NOTES_FOLDER
    if not folder.is_dir():
        return {}
    try:
        return {
            path.stem: path.read_text(encoding="utf-8").strip()
            for path in sorted(folder.glob("*.md"))
        }
    except (OSError, UnicodeDecodeError) as error:
        raise ReleaseError(f"cannot read the notes in {folder}: {error}") from error


def file_unreleased_notes(root: Path, version: str) -> Path | None:
    """After release ``version``: ``unreleased.md`` becomes ``{version}.md``, its notes'
    release; None if there were no notes. Refuses (exit 3) to overwrite that release's."""
    folder = root / NOTES_FOLDER
    unreleased = folder / f"{UNRELEASED}.md"
    if not unreleased.is_file():
        return None
    filed = folder / f"{version}.md"
    if filed.exists():
        raise ReleaseError(
            f"{filed} exists already: merge {unreleased} into it by hand, then run iprkg changelog",
            EXIT_UNWRITABLE,
        )
    try:
        os.replace(unreleased, filed)
    except OSError as error:
        raise ReleaseError(f"cannot rename {unreleased}: {error}", EXIT_UNWRITABLE) from error
    return filed
