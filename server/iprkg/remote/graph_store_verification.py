"""Verifying a graph in the store: count it, read it back (CONSTRUCT), hash it as the
build does, and say in one line what differs.

A store that caps answers (Virtuoso's ``ResultSetMaxRows``, 10000 in Debian's
``virtuoso.ini``) sends back fewer triples than it counts; the graph is then read again
in parts by subject (``read_in_parts``: the first hex digits of the MD5 of the subject's IRI,
subjects that are blank nodes as one part), each part counted and split further while
the store still cuts it short, so a cap below the graph's size does not stop the
verification. Where a part cannot be split further, the verification fails and says so.

Verified means: the store counts exactly the expected number of triples in the graph,
and the graph read back hashes to the expected content hash, computed by the build's own
functions (``published_graph`` relabels blank nodes canonically, ``sorted_n_triples``
writes the sorted dump whose sha256 the manifest records), so that a store's own
blank-node labels do not matter. One difference passes unless ``exact``, and is
reported: literals the store rewrote to the same value in a wider XSD type (Oxigraph
keeps every type derived from xsd:integer as xsd:integer, so the build's
``xsd:nonNegativeInteger`` comes back so).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlencode

from rdflib import XSD, BNode, Graph, Literal, URIRef
from rdflib.exceptions import ParserError
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from iprkg.artefact.manifest import sha256
from iprkg.build.dumps import published_graph, sorted_n_triples
from iprkg.core.formats import N_TRIPLES
from iprkg.remote.graph_store_http import (
    AccessRefused,
    Answer,
    Client,
    Target,
    UploadRefused,
    VerificationFailed,
    access_refused,
)

RESULTS_JSON = "application/sparql-results+json"
GRAPH_TYPES = {"application/n-triples": "nt", "text/plain": "nt", "text/turtle": "turtle"}
"""Media types a CONSTRUCT answer is read in, and rdflib's parser for each."""
EXAMPLES = 3
"""Differing triples quoted in a verification failure, of each kind."""


class Expected(Protocol):
    """What a graph must hold: a number of triples, a content hash, and the triples."""

    @property
    def triples(self) -> int: ...

    @property
    def content_hash(self) -> str: ...

    def graph(self) -> Graph: ...


@dataclass(frozen=True)
class Verified:
    """What the store holds in the graph: the manifest's triples, its content hash, and
    the literals it rewrote to the same value in a wider type (``old -> new``)."""

    triples: int
    content_hash: str
    rewritten: tuple[str, ...] = ()
    parts: int = 1
    """How many answers the graph was read back in (more than one where the store caps
    its answers below the graph's size)."""


def verify(artefact: Expected, target: Target, client: Client, exact: bool) -> Verified:
    """Count the graph's triples and hash them read back; VerificationFailed saying what
    differs from the manifest. Unless ``exact``, literals the store rewrote to the same
    value in the same or a wider XSD type are no difference (Oxigraph stores
    ``"5"^^xsd:nonNegativeInteger`` as ``"5"^^xsd:integer``; Virtuoso ``"1.50"`` as
    ``"1.5"``): the caller
    is told which."""
    counted = count_triples(target, client)
    found = read_graph(target, client)
    parts = 1
    if len(found) < counted:  # the store caps its answers: read the graph in parts
        found, parts = read_in_parts(target, client, counted)
    found_hash = content_hash(found)
    if counted == len(found) == artefact.triples:
        if found_hash == artefact.content_hash:
            return Verified(counted, found_hash, parts=parts)
        rewritten = rewritten_literals(artefact.graph(), found)
        if rewritten and not exact:
            return Verified(counted, found_hash, tuple(rewritten), parts)
    raise VerificationFailed(differences(artefact, counted, found, found_hash))


XSD_WIDER: dict[URIRef, URIRef] = {
    XSD[derived]: XSD[wider]
    for derived, wider in {
        "integer": "decimal",
        "nonPositiveInteger": "integer",
        "negativeInteger": "nonPositiveInteger",
        "long": "integer",
        "int": "long",
        "short": "int",
        "byte": "short",
        "nonNegativeInteger": "integer",
        "positiveInteger": "nonNegativeInteger",
        "unsignedLong": "nonNegativeInteger",
        "unsignedInt": "unsignedLong",
        "unsignedShort": "unsignedInt",
        "unsignedByte": "unsignedShort",
        "dateTimeStamp": "dateTime",
        "dayTimeDuration": "duration",
        "yearMonthDuration": "duration",
        "normalizedString": "string",
        "token": "normalizedString",
    }.items()
}
"""Each XSD datatype the store may widen, to the type it is derived from."""


def widened(datatype: URIRef | None) -> list[URIRef | None]:
    """``datatype`` and every type it derives from."""
    chain = [datatype]
    while chain[-1] in XSD_WIDER:
        chain.append(XSD_WIDER[chain[-1]])
    return chain


def datatype_of(literal: Literal) -> URIRef | None:
    """The literal's datatype; a simple literal's is xsd:string (RDF 1.1)."""
    return literal.datatype or (None if literal.language else XSD.string)


def rewritten_literals(built: Graph, found: Graph) -> list[str] | None:
    """``old -> new`` for every triple of ``built`` that ``found`` holds with its literal
    rewritten to the same value in the same or a wider type; None if any other triple
    differs (or blank nodes make triples incomparable)."""
    missing, extra = built - found, found - built
    if len(missing) != len(extra) or has_blank_nodes(built) or has_blank_nodes(found):
        return None
    unmatched = set(extra)
    rewrites = []
    for subject, predicate, old in sorted(missing):
        new = next(
            (
                o
                for s, p, o in unmatched
                if (s, p) == (subject, predicate) and same_value_wider(old, o)
            ),
            None,
        )
        if new is None or not isinstance(old, Literal):
            return None
        unmatched.remove((subject, predicate, new))
        rewrites.append(f"{old.n3()} -> {new.n3()}")
    return rewrites


def same_value_wider(old: Node, new: Node) -> bool:
    """Whether literal ``new`` has the value of ``old`` in its type or a wider one."""
    if not (isinstance(old, Literal) and isinstance(new, Literal)):
        return False
    if old.value is None or old.language != new.language:
        return False  # ill-typed, or a language-tagged string
    if datatype_of(new) not in widened(datatype_of(old)):
        return False
    try:
        return bool(old.value == new.value)
    except (TypeError, ValueError):
        return False


def has_blank_nodes(graph: Graph) -> bool:
    return any(isinstance(term, BNode) for triple in graph for term in triple)


def content_hash(graph: Graph) -> str:
    """The manifest's ``content_hash`` of ``graph``, computed as the build computes it:
    the sha256 of the sorted N-Triples of the graph with canonical blank-node labels."""
    return f"sha256:{sha256(sorted_n_triples(published_graph(graph, {})))}"


def ask(target: Target, client: Client, query: str, accept: str) -> Answer:
    """POST ``query`` to the query endpoint; the answer, or the error it amounts to."""
    answer = client.exchange(
        "POST",
        target.query_endpoint,
        {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        urlencode({"query": query}).encode("ascii"),
        authorise=target.query_shares_origin,
    )
    if answer.status in (401, 403):
        raise AccessRefused(access_refused(answer, client.credentials, "the query"))
    if not answer.ok:
        hint = "Fuseki's is /<dataset>/sparql, Virtuoso's /sparql: give --query-endpoint"
        raise UploadRefused(f"{target.query_endpoint} answered {answer.summary()} ({hint})")
    return answer


def count_triples(target: Target, client: Client, restriction: str = "") -> int:
    query = f"SELECT (COUNT(*) AS ?triples) WHERE {{ {target.pattern()} {restriction} }}"
    answer = ask(target, client, query, RESULTS_JSON)
    try:
        results = json.loads(answer.body)
        return int(results["results"]["bindings"][0]["triples"]["value"])
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise UploadRefused(
            f"{target.query_endpoint} did not answer the count as SPARQL JSON results"
        ) from error


def read_graph(target: Target, client: Client, restriction: str = "") -> Graph:
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {target.pattern()} {restriction} }}"
    accept = "application/n-triples, text/turtle;q=0.9, text/plain;q=0.5"
    answer = ask(target, client, query, accept)
    parser = GRAPH_TYPES.get(answer.media_type)
    if parser is None:
        raise UploadRefused(
            f"{target.query_endpoint} answered the CONSTRUCT as {answer.media_type or 'untyped'}"
            f", not one of {', '.join(GRAPH_TYPES)}"
        )
    try:
        return Graph().parse(data=answer.body, format=parser)
    except (BadSyntax, ParserError, ValueError) as error:
        raise UploadRefused(f"{target.query_endpoint} answered unreadable RDF: {error}") from error


HEX_DIGITS = "0123456789abcdef"
MAX_PREFIX = 3
"""The longest MD5 prefix a part is split to (4,096 parts of IRI subjects)."""


def read_in_parts(target: Target, client: Client, total: int) -> tuple[Graph, int]:
    """The graph of ``total`` triples read back in parts small enough for a store that
    caps its answers: the triples whose subject is a blank node, then those of IRI
    subjects by the first hex digits of the MD5 of the IRI, a part split further while
    the store cuts it short and splitting narrows it. The graph, and how many parts were
    read (a part still cut short is read as sent, and the verification then fails)."""
    found = Graph()
    parts = 0

    def read(restriction: str, prefix: str | None, whole: int) -> None:
        """Read the part ``restriction`` keeps, split further while cut short, as long as
        splitting narrows it (``whole``: the triples of the part it was split from)."""
        nonlocal parts
        expected = count_triples(target, client, restriction)
        if expected == 0:
            return
        part = read_graph(target, client, restriction)
        narrower = expected < whole and prefix is not None and len(prefix) < MAX_PREFIX
        if len(part) < expected and narrower:
            for digit in HEX_DIGITS:
                read(iri_part(f"{prefix}{digit}"), f"{prefix}{digit}", expected)
            return
        parts += 1
        for triple in part:
            found.add(triple)

    read("FILTER(isBlank(?s))", None, total)
    for digit in HEX_DIGITS:
        read(iri_part(digit), digit, total)
    return found, parts


def iri_part(prefix: str) -> str:
    """The restriction to subjects that are IRIs whose MD5 starts with ``prefix``."""
    return f'FILTER(isIRI(?s) && STRSTARTS(MD5(STR(?s)), "{prefix}"))'


def differences(artefact: Expected, counted: int, found: Graph, found_hash: str) -> str:
    """What the store's graph and the manifest disagree on, in one line."""
    if counted == artefact.triples:
        said = [f"the count agrees ({counted} triples)"]
    else:
        said = [f"the store counts {counted} triples, the manifest says {artefact.triples}"]
    if len(found) != counted:
        said.append(
            f"the query endpoint sent back {len(found)} of them (does it cap answers?): "
            f"raise its limit above {counted} (Virtuoso: ResultSetMaxRows in virtuoso.ini)"
        )
    if found_hash != artefact.content_hash:
        said.append(f"content hash {found_hash}, the manifest's {artefact.content_hash}")
    built = artefact.graph()
    rewritten = rewritten_literals(built, found) if counted == len(found) else None
    if rewritten:
        widened = "to the same value in a wider type"
        said.append(
            f"the store rewrote {len(rewritten)} literal(s) {widened}, "
            f"e.g. {rewritten[0]} (passes without --exact)"
        )
    if has_blank_nodes(built) or has_blank_nodes(found):
        said.append("blank nodes: the differing triples are not listed")
    else:
        said += [
            listed("missing", built - found),
            listed("not in the build", found - built),
        ]
    return "verification failed: " + "; ".join(said)


def listed(what: str, graph: Graph) -> str:
    """``N what``, with up to EXAMPLES of the triples in N-Triples."""
    text = graph.serialize(format=N_TRIPLES.rdflib_format)
    examples = sorted(line.removesuffix(" .") for line in text.splitlines() if line.strip())
    examples = examples[:EXAMPLES]
    shown = ", e.g. " + " | ".join(line[:200] for line in examples) if examples else ""
    return f"{len(graph)} {what}{shown}"
