"""The SPARQL 1.1 Service Description at GET /sparql (``server/iprkg/services/service.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.term import Node

from iprkg.artefact.artefact import DatasetFile
from iprkg.core.formats import RESULTS_SERIALISATIONS, SERIALISATIONS
from iprkg.engine.oxigraph_store import OxigraphStore
from iprkg.web.app import create_app
from support.project import DEFAULT_BASE, PROJECT_ROOT
from support.protocol import RDF_TYPES, parse_rdf, sparql_get

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
DCT = Namespace("http://purl.org/dc/terms/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
SHACL = Namespace("http://www.w3.org/ns/shacl#")
QUERIES = PROJECT_ROOT / "queries"

# Spelled out, not taken from the registry, so that the test pins what goes over the wire.
RESULT_FORMATS = {
    FORMATS[name]
    for name in (
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "JSON-LD",
        "RDF_XML",
        "TriG",
        "N-Quads",
    )
}
GRAPH = "http://example.org/graph/municipalities"
DEFAULT_TURTLE = """\
@prefix ex: <http://example.org/> .
ex:nome a ex:Municipality ; ex:name "Nome" ; ex:neighbour ex:midt-telemark .
ex:midt-telemark a ex:Municipality ; ex:name "Midt-Telemark" .
"""
NAMED_TURTLE = """\
@prefix ex: <http://example.org/> .
ex:council a ex:Council , ex:Organisation ; ex:member ex:nome , ex:midt-telemark .
"""


def description(client: FlaskClient, **headers: str) -> Graph:
    response = client.get("/sparql", headers=headers)
    assert response.status_code == 200, response.text
    return parse_rdf(response.data, response.mimetype)


def one(graph: Graph, subject: Node | None, predicate: URIRef) -> Node:
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, (subject, predicate, values)
    return values[0]


def count(client: FlaskClient, query: str, **params: str) -> int:
    response = sparql_get(client, query, "application/sparql-results+json", **params)
    assert response.status_code == 200, response.text
    return int(response.get_json()["results"]["bindings"][0]["n"]["value"])


def void_counts(graph: Graph, node: Node) -> dict[str, int]:
    names = ("triples", "distinctSubjects", "properties", "distinctObjects", "classes")
    return {name: int(one(graph, node, VOID[name]).toPython()) for name in names}


def expected_counts(client: FlaskClient, **params: str) -> dict[str, int]:
    """The VoID counts, each by its own COUNT query over the protocol."""
    where = "WHERE { ?s ?p ?o }"
    return {
        "triples": count(client, f"SELECT (COUNT(*) AS ?n) {where}", **params),
        "distinctSubjects": count(client, f"SELECT (COUNT(DISTINCT ?s) AS ?n) {where}", **params),
        "properties": count(client, f"SELECT (COUNT(DISTINCT ?p) AS ?n) {where}", **params),
        "distinctObjects": count(client, f"SELECT (COUNT(DISTINCT ?o) AS ?n) {where}", **params),
        "classes": count(client, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?x a ?c }", **params),
    }


@pytest.fixture
def files_app(tmp_path: Path) -> Flask:
    """The app serving --dataset files: one into the default graph, one as GRAPH."""
    (tmp_path / "default.ttl").write_text(DEFAULT_TURTLE, encoding="utf-8")
    (tmp_path / "named.ttl").write_text(NAMED_TURTLE, encoding="utf-8")
    files = [DatasetFile(tmp_path / "default.ttl"), DatasetFile(tmp_path / "named.ttl", GRAPH)]
    store = OxigraphStore.from_files(files, DEFAULT_BASE)
    return create_app({"TESTING": True, "IPRKG_STORE": store})


# ---------------------------------------------------------------- the service


def test_the_service_names_its_endpoint_language_formats_and_entailment(
    client: FlaskClient,
) -> None:
    graph = description(client)
    (service,) = graph.subjects(RDF.type, SD.Service)
    assert one(graph, service, SD.endpoint) == URIRef("http://localhost/sparql")
    assert set(graph.objects(service, SD.supportedLanguage)) == {SD.SPARQL11Query}
    assert set(graph.objects(service, SD.resultFormat)) == RESULT_FORMATS
    assert one(graph, service, SD.defaultEntailmentRegime) == URIRef(
        "http://www.w3.org/ns/entailment/Simple"
    )


def test_the_service_links_each_example_query_with_its_triples(
    client: FlaskClient, dataset: Graph
) -> None:
    """``sd:Service rdfs:seeAlso`` each example, and each one's own triples as the data
    hold them (tests/services/test_examples.py pins those against queries/)."""
    graph = description(client, Accept="text/turtle")
    (service,) = graph.subjects(RDF.type, SD.Service)
    examples = set(dataset.subjects(RDF.type, SHACL.SPARQLExecutable))
    assert len(examples) >= 22
    assert set(graph.objects(service, RDFS.seeAlso)) == examples
    assert {t for t in graph if t[0] in examples} == {t for t in dataset if t[0] in examples}
    texts = [str(text) for e in examples for text in graph.objects(e, SHACL.select)]
    assert sorted(texts) == sorted(p.read_text(encoding="utf-8") for p in QUERIES.rglob("*.rq"))


def test_every_registry_format_is_a_result_format(client: FlaskClient) -> None:
    registry = {URIRef(s.w3c_format) for s in (*SERIALISATIONS, *RESULTS_SERIALISATIONS)}
    assert registry == RESULT_FORMATS


def test_no_feature_is_claimed(client: FlaskClient) -> None:
    """No SERVICE (refused), no union default graph, no FROM dereferencing."""
    graph = description(client)
    assert list(graph.triples((None, SD.feature, None))) == []
    assert (None, None, SD.SPARQL11Update) not in graph


def test_the_default_graph_is_not_the_union_of_the_named_graphs(files_app: Flask) -> None:
    """Why ``sd:UnionDefaultGraph`` is not claimed: named-graph triples stay out of it."""
    client = files_app.test_client()
    assert sparql_get(client, "ASK { ?s a <http://example.org/Council> }").get_json() == {
        "head": {},
        "boolean": False,
    }


@pytest.mark.parametrize(
    ("host", "endpoint"),
    [
        ("example.org", "http://example.org/sparql"),
        ("data.example:8443", "http://data.example:8443/sparql"),
        ("127.0.0.1:8080", "http://127.0.0.1:8080/sparql"),
    ],
)
def test_the_endpoint_is_the_url_the_request_reached(
    client: FlaskClient, host: str, endpoint: str
) -> None:
    graph = description(client, Host=host)
    assert list(graph.objects(None, SD.endpoint)) == [URIRef(endpoint)]


# ---------------------------------------------------------------- the dataset


def test_the_default_graph_counts_equal_count_queries(
    client: FlaskClient, store: OxigraphStore
) -> None:
    graph = description(client)
    dataset = one(graph, None, SD.defaultDataset)
    assert (dataset, RDF.type, SD.Dataset) in graph
    default_graph = one(graph, dataset, SD.defaultGraph)
    assert (default_graph, RDF.type, SD.Graph) in graph
    counts = void_counts(graph, default_graph)
    assert counts == expected_counts(client)
    manifest = store.manifest
    assert manifest is not None
    assert (counts["triples"], counts["distinctSubjects"]) == (
        manifest["triples"],
        manifest["subjects"],
    )
    assert counts["classes"] == len(manifest["classes"])
    assert list(graph.objects(dataset, SD.namedGraph)) == []


def test_the_built_dataset_says_its_content_hash_and_build_time(
    client: FlaskClient, store: OxigraphStore
) -> None:
    manifest = store.manifest
    assert manifest is not None
    graph = description(client)
    dataset = one(graph, None, SD.defaultDataset)
    assert one(graph, dataset, DCT.identifier) == Literal(manifest["content_hash"])
    assert one(graph, dataset, DCT.modified) == Literal(manifest["built"], datatype=XSD.dateTime)


def test_dataset_files_list_their_named_graphs_with_counts(files_app: Flask) -> None:
    client = files_app.test_client()
    graph = description(client)
    dataset = one(graph, None, SD.defaultDataset)
    assert list(graph.objects(dataset, DCT.identifier)) == []
    assert void_counts(graph, one(graph, dataset, SD.defaultGraph)) == expected_counts(client)
    assert void_counts(graph, one(graph, dataset, SD.defaultGraph))["triples"] == 5
    named = one(graph, dataset, SD.namedGraph)
    assert (named, RDF.type, SD.NamedGraph) in graph
    assert one(graph, named, SD.name) == URIRef(GRAPH)
    counts = void_counts(graph, one(graph, named, SD.graph))
    assert counts == expected_counts(client, **{"default-graph-uri": GRAPH})
    assert counts == {
        "triples": 4,
        "distinctSubjects": 1,
        "properties": 2,
        "distinctObjects": 4,
        "classes": 2,
    }


class CountingStore(OxigraphStore):
    """Counts the queries asked of it."""

    queries = 0

    def query(self, *args: Any, **kwargs: Any) -> Any:
        CountingStore.queries += 1
        return super().query(*args, **kwargs)


def test_the_counts_are_computed_once_at_startup(store: OxigraphStore) -> None:
    counting = CountingStore.__new__(CountingStore)
    counting.__dict__.update(store.__dict__)
    app = create_app({"TESTING": True, "IPRKG_STORE": counting})
    at_startup = CountingStore.queries
    assert at_startup > 0
    for _ in range(3):
        assert app.test_client().get("/sparql").status_code == 200
    assert CountingStore.queries == at_startup


# ---------------------------------------------------------------- negotiation


@pytest.mark.parametrize("media_type", RDF_TYPES)
def test_every_rdf_format_parses_back_to_the_same_graph(files_app: Flask, media_type: str) -> None:
    client = files_app.test_client()
    turtle = description(client, Accept="text/turtle")
    response = client.get("/sparql", headers={"Accept": media_type})
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert isomorphic(parse_rdf(response.data, media_type), turtle)
    assert len(turtle) > 30


BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize(
    ("accept", "query_string", "expected"),
    [
        (None, "", "text/turtle"),
        ("", "", "text/turtle"),
        ("*/*", "", "text/turtle"),
        (BROWSER, "", "text/html"),  # the query page (query_page)
        (BROWSER, "format=turtle", "text/turtle"),
        ("text/*", "", "text/turtle"),
        ("application/ld+json, text/turtle;q=0.5", "", "application/ld+json"),
        ("application/rdf+xml", "", "application/rdf+xml"),
        ("application/sparql-results+json", "format=n-triples", "application/n-triples"),
        ("text/html", "", "text/html"),
        ("text/html;q=0.5, text/turtle", "", "text/turtle"),
        ("application/sparql-results+json", "format=html", "text/html"),
        ("application/sparql-results+json", "", None),
        ("text/turtle;q=0", "", None),
        (None, "format=csv", None),
    ],
)
def test_the_description_is_negotiated(
    client: FlaskClient, accept: str | None, query_string: str, expected: str | None
) -> None:
    headers = {} if accept is None else {"Accept": accept}
    response = client.get("/sparql", query_string=query_string, headers=headers)
    assert "Accept" in response.vary
    if expected is None:
        assert response.status_code == 406
        assert all(media_type in response.text for media_type in RDF_TYPES)
    else:
        assert response.status_code == 200, response.text
        assert response.mimetype == expected


def test_head_answers_the_headers_of_get(client: FlaskClient) -> None:
    got, head = client.get("/sparql"), client.head("/sparql")
    assert head.status_code == 200
    assert head.data == b""
    assert head.headers["Content-Type"] == got.headers["Content-Type"]
    assert head.headers["Content-Length"] == str(len(got.data))


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ([("default-graph-uri", "http://example.org/g")], 400),
        ([("named-graph-uri", "http://example.org/g")], 400),
        ([("update", "CLEAR ALL")], 403),
        ([("query", "ASK {}"), ("update", "CLEAR ALL")], 400),
    ],
)
def test_a_get_with_protocol_parameters_is_no_description_request(
    client: FlaskClient, params: Sequence[tuple[str, str]], status: int
) -> None:
    assert client.get("/sparql", query_string=params).status_code == status
