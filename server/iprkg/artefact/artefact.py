"""The built artefact and dataset files, as the store reads them: nothing else opens them.

``published_files`` opens every file the manifest lists and checks it against the
manifest's hashes; ``read_prefixes`` takes the build's prefixes from the JSON-LD dump;
``DatasetFile`` and ``load_file`` read the RDF files given to ``iprkg serve --dataset``.
Every failure is a ``StoreError`` that names the file and says why.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph

from iprkg.artefact.manifest import MANIFEST_NAME
from iprkg.artefact.releases import Release, ReleaseError
from iprkg.core.formats import JSON_LD, N_TRIPLES, SERIALISATIONS, UnknownFormatError, by_extension
from iprkg.core.vocabulary import PREFIXES

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


class StoreError(Exception):
    """The artefact or a dataset file cannot be loaded; the message says which and why."""


@dataclass(frozen=True)
class DatasetFile:
    """An RDF file to serve: into the default graph, or into the named graph ``graph``."""

    path: Path
    graph: str | None = None

    @classmethod
    def parse(cls, option: str) -> DatasetFile:
        """``PATH`` or ``GRAPH_IRI=PATH``, as given to ``--dataset``.

        IRIs may hold ``=`` too, so the split is the first ``=`` whose left side is an
        absolute IRI and whose right side is an existing file (else the first such ``=``).
        A value that is an existing file as a whole is always a path.
        """
        if Path(option).is_file():
            return cls(Path(option))
        splits = [
            (option[:at], option[at + 1 :])
            for at, char in enumerate(option)
            if char == "=" and _SCHEME.match(option[:at])
        ]
        if not splits:
            return cls(Path(option))
        graph, path = next(((g, p) for g, p in splits if Path(p).is_file()), splits[0])
        return cls(Path(path), graph)


DEFAULT_PREFIXES: Mapping[str, str] = {
    prefix: PREFIXES[prefix] for prefix in ("dct", "foaf", "owl", "rdf", "rdfs", "skos", "xsd")
}
"""Prefixes for data that come without the build's (``--dataset`` files)."""


def default_prefixes(base_iri: str) -> dict[str, str]:
    return {**DEFAULT_PREFIXES, "ipr": f"{base_iri}ontology#"}


def read_prefixes(dist: Path) -> dict[str, str]:
    """The prefixes the build bound: the ``@context`` of the JSON-LD dump ({} if none).
    The build writes it first, so it is read from the dump's head (the whole dump of 600
    councils took 0.1 s of the start to parse), else from the whole dump."""
    path = dist / f"iprkg.{JSON_LD.extension}"
    try:
        with path.open("rb") as dump:
            head = dump.read(_CONTEXT_HEAD).decode("utf-8", errors="ignore")
        context = _leading_context(head)
        if context is None:
            document = json.loads(path.read_bytes())
            context = document.get("@context") if isinstance(document, dict) else None
    except (OSError, ValueError):
        return {}
    if not isinstance(context, dict):
        return {}
    return {k: v for k, v in sorted(context.items()) if isinstance(v, str) and ":" in v}


_CONTEXT_HEAD = 256 * 1024
_CONTEXT_KEY = re.compile(r'\A\s*\{\s*"@context"\s*:\s*')


def _leading_context(head: str) -> object | None:
    """The value of ``@context`` if ``head`` begins a JSON object with it, whole."""
    found = _CONTEXT_KEY.match(head)
    if found is None:
        return None
    try:
        value: object = json.JSONDecoder().raw_decode(head, found.end())[0]
    except ValueError:  # cut off by the head's end
        return None
    return value


def published_files(dist: Path, manifest: Mapping[str, Any]) -> PublishedFiles:
    """Every file the manifest lists (each dump and its ``.gz``, the N-Quads dump of
    ``graphs``, the search index of ``search``, the map of ``map``) and the manifest
    itself, opened now and checked against the manifest's hashes: the files served are
    those of the build the store holds, even after ``dist`` is swapped to a newer build
    (``PublishedFiles``)."""
    dumps = manifest.get("dumps", [])
    entries = [(dump["path"], dump["sha256"]) for dump in dumps]
    entries += [(dump["gzip"]["path"], dump["gzip"]["sha256"]) for dump in dumps]
    for key in ("graphs", "search", "map"):  # the N-Quads dump; the search index; the map
        if key in manifest:
            entries.append((manifest[key]["path"], manifest[key]["sha256"]))
    return PublishedFiles(dist, [*entries, (MANIFEST_NAME, None)])


class PublishedFiles(Mapping[str, bytes]):
    """The files of a build by name, each held open and read when asked for, not kept in
    memory: the dumps of 600 councils are about 55 MB, which every process would
    otherwise hold. An open file is the version it was when opened, whatever replaces
    its name later (a new build is written beside the old and swapped in). StoreError
    if a file cannot be opened or does not match its ``sha256``."""

    CHUNK = 1024 * 1024

    def __init__(self, dist: Path, entries: list[tuple[str, str | None]]) -> None:
        self._files: dict[str, tuple[int, int]] = {}
        try:
            for name, digest in entries:
                descriptor = os.open(dist / name, os.O_RDONLY | os.O_CLOEXEC)
                size = os.fstat(descriptor).st_size
                self._files[name] = (descriptor, size)
                if digest is not None and self._sha256(name) != digest:
                    raise StoreError(f"{dist}: {name} does not match manifest.json; rebuild it")
        except OSError as error:
            self.close()
            raise StoreError(f"cannot read the artefact in {dist}: {error}") from error
        except StoreError:
            self.close()
            raise

    def _chunks(self, name: str) -> Iterator[bytes]:
        descriptor, size = self._files[name]
        for offset in range(0, size, self.CHUNK):
            yield os.pread(descriptor, min(self.CHUNK, size - offset), offset)

    def _sha256(self, name: str) -> str:
        digest = hashlib.sha256()
        for chunk in self._chunks(name):
            digest.update(chunk)
        return digest.hexdigest()

    def __getitem__(self, name: str) -> bytes:
        if name not in self._files:
            raise KeyError(name)
        return b"".join(self._chunks(name))

    def __iter__(self) -> Iterator[str]:
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)

    def close(self) -> None:
        """Close every file (a store that is dropped; tests)."""
        files, self._files = self._files, {}
        for descriptor, _ in files.values():
            os.close(descriptor)

    def __del__(self) -> None:
        self.close()


def load_file(store: pyoxigraph.Store, file: DatasetFile) -> None:
    """Load ``file`` into ``store``: StoreError naming the file if it cannot be read."""
    try:
        serialisation = by_extension(file.path.suffix)
    except UnknownFormatError as error:
        known = ", ".join(f".{s.extension}" for s in SERIALISATIONS)
        raise StoreError(f"{file.path}: unknown extension; use one of {known}") from error
    try:
        graph = None if file.graph is None else pyoxigraph.NamedNode(file.graph)
    except ValueError as error:
        raise StoreError(f"{file.graph}: not an absolute IRI ({error})") from error
    try:
        store.load(
            path=file.path,
            format=serialisation.oxigraph_format,
            base_iri=file.path.resolve().as_uri(),
            to_graph=graph,
        )
    except (OSError, SyntaxError) as error:
        raise StoreError(f"{file.path}: {error}") from error


def load_harvested(store: pyoxigraph.Store, dist: Path, manifest: Mapping[str, Any]) -> int:
    """Load the harvested publications the manifest lists, each into its named graph and
    into the default graph (where queries that do not name graphs read, so comparisons
    span publications); checked against the manifest's hashes. Returns how many."""
    entries = manifest.get("harvested", [])
    for entry in entries:
        path = dist / entry["path"]
        try:
            content = path.read_bytes()
        except OSError as error:
            raise StoreError(f"cannot read the artefact in {dist}: {error}") from error
        if hashlib.sha256(content).hexdigest() != entry["sha256"]:
            raise StoreError(f"{dist}: {entry['path']} does not match manifest.json; rebuild it")
        try:
            for graph in (pyoxigraph.NamedNode(entry["graph"]), None):
                store.load(content, format=pyoxigraph.RdfFormat.N_TRIPLES, to_graph=graph)
        except (SyntaxError, ValueError) as error:
            raise StoreError(f"{path}: {error}") from error
    return len(entries)


def load_release(store: pyoxigraph.Store, release: Release) -> None:
    """Load a release's ``iprkg.nt`` into the named graph of its IRI (never the default
    graph, which holds the live data), checked against its record and its manifest's
    content hash: StoreError naming the release if it is damaged."""
    name = f"iprkg.{N_TRIPLES.extension}"
    try:
        content = release.file(name)
        expected = release.manifest.get("content_hash")
    except (ReleaseError, ValueError) as error:
        raise StoreError(f"release {release.version} in {release.folder}: {error}") from error
    if f"sha256:{hashlib.sha256(content).hexdigest()}" != expected:
        raise StoreError(
            f"release {release.version} in {release.folder}: {name} does not match its "
            "manifest.json"
        )
    try:
        store.load(
            content, format=N_TRIPLES.oxigraph_format, to_graph=pyoxigraph.NamedNode(release.iri)
        )
    except (SyntaxError, ValueError) as error:
        raise StoreError(f"release {release.version}: {release.folder / name}: {error}") from error
