"""``iprkg harvest URL``: take in another publication, so that comparisons span both.

The steps, each refusing with a ``Rejected`` that says why: find the publication's
description (the URL itself if it answers VoID or DCAT in RDF, else its origin's
``/.well-known/void``); choose the dataset and its best dump (N-Triples before Turtle,
RDF/XML and JSON-LD; plain before gzipped); download it, bounded in size; parse it. What
passes is kept in the harvested folder as sorted N-Triples with a JSON record beside it,
and the next build validates it with our own sources against our shapes and serves it
as the named graph named by its dump URL (and in the default graph, where the
comparison queries read). ``harvest`` runs that build at once and puts the folder back as
it was if the build fails, so a rejected dump never replaces what was published.
"""

from __future__ import annotations

import hashlib
import json
import re
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from rdflib import Graph, Literal, Namespace, URIRef

from iprkg import __version__
from iprkg.dumps import sorted_n_triples
from iprkg.formats import UnknownFormatError, by_extension, by_media_type
from iprkg.sources import SourceError, Sources

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
WELL_KNOWN_VOID = "/.well-known/void"
DESCRIPTION_ACCEPT = (
    "text/turtle, application/n-triples;q=0.9, application/rdf+xml;q=0.8, "
    "application/ld+json;q=0.5, */*;q=0.1"
)
PREFERENCE = ("nt", "ttl", "rdf", "jsonld")
"""Dump formats in the order they are chosen: the simplest to parse and stream first."""
MAX_DESCRIPTION_BYTES = 8 * 1024 * 1024
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
class Offer:
    """A dump of a dataset, as its description offers it."""

    dataset: str
    url: str
    serialisation: str
    """The extension of its format (``nt``, ``ttl``, ...)."""
    gzipped: bool

    @property
    def rank(self) -> tuple[int, bool, str]:
        return (PREFERENCE.index(self.serialisation), self.gzipped, self.url)


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


@dataclass(frozen=True)
class Fetched:
    url: str
    """Where the content came from, after redirects."""
    media_type: str
    content: bytes


Fetch = Callable[[str, str, int], Fetched]
"""``fetch(url, accept, max_bytes)``: Rejected when it cannot."""


def http_fetcher(timeout: float) -> Fetch:
    """A ``Fetch`` over HTTP(S) with urllib: redirects followed, never another scheme."""

    def fetch(url: str, accept: str, max_bytes: int) -> Fetched:
        check_web_url(url)
        request = urllib.request.Request(
            url, headers={"Accept": accept, "User-Agent": f"iprkg/{__version__} (harvest)"}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                final = response.geturl()
                check_web_url(final)
                content = response.read(max_bytes + 1)
                media_type = response.headers.get_content_type()
        except urllib.error.HTTPError as error:
            error.close()
            raise Rejected(f"{url} answered {error.code} {error.reason}") from error
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise Rejected(f"cannot reach {url}: {reason}", UNREACHABLE) from error
        if len(content) > max_bytes:
            raise Rejected(
                f"{url} is larger than {max_bytes // (1024 * 1024)} MB; "
                "raise the limit with --max-mb if it is expected"
            )
        return Fetched(final, media_type, content)

    return fetch


def check_web_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise Rejected(f"{url}: only http:// and https:// URLs can be harvested", 2)


def describe(url: str, fetch: Fetch) -> tuple[Fetched, Graph]:
    """The publication's description: ``url`` itself if it is RDF that offers a dump,
    else the VoID at its origin's well-known location."""
    check_web_url(url)
    tried: list[str] = []
    candidates = [url]
    well_known = urljoin(url, WELL_KNOWN_VOID)
    if well_known != url:
        candidates.append(well_known)
    for candidate in candidates:
        try:
            fetched = fetch(candidate, DESCRIPTION_ACCEPT, MAX_DESCRIPTION_BYTES)
        except Rejected as error:
            if error.exit_code == UNREACHABLE:
                raise
            tried.append(str(error))
            continue
        graph = parse_description(fetched)
        if graph is not None and offers(graph):
            return fetched, graph
        what = "no RDF" if graph is None else "RDF without a dump"
        tried.append(f"{fetched.url} ({fetched.media_type}: {what})")
    raise Rejected(
        "found no VoID or DCAT description offering a dump; tried "
        + "; ".join(tried)
        + ". Give the URL of the publication's VoID (void:dataDump) or DCAT catalogue "
        "(dcat:downloadURL)"
    )


def parse_description(fetched: Fetched) -> Graph | None:
    try:
        serialisation = by_media_type(fetched.media_type)
    except UnknownFormatError:
        return None
    graph = Graph(bind_namespaces="none")
    try:
        graph.parse(data=fetched.content, format=serialisation.rdflib_format, publicID=fetched.url)
    except Exception:  # rdflib's parsers raise many types: then it is not a description
        return None
    return graph


def offers(description: Graph) -> list[Offer]:
    """Every dump in ``description`` whose format is known: ``void:dataDump`` of a
    dataset, and ``dcat:downloadURL`` of a dataset's distribution."""
    found: set[Offer] = set()
    for dataset, dump in description.subject_objects(VOID.dataDump):
        found |= set(offer(str(dataset), str(dump), None))
    for dataset, distribution in description.subject_objects(DCAT.distribution):
        media_type = description.value(distribution, DCAT.mediaType)
        for url in description.objects(distribution, DCAT.downloadURL):
            found |= set(offer(str(dataset), str(url), media_type))
    return sorted(found, key=lambda o: (o.dataset, o.rank))


def offer(dataset: str, url: str, media_type: Any) -> Iterator[Offer]:
    """The offer of a dump at ``url``, if its extension (else its media type) is known."""
    path = urlsplit(url).path
    gzipped = path.endswith(".gz")
    extension = path.removesuffix(".gz").rsplit(".", 1)[-1] if "." in path else ""
    if extension in PREFERENCE:
        yield Offer(dataset, url, extension, gzipped)
        return
    if media_type is not None:
        essence = str(media_type).rsplit("/media-types/", 1)[-1]
        try:
            serialisation = by_media_type(essence)
        except UnknownFormatError:
            return
        if serialisation.extension in PREFERENCE:
            yield Offer(dataset, url, serialisation.extension, gzipped)


def choose(found: list[Offer], dataset: str | None) -> Offer:
    """The best dump of ``dataset``, or of the only dataset offering any."""
    datasets = sorted({o.dataset for o in found})
    if dataset is None:
        if len(datasets) > 1:
            raise Rejected(
                "the description offers dumps of several datasets; choose one with "
                "--dataset IRI: " + ", ".join(datasets),
                2,
            )
        dataset = datasets[0]
    mine = [o for o in found if o.dataset == dataset]
    if not mine:
        raise Rejected(
            f"the description offers no dump of {dataset}; it offers dumps of "
            + ", ".join(datasets),
            2,
        )
    return min(mine, key=lambda o: o.rank)


def download(chosen: Offer, fetch: Fetch, max_bytes: int) -> Graph:
    """The dump, parsed: Rejected if it is too large, not what it says, or empty."""
    serialisation = by_extension(chosen.serialisation)
    fetched = fetch(chosen.url, f"{serialisation.media_type}, */*;q=0.1", max_bytes)
    content = fetched.content
    if content[:2] == b"\x1f\x8b":  # gzipped, whatever the name or type says
        content = gunzip(content, max_bytes, chosen.url)
    graph = Graph(bind_namespaces="none")
    try:
        graph.parse(data=content, format=serialisation.rdflib_format, publicID=chosen.url)
    except Exception as error:  # rdflib's parsers raise many types
        raise Rejected(f"{chosen.url} is not valid {serialisation.label}: {error}") from error
    if not len(graph):
        raise Rejected(f"{chosen.url} holds no triples")
    return graph


def gunzip(content: bytes, max_bytes: int, url: str) -> bytes:
    unpacker = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        unpacked = unpacker.decompress(content, max_bytes + 1)
    except zlib.error as error:
        raise Rejected(f"{url} is not valid gzip: {error}") from error
    if len(unpacked) > max_bytes or unpacker.unconsumed_tail:
        raise Rejected(
            f"{url} unpacks to more than {max_bytes // (1024 * 1024)} MB; "
            "raise the limit with --max-mb if it is expected"
        )
    return unpacked


def title_of(description: Graph, dataset: str) -> str:
    """The dataset's title, English first (else any), or its IRI."""
    titles = [t for t in description.objects(URIRef(dataset), DCT.title) if isinstance(t, Literal)]
    titles.sort(key=lambda t: (t.language != "en", t.language or "", str(t)))
    return str(titles[0]) if titles else dataset


def fetch_publication(
    url: str,
    fetch: Fetch,
    max_bytes: int,
    dataset: str | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> tuple[Record, bytes]:
    """Find, choose, download and parse the publication's dump: its record and the
    sorted N-Triples to keep."""
    fetched, description = describe(url, fetch)
    chosen = choose(offers(description), dataset)
    progress(f"downloading {chosen.url} (offered by {fetched.url})…")
    graph = download(chosen, fetch, max_bytes)
    content = sorted_n_triples(graph)
    record = Record(
        graph=chosen.url,
        dump=chosen.url,
        description=fetched.url,
        dataset=chosen.dataset,
        title=title_of(description, chosen.dataset),
        harvested=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        triples=len(graph),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    return record, content


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
