"""The SPARQL 1.1 Service Description of the endpoint (what ``GET /sparql`` answers).

https://www.w3.org/TR/sparql11-service-description/ : an ``sd:Service`` with its
``sd:endpoint`` (the URL the request reached, so it names the host the client used),
the language it speaks (SPARQL 1.1 Query, not Update: the data are read-only), every
result format of the formats registry by its W3C format IRI, simple entailment, and the
default dataset: its default graph and each named graph described with VoID counts,
and, for the built artefact, the manifest's content hash and build time.

``sd:feature`` lists nothing, on purpose: the default graph is not the union of the
named graphs (``sd:UnionDefaultGraph``), FROM does not fetch IRIs
(``sd:DereferencesURIs``), no dataset is required (``sd:RequiresDataset``), empty graphs
cannot exist in a read-only store (``sd:EmptyGraphs``), and SERVICE is refused
(``sd:BasicFederatedQuery``).

The example queries (``services.examples``, the SHACL SPARQL executables the build
publishes for ``queries/**/*.rq``) are in the description too: ``sd:Service rdfs:seeAlso``
each one, and each one's own triples (its form's class, its text in ``sh:select``, its
labels and comments in nb and en, ``schema:target``), so that a client holding only the
endpoint's URL finds them in one request, as it would with
``SELECT ?query WHERE { ?example a sh:SPARQLExecutable ; sh:select ?query }`` at the
endpoint itself.

``describe(store)`` asks the store once, when the app is created; a request only adds
its ``sd:endpoint`` and serialises.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pyoxigraph
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from iprkg.artefact.manifest import served_hash
from iprkg.core.errors import BadRequest
from iprkg.core.example_queries import SCHEMA, SH
from iprkg.core.formats import RESULTS_SERIALISATIONS, SERIALISATIONS, SPARQL_JSON, Serialisation
from iprkg.core.vocabulary import DCT, RDF, RDFS, SD, VOID, XSD
from iprkg.engine.answers import Solutions
from iprkg.engine.store import ReadOnlyStore
from iprkg.services.examples import Example, example_triples, examples_in

RDF_TYPE = NamedNode(f"{RDF}type")
SIMPLE_ENTAILMENT = NamedNode("http://www.w3.org/ns/entailment/Simple")
PREFIXES = {
    "sd": SD,
    "void": VOID,
    "dct": DCT,
    "formats": "http://www.w3.org/ns/formats/",
    "xsd": XSD,
    "rdfs": RDFS,
    "sh": SH,
    "schema": SCHEMA,
}

STATISTICS_QUERY = """SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?distinctSubjects)
  (COUNT(DISTINCT ?p) AS ?properties) (COUNT(DISTINCT ?o) AS ?distinctObjects)
WHERE { ?s ?p ?o }"""
CLASSES_QUERY = "SELECT (COUNT(DISTINCT ?class) AS ?classes) WHERE { ?instance a ?class }"
NAMED_GRAPHS_QUERY = "SELECT DISTINCT ?graph WHERE { GRAPH ?graph { ?s ?p ?o } } ORDER BY ?graph"
STATISTICS = ("triples", "distinctSubjects", "properties", "distinctObjects", "classes")
"""The VoID properties given for each graph, in this order."""


def sd(name: str) -> NamedNode:
    return NamedNode(f"{SD}{name}")


def void(name: str) -> NamedNode:
    return NamedNode(f"{VOID}{name}")


def dct(name: str) -> NamedNode:
    return NamedNode(f"{DCT}{name}")


@dataclass(frozen=True)
class GraphStatistics:
    """VoID counts of one graph, by VoID property name (``triples``, ``classes``, ...)."""

    counts: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class ServiceDescription:
    """Everything said about the service except its ``sd:endpoint``, fixed at startup."""

    triples: tuple[Triple, ...]
    default_graph: GraphStatistics
    """The default graph's VoID counts (the VoID description at /.well-known/void reuses
    them)."""

    def serialise(self, endpoint: str, serialisation: Serialisation) -> bytes:
        """The description of the service reached at ``endpoint``; BadRequest if that is
        no IRI (a forged Host header)."""
        try:
            endpoint_node = NamedNode(endpoint)
        except ValueError as error:
            raise BadRequest(f"the request's URL is not an IRI: {endpoint!r}") from error
        service_type, *rest = self.triples
        triples = [service_type, Triple(SERVICE, sd("endpoint"), endpoint_node), *rest]
        return (
            pyoxigraph.serialize(triples, format=serialisation.oxigraph_format, prefixes=PREFIXES)
            or b""
        )


SERVICE = BlankNode("service")
DATASET = BlankNode("dataset")
DEFAULT_GRAPH = BlankNode("defaultGraph")


def describe(store: ReadOnlyStore) -> ServiceDescription:
    """Describe the service answering from ``store`` (several COUNT queries, once)."""
    default_graph = statistics(store)
    triples = description_triples(store, default_graph)
    return ServiceDescription((*triples, *examples_triples(examples_in(store))), default_graph)


def examples_triples(examples: list[Example]) -> list[Triple]:
    """The service's links to the example queries, and their own triples."""
    see_also = NamedNode(f"{RDFS}seeAlso")
    links = [Triple(SERVICE, see_also, NamedNode(example.iri)) for example in examples]
    return links + example_triples(examples)


def description_triples(store: ReadOnlyStore, default_graph: GraphStatistics) -> Iterator[Triple]:
    yield Triple(SERVICE, RDF_TYPE, sd("Service"))
    yield Triple(SERVICE, sd("supportedLanguage"), sd("SPARQL11Query"))
    formats = [s.w3c_format for s in RESULTS_SERIALISATIONS] + [
        s.w3c_format for s in SERIALISATIONS
    ]
    for w3c_format in formats:
        yield Triple(SERVICE, sd("resultFormat"), NamedNode(w3c_format))
    yield Triple(SERVICE, sd("defaultEntailmentRegime"), SIMPLE_ENTAILMENT)
    yield Triple(SERVICE, sd("defaultDataset"), DATASET)

    yield Triple(DATASET, RDF_TYPE, sd("Dataset"))
    manifest = store.manifest
    if manifest is not None:
        yield Triple(DATASET, dct("identifier"), Literal(served_hash(manifest)))
        modified = Literal(str(manifest["built"]), datatype=NamedNode(f"{XSD}dateTime"))
        yield Triple(DATASET, dct("modified"), modified)
    names = named_graphs(store)
    yield Triple(DATASET, sd("defaultGraph"), DEFAULT_GRAPH)
    for number, _ in enumerate(names, start=1):
        yield Triple(DATASET, sd("namedGraph"), BlankNode(f"namedGraph{number}"))
    yield from graph_triples(DEFAULT_GRAPH, default_graph)
    for number, name in enumerate(names, start=1):
        named, graph = BlankNode(f"namedGraph{number}"), BlankNode(f"graph{number}")
        yield Triple(named, RDF_TYPE, sd("NamedGraph"))
        yield Triple(named, sd("name"), NamedNode(name))
        yield Triple(named, sd("graph"), graph)
        yield from graph_triples(graph, statistics(store, name))


def graph_triples(graph: BlankNode, counts: GraphStatistics) -> Iterator[Triple]:
    yield Triple(graph, RDF_TYPE, sd("Graph"))
    for name, count in counts.counts:
        yield Triple(graph, void(name), Literal(str(count), datatype=NamedNode(f"{XSD}integer")))


def statistics(store: ReadOnlyStore, graph: str | None = None) -> GraphStatistics:
    """VoID counts of the default graph, or of the named graph ``graph``."""
    graphs = () if graph is None else (graph,)
    row = {
        **solutions(store, STATISTICS_QUERY, graphs)[0],
        **solutions(store, CLASSES_QUERY, graphs)[0],
    }
    return GraphStatistics(tuple((name, int(row[name])) for name in STATISTICS))


def named_graphs(store: ReadOnlyStore) -> list[str]:
    return [row["graph"] for row in solutions(store, NAMED_GRAPHS_QUERY)]


def solutions(
    store: ReadOnlyStore, query: str, default_graph_uris: Sequence[str] = ()
) -> list[dict[str, str]]:
    """The rows of a SELECT query, each variable's value as a string."""
    result = store.query(query, default_graph_uris=default_graph_uris)
    assert isinstance(result, Solutions), "a SELECT query answers solutions"
    document = json.loads(result.serialise(SPARQL_JSON))
    return [
        {name: term["value"] for name, term in binding.items()}
        for binding in document["results"]["bindings"]
    ]
