"""The harvested folder: what ``iprkg harvest`` keeps (``{slug}.nt`` and its JSON
``Record``), how a harvest or a removal changes it (put back as it was if the build that
follows fails), and what the build copies into ``dist`` and the manifest."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from iprkg.build.sources import SourceError, Sources

RECORD_SUFFIX = ".json"
DUMP_SUFFIX = ".nt"


class Rejected(Exception):
    """The publication cannot be harvested; the message says why and what to do."""

    def __init__(self, message: str, exit_code: int = 5) -> None:
        super().__init__(message)
        self.exit_code = exit_code


UNREACHABLE = 4
"""Exit code: the publication could not be reached or broke off."""


@dataclass(frozen=True)
class Record:
    """What was harvested, kept beside the dump and copied into the manifest."""

    graph: str
    """The named graph's IRI: the URL of the dump it came from."""
    dump: str
    description: str
    """The URL of the VoID or DCAT description that offered the dump."""
    dataset: str
    title: str
    harvested: str
    """When, in ISO 8601 UTC."""
    triples: int
    sha256: str
    """Of the kept N-Triples file."""

    @classmethod
    def read(cls, path: Path) -> Record:
        fields = json.loads(path.read_text(encoding="utf-8"))
        return cls(**{name: fields[name] for name in cls.__dataclass_fields__})

    def json_bytes(self) -> bytes:
        return (json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def slug(graph: str) -> str:
    """A file name stem for the graph ``graph``: readable, and unique by a hash."""
    readable = re.sub(r"[^A-Za-z0-9]+", "-", graph.split("://", 1)[-1]).strip("-")[:60]
    return f"{readable}-{hashlib.sha256(graph.encode('utf-8')).hexdigest()[:8]}"


def records(folder: Path) -> list[tuple[Path, Record]]:
    """The harvested dumps kept in ``folder`` and their records, by file name: Rejected
    (exit 2) naming a record that is missing or damaged."""
    if not folder.is_dir():
        return []
    found = []
    for dump in sorted(folder.glob(f"*{DUMP_SUFFIX}")):
        record = dump.with_suffix(RECORD_SUFFIX)
        try:
            found.append((dump, Record.read(record)))
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise Rejected(
                f"{record}: missing or damaged ({error}); delete {dump.name} and it, then "
                "harvest the publication again",
                2,
            ) from error
    return found


@contextmanager
def kept(folder: Path, record: Record, content: bytes) -> Iterator[Record]:
    """Keep ``content`` in ``folder`` as the graph ``record.graph`` (replacing an earlier
    harvest of it) for the block; if the block raises, put the folder back as it was."""
    stem = slug(record.graph)
    paths = {DUMP_SUFFIX: folder / f"{stem}{DUMP_SUFFIX}", RECORD_SUFFIX: folder / f"{stem}.json"}
    before = {
        suffix: path.read_bytes() if path.exists() else None for suffix, path in paths.items()
    }
    folder.mkdir(parents=True, exist_ok=True)
    try:
        write_atomically(paths[DUMP_SUFFIX], content)
        write_atomically(paths[RECORD_SUFFIX], record.json_bytes())
        yield record
    except BaseException:
        for suffix, path in paths.items():
            old = before[suffix]
            if old is None:
                path.unlink(missing_ok=True)
            else:
                write_atomically(path, old)
        raise


@contextmanager
def removed(folder: Path, graph: str) -> Iterator[Record]:
    """Remove the harvested graph ``graph`` for the block; put it back if the block raises."""
    found = [(dump, record) for dump, record in records(folder) if record.graph == graph]
    if not found:
        known = ", ".join(record.graph for _, record in records(folder)) or "none"
        raise Rejected(f"no harvested graph {graph}; harvested graphs: {known}", 2)
    dump, record = found[0]
    saved = {path: path.read_bytes() for path in (dump, dump.with_suffix(RECORD_SUFFIX))}
    for path in saved:
        path.unlink()
    try:
        yield record
    except BaseException:
        for path, content in saved.items():
            write_atomically(path, content)
        raise


def write_atomically(path: Path, content: bytes) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(content)
    temporary.replace(path)


DIST_PREFIX = "harvested-"
"""How a harvested graph's file is named in ``dist``: ``harvested-{slug}.nt``."""


def compiled(sources: Sources) -> tuple[dict[str, bytes], list[dict[str, Any]]]:
    """The harvested files for ``dist`` and their manifest entries: SourceError if a kept
    dump no longer matches its record."""
    files: dict[str, bytes] = {}
    entries: list[dict[str, Any]] = []
    for source in (f for f in sources.files if f.kind == "harvested"):
        record_path = source.path.with_suffix(RECORD_SUFFIX)
        try:
            record = Record.read(record_path)
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise SourceError(
                f"{source.name}: its record {record_path.name} is missing or damaged "
                f"({error}); harvest it again, or delete both files"
            ) from error
        if record.sha256 != source.sha256:
            raise SourceError(
                f"{source.name} changed after it was harvested from {record.dump}; "
                "harvest it again (iprkg harvest URL), or delete it and its record"
            )
        name = f"{DIST_PREFIX}{source.path.name}"
        files[name] = source.path.read_bytes()
        entries.append({"path": name, **asdict(record)})
    return files, entries
