"""Making the manifest: what an artefact holds (hash, counts, sources, dumps) and when it was built.

``content_hash`` is the sha256 of the sorted N-Triples dump: it changes exactly when the
published triples change, so the server can reuse it for ETag and ``dct:modified``.
``built`` is deterministic: SOURCE_DATE_EPOCH when set, else the newest modification
time of the source files (``built_from`` says which).
"""

from __future__ import annotations

import hashlib
import json
import platform
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from rdflib import RDF, Graph

from iprkg.artefact.manifest import sha256
from iprkg.build.dumps import Dump
from iprkg.build.quads import Quads
from iprkg.build.sources import SourceFile
from iprkg.core.formats import N_QUADS

TOOLS = ("iprkg", "rdflib", "pyshacl", "pyoxigraph")


def build_time(files: Sequence[SourceFile], source_date_epoch: int | None) -> tuple[str, str]:
    """``(built, built_from)``: an ISO 8601 UTC time and where it came from."""
    if source_date_epoch is not None:
        seconds, origin = source_date_epoch, "SOURCE_DATE_EPOCH"
    else:
        seconds = max(int(f.path.stat().st_mtime) for f in files)
        origin = "newest source file modification time"
    built = datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return built, origin


def class_counts(graph: Graph) -> dict[str, int]:
    """Number of distinct instances per rdf:type object, by class IRI."""
    counts = Counter(str(cls) for _, cls in set(graph.subject_objects(RDF.type)))
    return dict(sorted(counts.items()))


def tool_versions() -> dict[str, str]:
    """Versions of Python and the libraries that shape the output."""
    versions = {"python": platform.python_version()}
    for tool in TOOLS:
        try:
            versions[tool] = version(tool)
        except PackageNotFoundError:
            versions[tool] = "unknown"
    return versions


def make_manifest(
    *,
    base: str,
    graph: Graph,
    dumps: Sequence[Dump],
    files: Sequence[SourceFile],
    source_date_epoch: int | None,
    quads: Quads | None = None,
) -> dict[str, Any]:
    """The manifest of an artefact built from ``files`` into ``graph`` and ``dumps``, and
    ``quads`` (``graphs``: the N-Quads dump with a graph per source, not among ``dumps``,
    which are the one-graph dumps that VoID and DCAT advertise)."""
    n_triples = next(d for d in dumps if d.serialisation.extension == "nt")
    built, built_from = build_time(files, source_date_epoch)
    return {
        "name": "iprkg",
        "base": base,
        "content_hash": f"sha256:{sha256(n_triples.content)}",
        "built": built,
        "built_from": built_from,
        "triples": len(graph),
        "subjects": len(set(graph.subjects())),
        "classes": class_counts(graph),
        "sources": [
            {"path": f.name, "kind": f.kind, "sha256": f.sha256, "triples": f.triples}
            for f in files
        ],
        "dumps": [dump_entry(dump) for dump in dumps],
        **({} if quads is None else {"graphs": quads_entry(quads)}),
        "tools": tool_versions(),
    }


def quads_entry(quads: Quads) -> dict[str, Any]:
    return {
        "path": quads.filename,
        "media_type": N_QUADS.media_type,
        "bytes": len(quads.content),
        "sha256": sha256(quads.content),
        "graphs": [
            {
                "iri": graph.iri,
                "source": graph.source,
                "triples": graph.triples,
                "content_hash": graph.content_hash,
            }
            for graph in quads.graphs
        ],
    }


def dump_entry(dump: Dump) -> dict[str, Any]:
    gzipped = dump.gzipped
    return {
        "path": dump.filename,
        "format": dump.serialisation.name,
        "media_type": dump.serialisation.media_type,
        "bytes": len(dump.content),
        "sha256": sha256(dump.content),
        "sha1": sha1(dump.content),
        "gzip": {
            "path": dump.gzip_filename,
            "bytes": len(gzipped),
            "sha256": sha256(gzipped),
            "sha1": sha1(gzipped),
        },
    }


def sha1(content: bytes) -> str:
    """The SHA-1 digest DCAT-AP-NO asks checksums in (``spdx:checksumAlgorithm_sha1``);
    ``sha256`` stays what the artefact is verified by."""
    return hashlib.sha1(content, usedforsecurity=False).hexdigest()


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
