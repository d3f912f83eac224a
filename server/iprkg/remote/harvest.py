"""``iprkg harvest URL``: take in another publication, so that comparisons span both.

The steps, each refusing with a ``Rejected`` that says why: find the publication's
description (the URL itself if it answers VoID or DCAT in RDF, else its origin's
``/.well-known/void``); choose the dataset and its best dump (N-Triples before Turtle,
RDF/XML and JSON-LD; plain before gzipped); download it, bounded in size; parse it. What
passes is kept in the harvested folder (``iprkg.build.harvested``) as sorted N-Triples with a
JSON record beside it, and the next build validates it with our own sources against our
shapes and serves it as the named graph named by its dump URL (and in the default graph,
where the comparison queries read). ``iprkg harvest`` runs that build at once and puts
the folder back as it was if the build fails, so a rejected dump never replaces what was
published.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from rdflib import Graph, Literal, Namespace, URIRef

from iprkg.build.dumps import sorted_n_triples
from iprkg.build.harvested import UNREACHABLE, Record, Rejected
from iprkg.core import http, vocabulary
from iprkg.core.formats import UnknownFormatError, by_extension, by_media_type

VOID = Namespace(vocabulary.VOID)
DCAT = Namespace(vocabulary.DCAT)
DCT = Namespace(vocabulary.DCT)
WELL_KNOWN_VOID = "/.well-known/void"
DESCRIPTION_ACCEPT = (
    "text/turtle, application/n-triples;q=0.9, application/rdf+xml;q=0.8, "
    "application/ld+json;q=0.5, */*;q=0.1"
)
PREFERENCE = ("nt", "ttl", "rdf", "jsonld")
"""Dump formats in the order they are chosen: the simplest to parse and stream first."""
MAX_DESCRIPTION_BYTES = 8 * 1024 * 1024


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
class Fetched:
    url: str
    """Where the content came from, after redirects."""
    media_type: str
    content: bytes


Fetch = Callable[[str, str, int], Fetched]
"""``fetch(url, accept, max_bytes)``: Rejected when it cannot."""


def http_fetcher(timeout: float) -> Fetch:
    """A ``Fetch`` over HTTP(S) with the one client of ``iprkg.core.http``: up to
    ``http.MAX_REDIRECTS`` redirects followed, never to another scheme; proxies from the
    environment honoured; the body read raw, at most ``max_bytes`` of it."""

    def fetch(url: str, accept: str, max_bytes: int) -> Fetched:
        check_web_url(url)
        client = http.Client(timeout, agent="(harvest)", proxies_from_environment=True)
        headers = {"Accept": accept}
        try:
            with client, client.open("GET", url, headers, redirects=http.MAX_REDIRECTS) as got:
                if not 200 <= got.status < 300:
                    raise Rejected(f"{url} answered {got.status} {got.reason}")
                final = got.url
                check_web_url(final)
                content = got.read_at_most(max_bytes)
                media_type = got.media_type
        except http.NoAnswer as error:
            raise Rejected(f"cannot reach {url}: {error}", UNREACHABLE) from error
        if media_type.count("/") != 1:
            media_type = "text/plain"  # none, or not a media type: email's default, as urllib
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
