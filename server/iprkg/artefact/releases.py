"""Releases: builds frozen under a version, never changed afterwards.

A release lives in ``{releases}/{version}/`` (the ``IPRKG_RELEASES`` folder, ``releases``
under the project root by default), written once by ``iprkg release VERSION`` and then
read-only:

* every file of the build's artefact that is our own data: the dumps and their ``.gz``,
  ``iprkg.nq`` and ``manifest.json``, byte for byte as the build wrote them (never the
  harvested publications);
* ``validation-report.ttl``: the SHACL validation report of the release's sources;
* ``changes.json``, ``changes.en.md``, ``changes.nb.md``, ``added.nt``, ``removed.nt``:
  what changed since the previous release (``iprkg.build.changes``; absent for the first);
* ``release.json``: the record below, with every other file's SHA-256.

A release's IRI is ``{base}release/{version}/``; its previous release is the one released
before it. This module reads releases (``read_releases``), checked against their records;
writing them is ``iprkg.build.release_writer``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RECORD_NAME = "release.json"
VERSION_PATTERN = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,63}")
"""A version: letters, digits, ``.``, ``_``, ``-``, starting with a letter or digit (e.g.
``2026-1``); it is a path segment of the release's IRI."""
CHANGE_FILES = ("changes.json", "changes.en.md", "changes.nb.md", "added.nt", "removed.nt")
REPORT_NAME = "validation-report.ttl"


class ReleaseError(Exception):
    """A release cannot be made or read; the message says which and why."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def release_iri(base: str, version: str) -> str:
    return f"{base}release/{version}/"


def check_version(version: str) -> str:
    """``version`` if it can name a release, else ReleaseError (exit 2) saying why."""
    if not VERSION_PATTERN.fullmatch(version):
        raise ReleaseError(
            f"{version!r} cannot name a release: use letters, digits, '.', '_' and '-', "
            "starting with a letter or digit, at most 64 characters (e.g. 2026-1)"
        )
    return version


@dataclass(frozen=True)
class Release:
    """One release, as its record says; ``files`` are its files' SHA-256 by name."""

    version: str
    iri: str
    issued: str
    """The date of release, ``YYYY-MM-DD`` (UTC)."""
    released: str
    """The time of release, ISO 8601 UTC: orders the releases."""
    previous: str | None
    """The version released before this one, if any."""
    content_hash: str
    """The manifest's ``content_hash``: the hash of the release's sorted N-Triples."""
    triples: int
    base: str
    files: Mapping[str, str]
    folder: Path

    @classmethod
    def read(cls, folder: Path) -> Release:
        """The release in ``folder``: ReleaseError if its record is missing or damaged."""
        try:
            record = json.loads((folder / RECORD_NAME).read_text(encoding="utf-8"))
            return cls(
                version=str(record["version"]),
                iri=str(record["iri"]),
                issued=str(record["issued"]),
                released=str(record["released"]),
                previous=None if record["previous"] is None else str(record["previous"]),
                content_hash=str(record["content_hash"]),
                triples=int(record["triples"]),
                base=str(record["base"]),
                files={str(k): str(v) for k, v in dict(record["files"]).items()},
                folder=folder,
            )
        except (OSError, ValueError, LookupError, TypeError) as error:
            raise ReleaseError(f"{folder}: not a readable release ({error})") from error

    def record(self) -> dict[str, Any]:
        """What ``release.json`` holds."""
        return {
            "version": self.version,
            "iri": self.iri,
            "issued": self.issued,
            "released": self.released,
            "previous": self.previous,
            "content_hash": self.content_hash,
            "triples": self.triples,
            "base": self.base,
            "files": dict(sorted(self.files.items())),
        }

    def file(self, name: str) -> bytes:
        """A file of the release, checked against its record: ReleaseError if it is not
        one of the release's files or no longer matches."""
        if name not in self.files:
            raise ReleaseError(f"release {self.version} has no file {name!r}")
        try:
            content = (self.folder / name).read_bytes()
        except OSError as error:
            raise ReleaseError(f"release {self.version}: cannot read {name}: {error}") from error
        if hashlib.sha256(content).hexdigest() != self.files[name]:
            raise ReleaseError(f"release {self.version}: {name} does not match {RECORD_NAME}")
        return content

    @property
    def manifest(self) -> dict[str, Any]:
        manifest: dict[str, Any] = json.loads(self.file("manifest.json"))
        return manifest

    @property
    def dumps(self) -> list[str]:
        """The names of the release's dumps (and their ``.gz``), as its manifest lists them."""
        names = []
        for dump in self.manifest.get("dumps", []):
            names += [dump["path"], dump["gzip"]["path"]]
        return names


def read_releases(folder: Path) -> list[Release]:
    """Every release in ``folder``, oldest first (by ``released``, then version); [] if
    the folder does not exist. ReleaseError if one cannot be read."""
    if not folder.is_dir():
        return []
    found = [
        Release.read(path)
        for path in folder.iterdir()
        if path.is_dir() and VERSION_PATTERN.fullmatch(path.name)
    ]
    for release in found:
        if release.version != release.folder.name:
            raise ReleaseError(
                f"{release.folder}: its {RECORD_NAME} says version {release.version}"
            )
    return sorted(found, key=lambda r: (r.released, r.version))


def by_version(releases: list[Release], version: str) -> Release:
    """The release ``version``: ReleaseError (exit 2) listing the existing ones if none."""
    for release in releases:
        if release.version == version:
            return release
    known = ", ".join(r.version for r in releases) or "none yet"
    raise ReleaseError(f"no release {version!r}; the releases are: {known}")


@dataclass(frozen=True)
class ServedReleases:
    """The releases a server serves, oldest first, and whether ``/sparql`` can query them
    (each in the named graph of its IRI); ``unqueryable`` says why not when it cannot."""

    releases: tuple[Release, ...] = ()
    unqueryable: str | None = None

    @property
    def versions(self) -> list[str]:
        return [release.version for release in self.releases]

    @property
    def newest(self) -> Release | None:
        return self.releases[-1] if self.releases else None

    def next_of(self, release: Release) -> Release | None:
        """The release made after ``release``, if any."""
        following = [r for r in self.releases if r.previous == release.version]
        return following[0] if following else None
