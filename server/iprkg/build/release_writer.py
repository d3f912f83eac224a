"""Making releases: the current build frozen under a version.

``make_release`` builds (validating), then writes ``{releases}/{version}/`` as
``iprkg.artefact.releases`` describes it: written into a staging folder inside the releases folder,
every file made read-only, then renamed to the version in one step, so that a crash
leaves no half release. A version that exists is refused before anything is built, and
nothing ever rewrites a release. ``.lock`` in the releases folder serialises releases.

``changes_between`` compares two releases (or dist folders, or N-Triples files) as
``iprkg diff`` does. The data's changelog is ``iprkg.build.changelog``.
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

from iprkg.artefact.artefact import StoreError, published_files
from iprkg.artefact.manifest import MANIFEST_NAME
from iprkg.artefact.releases import (
    RECORD_NAME,
    REPORT_NAME,
    Release,
    ReleaseError,
    by_version,
    check_version,
    read_releases,
    release_iri,
)
from iprkg.build.build import BuildResult, Progress, build, silent
from iprkg.build.changes import Changes, diff_n_triples
from iprkg.build.publish import LOCK_NAME, STAGING_PREFIX, fsync_folder, locked, write_file
from iprkg.build.validation import Violation
from iprkg.core.settings import Settings

RELEASE_FOLDER_MODE = 0o555
STAGING_FOLDER_MODE = 0o755
EXIT_UNWRITABLE = 3
N_TRIPLES_DUMP = "iprkg.nt"
"""Hand-written notes for the changelog: ``{version}.md`` per release, ``unreleased.md``."""


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
        files = dict(published_files(result.publication.build, manifest))
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
