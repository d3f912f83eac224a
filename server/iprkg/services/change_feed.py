"""The change feed: a Linked Data Event Stream (LDES 1.0, on the TREE specification) of
the releases, paged; the Atom feed of releases is ``release_feed``.

**Members are versioned snapshots**, not change events. For every release, oldest first,
each resource (an IRI that is the subject of triples) whose description differs from the
one in the release before is a member: a *version object* whose IRI is
``{release IRI}#{resource IRI}`` (a hash IRI of the release, so it dereferences to the
release's page), with

* ``dct:isVersionOf`` the resource (the stream's ``ldes:versionOfPath``),
* ``prov:generatedAtTime`` the time of release (its ``ldes:timestampPath``),
* the resource's triples in that release, with the version object as their subject (and
  any blank nodes they lead to, relabelled per member);
* or, when the resource is gone in that release, ``a as:Tombstone`` and nothing else (the
  stream's ``ldes:versionDeleteObject``).

The first release has every resource as a member. So the newest version of each
resource, read from the first page to the last, is the newest release; and the members
of one release are exactly the resources its diff touched. Snapshots rather than change
events: a version object is what LDES clients materialise (keep the newest version per
``ldes:versionOfPath``), a harvester replaces a resource's description wholesale with no
patch to apply in order, and a changed triple needs no reification. ``Change`` records
of ``iprkg.build.changes`` stay in each release's ``changes.json``, in people's terms.

**Pages.** Members are in order of release, then resource IRI, ``page_size`` to a page.
Page 1, the root node, is ``{root}feed/ldes``, and page N is ``{root}feed/ldes?page=N``,
where this server answers (``publication.Locations``); the stream's IRI is canonical,
``{base}feed/ldes``. Each page says the stream's configuration, the root node and its
retention policy, its members, a ``tree:GreaterThanOrEqualToRelation`` on the timestamp
to the next page, and Hydra's ``first``/``previous``/``next``/``last``. Once full, a page
never changes, but the last page grows with the next release.

**Retention.** Every member ever published is kept: the root node's
``ldes:retentionPolicy`` keeps members ``ldes:startingFrom`` the first release, which is
every member.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

import pyoxigraph
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from iprkg.artefact.releases import Release
from iprkg.core.errors import BadRequest, NotFound
from iprkg.core.formats import N_TRIPLES
from iprkg.core.vocabulary import DCT, PROV, RDF, RDFS, XSD
from iprkg.core.vocabulary import PREFIXES as VOCABULARY_PREFIXES
from iprkg.services.publication import TYPE, Locations, Publication, iri, texts, typed

LDES = "https://w3id.org/ldes#"
TREE = "https://w3id.org/tree#"
HYDRA = "http://www.w3.org/ns/hydra/core#"
ACTIVITY_STREAMS = "https://www.w3.org/ns/activitystreams#"
SH = "http://www.w3.org/ns/shacl#"
LDES_SPECIFICATION = "https://w3id.org/ldes/specification"

STREAM_PATH = "feed/ldes"
"""The stream's IRI relative to the base, and its root node's path at this server."""
DEFAULT_PAGE_SIZE = 100
"""Members per page of the stream (a full page never changes)."""
FRAGMENT_SAFE = ":/?@!$&'()*+,;=-._~"
"""What a resource's IRI keeps as it is in its version's fragment (the rest %-encoded)."""
MAX_PAGE_DIGITS = 9
"""A page token longer than this is malformed (no feed has a billion pages)."""

Term = NamedNode | BlankNode | Literal | Triple

TIMESTAMP = iri(PROV, "generatedAtTime")
VERSION_OF = iri(DCT, "isVersionOf")
TOMBSTONE = iri(ACTIVITY_STREAMS, "Tombstone")

PREFIXES = {
    **VOCABULARY_PREFIXES,
    "ldes": LDES,
    "tree": TREE,
    "hydra": HYDRA,
    "as": ACTIVITY_STREAMS,
    "prov": PROV,
    "sh": SH,
}

STREAM_TITLE = {
    "nb": "iprkg: endringer fra utgivelse til utgivelse",
    "en": "iprkg: changes from release to release",
}
STREAM_DESCRIPTION = {
    "nb": "En Linked Data Event Stream: for hver utgivelse en versjon av hver ressurs som "
    "endret seg (eller en gravstein for en ressurs som ble borte), eldste først.",
    "en": "A Linked Data Event Stream: for each release, a version of every resource that "
    "changed (or a tombstone for a resource that is gone), oldest first.",
}
RETENTION_NOTE = {
    "nb": "Alle medlemmer beholdes: ingen utgivelse eller versjon fjernes noen gang.",
    "en": "Every member is kept: no release or version is ever removed.",
}


@dataclass(frozen=True)
class Member:
    """A version of ``entity`` made by the release ``version`` at ``released``."""

    iri: str
    entity: str
    version: str
    released: str
    payload: tuple[Triple, ...]
    """The entity's triples in the release, the version as subject; () if it is gone."""

    @property
    def deleted(self) -> bool:
        return not self.payload

    def triples(self) -> Iterator[Triple]:
        subject = NamedNode(self.iri)
        yield Triple(subject, VERSION_OF, NamedNode(self.entity))
        yield Triple(subject, TIMESTAMP, typed(self.released, "dateTime"))
        if self.deleted:
            yield Triple(subject, TYPE, TOMBSTONE)
        yield from self.payload


@dataclass(frozen=True)
class ChangeFeed:
    """The stream's members, oldest first, cut into pages of ``page_size``."""

    members: tuple[Member, ...]
    page_size: int = DEFAULT_PAGE_SIZE

    @property
    def last_page(self) -> int:
        """The number of the last page (1 when there are no members: an empty root)."""
        return max(1, -(-len(self.members) // self.page_size))

    def page(self, number: int) -> tuple[Member, ...]:
        start = (number - 1) * self.page_size
        return self.members[start : start + self.page_size]

    def page_number(self, tokens: Sequence[str]) -> int:
        """The page that ``?page=`` names (none: the root, 1): BadRequest (400) for a
        malformed token, NotFound (404) for a page beyond the last."""
        if not tokens:
            return 1
        if len(tokens) > 1:
            raise BadRequest("give one page of the change feed, not several")
        token = tokens[0]
        if not (token.isascii() and token.isdigit()) or len(token) > MAX_PAGE_DIGITS:
            raise BadRequest(
                f"{token[:20]!r} is no page of the change feed: a page is a number from 1 "
                f"to {self.last_page}"
            )
        number = int(token)
        if not 1 <= number <= self.last_page:
            raise NotFound(
                f"the change feed has no page {number}: its pages are 1 to {self.last_page}"
            )
        return number


def change_feed(releases: Sequence[Release], page_size: int = DEFAULT_PAGE_SIZE) -> ChangeFeed:
    """The feed of ``releases`` (oldest first); read once for the same releases."""
    if page_size < 1:
        raise ValueError(f"a page holds at least one member, not {page_size}")
    return ChangeFeed(members_of(Releases(tuple(releases))), page_size)


@dataclass(frozen=True, eq=False)
class Releases:
    """Releases as a cache key: the same when their versions, hashes and folders are."""

    releases: tuple[Release, ...]

    def key(self) -> tuple[tuple[str, str, str, str], ...]:
        return tuple((r.version, r.content_hash, r.released, str(r.folder)) for r in self.releases)

    def __hash__(self) -> int:
        return hash(self.key())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Releases) and other.key() == self.key()


@lru_cache(maxsize=4)
def members_of(releases: Releases) -> tuple[Member, ...]:
    """Every release's versions of the resources it changed, oldest release first."""
    members: list[Member] = []
    before: dict[str, frozenset[str]] = {}
    for release in releases.releases:
        triples = pyoxigraph.parse(
            release.file(f"iprkg.{N_TRIPLES.extension}"), format=N_TRIPLES.oxigraph_format
        )
        described = descriptions(triples)
        now = {entity: signature(found) for entity, found in described.items()}
        for entity in sorted(now.keys() | before.keys()):
            if now.get(entity) != before.get(entity):
                members.append(version_of(release, entity, described.get(entity, ())))
        before = now
    return tuple(members)


def descriptions(triples: Iterable[Triple]) -> dict[str, tuple[Triple, ...]]:
    """Each IRI subject's triples, and those of the blank nodes they lead to."""
    by_subject: dict[object, list[Triple]] = defaultdict(list)
    for triple in triples:
        by_subject[triple.subject].append(triple)
    found = {}
    for subject in by_subject:
        if isinstance(subject, NamedNode):
            found[subject.value] = tuple(bounded(subject, by_subject))
    return found


def bounded(subject: object, by_subject: Mapping[object, list[Triple]]) -> Iterator[Triple]:
    """The triples of ``subject`` and, through blank-node objects, of those nodes."""
    seen = {subject}
    todo = [subject]
    while todo:
        for triple in by_subject.get(todo.pop(), []):
            yield triple
            if isinstance(triple.object, BlankNode) and triple.object not in seen:
                seen.add(triple.object)
                todo.append(triple.object)


def signature(triples: tuple[Triple, ...]) -> frozenset[str]:
    """A description up to its blank nodes' names: each blank node as what it says."""
    by_subject: dict[object, list[Triple]] = defaultdict(list)
    for triple in triples:
        by_subject[triple.subject].append(triple)

    def term(node: object, path: frozenset[object]) -> str:
        if not isinstance(node, BlankNode):
            return str(node)
        if node in path:
            return "[…]"
        inner = sorted(f"{t.predicate} {term(t.object, path | {node})}" for t in by_subject[node])
        return f"[{' ; '.join(inner)}]"

    subjects = [s for s in by_subject if not isinstance(s, BlankNode)]
    return frozenset(
        f"{t.predicate} {term(t.object, frozenset())}" for s in subjects for t in by_subject[s]
    )


def version_of(release: Release, entity: str, triples: tuple[Triple, ...]) -> Member:
    """``entity``'s version in ``release``: its ``triples`` (none if it is gone)."""
    version = f"{release.iri}#{quote(entity, safe=FRAGMENT_SAFE)}"
    subject = NamedNode(version)
    salt = hashlib.sha256(version.encode("utf-8")).hexdigest()[:12]

    def renamed(node: Term) -> Term:
        if isinstance(node, BlankNode):
            return BlankNode(f"v{salt}{node.value}")
        return subject if node == NamedNode(entity) else node

    payload = []
    for triple in triples:
        new_subject, new_object = renamed(triple.subject), renamed(triple.object)
        assert not isinstance(new_subject, Literal)  # a subject is never a literal
        payload.append(Triple(new_subject, triple.predicate, new_object))
    payload.sort(key=str)
    return Member(version, entity, release.version, release.released, tuple(payload))


# ---------------------------------------------------------------- pages


def stream_iri(publication: Publication) -> NamedNode:
    return NamedNode(f"{publication.base}{STREAM_PATH}")


def page_url(at: Locations, number: int) -> str:
    """Where page ``number`` is served here: the root node for 1."""
    root = f"{at.root}{STREAM_PATH}"
    return root if number == 1 else f"{root}?page={number}"


def page_triples(
    feed: ChangeFeed, number: int, publication: Publication, at: Locations
) -> list[Triple]:
    """Page ``number`` (checked by ``ChangeFeed.page_number``) as triples."""
    p = publication
    stream, root, page = stream_iri(p), NamedNode(page_url(at, 1)), NamedNode(page_url(at, number))
    members = feed.page(number)
    t = list(stream_triples(p, feed, root))
    t += [Triple(stream, iri(TREE, "member"), NamedNode(m.iri)) for m in members]
    t += [
        Triple(page, TYPE, iri(TREE, "Node")),
        Triple(page, TYPE, iri(HYDRA, "PartialCollectionView")),
    ]
    if number > 1:
        t.append(Triple(page, iri(DCT, "isPartOf"), stream))
    links = {"first": 1, "last": feed.last_page}
    if number > 1:
        links["previous"] = number - 1
    if number < feed.last_page:
        links["next"] = number + 1
        t += next_relation(feed, number, page, NamedNode(page_url(at, number + 1)))
    t += [Triple(page, iri(HYDRA, name), NamedNode(page_url(at, n))) for name, n in links.items()]
    for member in members:
        t += member.triples()
    return t


def stream_triples(p: Publication, feed: ChangeFeed, root: NamedNode) -> Iterator[Triple]:
    """The stream's configuration, its member shape, the root node and its retention."""
    stream = stream_iri(p)
    shape = NamedNode(f"{stream.value}#member-shape")
    retention = NamedNode(f"{stream.value}#retention")
    yield Triple(stream, TYPE, iri(LDES, "EventStream"))
    yield from (Triple(stream, iri(DCT, "title"), text) for text in texts(STREAM_TITLE))
    yield from (Triple(stream, iri(DCT, "description"), text) for text in texts(STREAM_DESCRIPTION))
    yield Triple(stream, iri(DCT, "publisher"), p.publisher)
    yield Triple(stream, iri(DCT, "conformsTo"), NamedNode(LDES_SPECIFICATION))
    yield Triple(stream, iri(PROV, "wasDerivedFrom"), p.iri("dataset"))
    yield Triple(stream, iri(LDES, "timestampPath"), TIMESTAMP)
    yield Triple(stream, iri(LDES, "versionOfPath"), VERSION_OF)
    yield Triple(stream, iri(LDES, "versionDeletePath"), iri(RDF, "type"))
    yield Triple(stream, iri(LDES, "versionDeleteObject"), TOMBSTONE)
    yield Triple(stream, iri(TREE, "shape"), shape)
    yield Triple(stream, iri(TREE, "view"), root)
    yield Triple(shape, TYPE, iri(SH, "NodeShape"))
    for name, path, constraint, value in (
        ("timestamp", TIMESTAMP, "datatype", iri(XSD, "dateTime")),
        ("version-of", VERSION_OF, "nodeKind", iri(SH, "IRI")),
    ):
        rule = NamedNode(f"{shape.value}-{name}")
        yield Triple(shape, iri(SH, "property"), rule)
        yield Triple(rule, iri(SH, "path"), path)
        yield Triple(rule, iri(SH, constraint), value)
        yield Triple(rule, iri(SH, "minCount"), typed(1, "integer"))
        yield Triple(rule, iri(SH, "maxCount"), typed(1, "integer"))
    yield Triple(root, TYPE, iri(TREE, "Node"))
    yield Triple(root, iri(LDES, "retentionPolicy"), retention)
    yield Triple(retention, TYPE, iri(LDES, "RetentionPolicy"))
    yield from (Triple(retention, iri(RDFS, "comment"), text) for text in texts(RETENTION_NOTE))
    if feed.members:
        yield Triple(
            retention, iri(LDES, "startingFrom"), typed(feed.members[0].released, "dateTime")
        )


def next_relation(
    feed: ChangeFeed, number: int, page: NamedNode, following: NamedNode
) -> list[Triple]:
    """From page ``number`` to the next: every member from there on is at least as new as
    the next page's first."""
    relation = NamedNode(f"{page.value}#next")
    first = feed.page(number + 1)[0]
    remaining = len(feed.members) - number * feed.page_size
    return [
        Triple(page, iri(TREE, "relation"), relation),
        Triple(relation, TYPE, iri(TREE, "GreaterThanOrEqualToRelation")),
        Triple(relation, iri(TREE, "node"), following),
        Triple(relation, iri(TREE, "path"), TIMESTAMP),
        Triple(relation, iri(TREE, "value"), typed(first.released, "dateTime")),
        Triple(relation, iri(TREE, "remainingItems"), typed(remaining, "integer")),
    ]


def serialise_page(
    triples: Sequence[Triple], serialisation_format: pyoxigraph.RdfFormat, base: str
) -> bytes:
    """``triples`` once each, grouped by subject in the order subjects first appear, with
    the feed's prefixes and ``ipr:`` for the ontology under ``base``."""
    first_seen: dict[object, int] = {}
    for triple in triples:
        first_seen.setdefault(triple.subject, len(first_seen))
    grouped = sorted(dict.fromkeys(triples), key=lambda triple: first_seen[triple.subject])
    prefixes = {**PREFIXES, "ipr": f"{base}ontology#"}
    return pyoxigraph.serialize(grouped, format=serialisation_format, prefixes=prefixes) or b""
