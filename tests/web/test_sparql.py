"""The SPARQL 1.1 Protocol endpoint at /sparql, through Flask's test client.

Every result format is parsed back with an independent parser (json, xml.etree, csv,
rdflib) and RDF is compared as graphs; every way a query may come, with its dataset
parameters; updates and federated queries refused, changing nothing; CORS.
Negotiation is in test_conneg.py, the error shape in test_errors.py.
"""

from __future__ import annotations

import csv
import http.server
import io
import json
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from werkzeug.test import TestResponse

from iprkg.artefact.artefact import DatasetFile
from iprkg.core.formats import N_TRIPLES
from iprkg.engine.oxigraph_store import OxigraphStore
from iprkg.web.app import create_app
from support.protocol import CSV, JSON, RDF_TYPES, RESULT_TYPES, TSV, XML, sparql_get

BASE = "https://w3id.org/iprkg/"
COUNCIL = f"{BASE}council/nome-midt-telemark"
SELECT = (
    "PREFIX ipr: <ontology#> SELECT ?council WHERE { ?council a ipr:RegionalCouncil ; "
    "<http://www.w3.org/ns/org#hasMember> <municipality/nome> }"
)
"""Relative IRIs: answered only if queries resolve against the manifest's base."""
CONSTRUCT = "CONSTRUCT WHERE { <council/nome-midt-telemark> ?p ?o }"
ASK = "ASK { <council/nome-midt-telemark> a <ontology#RegionalCouncil> }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
SPARQL_RESULTS = "http://www.w3.org/2005/sparql-results#"


def count(client: FlaskClient) -> int:
    bindings = sparql_get(client, COUNT).get_json()["results"]["bindings"]
    return int(bindings[0]["n"]["value"])


# ---------------------------------------------------------------- every format, parsed back


def test_select_as_json(client: FlaskClient) -> None:
    answer = json.loads(sparql_get(client, SELECT, JSON).data)
    assert answer["head"]["vars"] == ["council"]
    assert answer["results"]["bindings"] == [{"council": {"type": "uri", "value": COUNCIL}}]


def test_select_as_xml(client: FlaskClient) -> None:
    root = ET.fromstring(sparql_get(client, SELECT, XML).data)
    variables = [v.get("name") for v in root.iter(f"{{{SPARQL_RESULTS}}}variable")]
    assert variables == ["council"]
    uris = [uri.text for uri in root.iter(f"{{{SPARQL_RESULTS}}}uri")]
    assert uris == [COUNCIL]


def test_select_as_csv(client: FlaskClient) -> None:
    response = sparql_get(client, SELECT, CSV)
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows == [["council"], [COUNCIL]]


def test_select_as_tsv(client: FlaskClient) -> None:
    lines = sparql_get(client, SELECT, TSV).text.splitlines()
    assert [line.split("\t") for line in lines] == [["?council"], [f"<{COUNCIL}>"]]


@pytest.mark.parametrize("accept", RESULT_TYPES)
def test_ask_in_every_results_format(client: FlaskClient, accept: str) -> None:
    data = sparql_get(client, ASK, accept).data
    if accept == JSON:
        assert json.loads(data)["boolean"] is True
    elif accept == XML:
        assert ET.fromstring(data).find(f"{{{SPARQL_RESULTS}}}boolean").text == "true"  # type: ignore[union-attr]
    else:
        assert data.decode().strip() == "true"


# rdflib 7's Dataset.parse and TriG parser use its own deprecated API internally.
@pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning")
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize("accept", RDF_TYPES)
def test_construct_in_every_rdf_format(client: FlaskClient, dataset: Graph, accept: str) -> None:
    response = sparql_get(client, CONSTRUCT, accept)
    parsed = Dataset()
    parsed.parse(data=response.data, format=accept)
    received = Graph()
    for s, p, o, _ in parsed.quads():
        received.add((s, p, o))
    expected = Graph()
    for triple in dataset.triples((URIRef(COUNCIL), None, None)):
        expected.add(triple)
    assert len(expected) > 5
    assert isomorphic(received, expected)


def test_describe_answers_triples_about_the_resource(client: FlaskClient) -> None:
    response = sparql_get(client, f"DESCRIBE <{COUNCIL}>", "application/n-triples")
    graph = Graph().parse(data=response.data, format="nt")
    assert (URIRef(COUNCIL), None, None) in graph


def test_the_store_describes_a_resource(store: OxigraphStore) -> None:
    data = store.describe(COUNCIL).serialise(N_TRIPLES)
    assert URIRef(COUNCIL) in set(Graph().parse(data=data, format="nt").subjects())


# ---------------------------------------------------------------- the ways a query comes


def test_get_post_form_and_post_query_give_the_same_answer(client: FlaskClient) -> None:
    by_get = sparql_get(client, SELECT)
    by_form = client.post("/sparql", data={"query": SELECT})
    by_body = client.post("/sparql", data=SELECT, content_type="application/sparql-query")
    with_charset = client.post(
        "/sparql", data=SELECT.encode(), content_type="application/sparql-query; charset=UTF-8"
    )
    for response in (by_get, by_form, by_body, with_charset):
        assert response.status_code == 200, response.text
        assert response.get_json() == by_get.get_json()


def test_form_post_reads_the_other_parameters_from_the_body(client: FlaskClient) -> None:
    response = client.post(
        "/sparql", data={"query": COUNT, "default-graph-uri": "http://example.org/absent"}
    )
    assert response.get_json()["results"]["bindings"][0]["n"]["value"] == "0"


def test_post_query_reads_the_other_parameters_from_the_url(client: FlaskClient) -> None:
    response = client.post(
        "/sparql?format=csv&default-graph-uri=http://example.org/absent",
        data=COUNT,
        content_type="application/sparql-query",
    )
    assert response.text.splitlines() == ["n", "0"]


@pytest.mark.parametrize(
    "params",
    [
        {"default-graph-uri": "http://example.org/absent"},
        {"named-graph-uri": "http://example.org/absent"},
    ],
)
def test_a_graph_not_in_the_dataset_is_an_empty_graph(
    client: FlaskClient, params: dict[str, str]
) -> None:
    response = sparql_get(client, COUNT, **params)
    assert response.status_code == 200
    assert response.get_json()["results"]["bindings"][0]["n"]["value"] == "0"


@pytest.fixture
def graphs_client(tmp_path: Path) -> FlaskClient:
    """An app serving three files: one into the default graph, two into named graphs."""
    files = {
        "default.ttl": "<s> <p> 1 .",
        "one.nt": '<http://e/s> <http://e/p> "2" .',
        "two.rdf": "",
    }
    files["two.rdf"] = (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:e="http://e/"><rdf:Description rdf:about="http://e/s"><e:p>3</e:p>'
        "<e:p>4</e:p></rdf:Description></rdf:RDF>"
    )
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    datasets = [
        DatasetFile.parse(str(tmp_path / "default.ttl")),
        DatasetFile.parse(f"http://e/g1={tmp_path / 'one.nt'}"),
        DatasetFile.parse(f"http://e/g2?a=b={tmp_path / 'two.rdf'}"),
    ]
    store = OxigraphStore.from_files(datasets, BASE)
    return create_app({"TESTING": True, "IPRKG_STORE": store}).test_client()


def graph_counts(response: TestResponse) -> dict[str, int]:
    rows = response.get_json()["results"]["bindings"]
    return {row.get("g", {}).get("value", ""): int(row["n"]["value"]) for row in rows}


def test_datasets_load_into_the_default_and_named_graphs(
    graphs_client: FlaskClient, tmp_path: Path
) -> None:
    in_graphs = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    assert graph_counts(sparql_get(graphs_client, in_graphs)) == {
        "http://e/g1": 1,
        "http://e/g2?a=b": 2,
    }
    assert graph_counts(sparql_get(graphs_client, COUNT)) == {"": 1}
    # relative IRIs in a file resolve against the file's own URI
    subject, predicate = (tmp_path / "s").as_uri(), (tmp_path / "p").as_uri()
    answer = sparql_get(graphs_client, f"ASK {{ <{subject}> <{predicate}> 1 }}").get_json()
    assert answer["boolean"] is True


def test_default_and_named_graph_uris_repeat_and_make_the_dataset(
    graphs_client: FlaskClient,
) -> None:
    merged = graphs_client.get(
        "/sparql",
        query_string=[
            ("query", COUNT),
            ("default-graph-uri", "http://e/g1"),
            ("default-graph-uri", "http://e/g2?a=b"),
        ],
    )
    assert graph_counts(merged) == {"": 3}
    named = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    only_g2 = sparql_get(graphs_client, named, **{"named-graph-uri": "http://e/g2?a=b"})
    assert graph_counts(only_g2) == {"http://e/g2?a=b": 2}
    assert graph_counts(sparql_get(graphs_client, COUNT, **{"named-graph-uri": "http://e/g1"})) == {
        "": 0
    }


# ---------------------------------------------------------------- read-only


UPDATES = [
    "INSERT DATA { <http://e/s> <http://e/p> <http://e/o> }",
    "PREFIX e: <http://e/> DELETE WHERE { ?s ?p ?o }",
    "# a comment\nCLEAR ALL",
    "DROP DEFAULT",
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "CREATE GRAPH <http://e/g>",
]


@pytest.mark.parametrize("update", UPDATES)
def test_updates_are_refused_and_change_nothing(client: FlaskClient, update: str) -> None:
    before = count(client)
    attempts = [
        client.post("/sparql", data={"update": update}),
        client.post("/sparql", data=update, content_type="application/sparql-update"),
        client.post("/sparql", data=update, content_type="application/sparql-query"),
        client.post("/sparql", data={"query": update}),
        sparql_get(client, update),
        client.get("/sparql", query_string={"update": update}),
    ]
    for response in attempts:
        assert response.status_code == 403, response.text
        assert response.text == "403 Forbidden: this endpoint is read-only: updates are refused\n"
    assert count(client) == before
    assert sparql_get(client, "ASK { <http://e/s> ?p ?o }").get_json()["boolean"] is False


@pytest.fixture
def loopback_server() -> Iterator[tuple[str, list[str]]]:
    """A throwaway HTTP server on 127.0.0.1: (its URL, the paths requested from it)."""
    requested: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requested.append(self.path)
            self.send_response(500)
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/sparql", requested
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "select * where {{ ?a ?b ?c .service silent <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    ],
)
def test_federated_queries_are_refused_and_call_no_server(
    client: FlaskClient, loopback_server: tuple[str, list[str]], template: str
) -> None:
    url, requested = loopback_server
    response = sparql_get(client, template.format(url=url), "application/json")
    assert response.status_code == 403
    assert response.get_json()["error"] == "service-refused"
    assert requested == []


def test_service_in_a_literal_or_iri_is_no_federated_query(client: FlaskClient) -> None:
    query = (
        'SELECT ("SERVICE" AS ?x) WHERE { OPTIONAL { ?s <http://e/SERVICE> ?service } } # SERVICE'
    )
    assert sparql_get(client, query).status_code == 200


# ---------------------------------------------------------------- CORS


def test_responses_allow_any_origin(client: FlaskClient) -> None:
    response = sparql_get(client, ASK)
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_a_preflight_allows_get_post_and_the_asked_headers(client: FlaskClient) -> None:
    response = client.options(
        "/sparql",
        headers={
            "Origin": "https://yasgui.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, accept",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    methods = response.headers["Access-Control-Allow-Methods"].replace(" ", "").split(",")
    assert {"GET", "POST", "OPTIONS"} <= set(methods)
    assert response.headers["Access-Control-Allow-Headers"] == "content-type, accept"
