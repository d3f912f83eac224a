"""Real SPARQL clients against a real ``iprkg serve`` (conftest's ``live_server``).

The clients researchers already use, as they use them: SPARQLWrapper, rdflib's
``SPARQLStore`` and ``SPARQLUpdateStore``, and Comunica (Node.js, from the npm registry,
pinned in package.json/package-lock.json and installed into node_modules/ by
``make node-deps``). Each must get the same answers as the engine running the query
on the built data directly, and each must be refused an update.

The Comunica tests skip, saying how to install it, only where node_modules/ lacks it;
under CI (``CI`` set, as .ci/run is run) they fail instead, since .ci/run installs it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.error
import xml.dom.minidom
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import QueryResultsFormat, parse_query_results
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import (
    CSV,
    GET,
    JSON,
    JSONLD,
    N3,
    POST,
    POSTDIRECTLY,
    RDFXML,
    TSV,
    TURTLE,
    URLENCODED,
    XML,
    SPARQLWrapper,
)
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from support.golden import (
    QUERIES,
    Answer,
    answer_of,
    assert_same_answer,
    has_top_level_order_by,
    query_files,
    query_id,
    read_golden,
)
from support.processes import unavailable
from support.project import DEFAULT_BASE, PROJECT_ROOT

pytestmark = pytest.mark.slow

COUNCIL = URIRef(f"{DEFAULT_BASE}council/nome-midt-telemark")
RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
COUNCILS = (
    "SELECT ?council WHERE { ?council a <https://w3id.org/iprkg/ontology#RegionalCouncil> ; "
    "<http://www.w3.org/ns/org#hasMember> <https://w3id.org/iprkg/municipality/nome> }"
)
ASK_COUNCIL = f"ASK {{ <{COUNCIL}> a <https://w3id.org/iprkg/ontology#RegionalCouncil> }}"
ASK_MISSING = "ASK { <urn:iprkg:test:absent> ?p ?o }"
CONSTRUCT_COUNCIL = f"CONSTRUCT {{ <{COUNCIL}> ?p ?o }} WHERE {{ <{COUNCIL}> ?p ?o }}"
DESCRIBE_COUNCIL = f"DESCRIBE <{COUNCIL}>"
INSERT = "INSERT DATA { <urn:iprkg:test:s> <urn:iprkg:test:p> <urn:iprkg:test:o> }"
INSERTED = "ASK { <urn:iprkg:test:s> ?p ?o }"

# SPARQLWrapper's converters build rdflib ConjunctiveGraphs, which rdflib 7 deprecates.
CONJUNCTIVE_GRAPH_DEPRECATED = pytest.mark.filterwarnings(
    "ignore:ConjunctiveGraph is deprecated:DeprecationWarning"
)


@pytest.fixture(scope="module")
def endpoint(live_server: str) -> str:
    """The SPARQL endpoint of the live server."""
    return f"{live_server}/sparql"


def council_triples(dataset: Graph) -> Graph:
    """What CONSTRUCT_COUNCIL gives, computed by rdflib on the built data (no server)."""
    expected = Graph()
    for triple in dataset.triples((COUNCIL, None, None)):
        expected.add(triple)
    assert len(expected) > 5, "the council has hardly any triples in the built data"
    return expected


def parsed_json_results(document: bytes | str | dict[str, object]) -> Answer:
    """SPARQL JSON results, as the golden-answer comparison reads them (pyoxigraph)."""
    if isinstance(document, dict):
        document = json.dumps(document)
    if isinstance(document, str):
        document = document.encode("utf-8")
    return answer_of(parse_query_results(document, format=QueryResultsFormat.JSON))


def refusal(error: urllib.error.HTTPError) -> tuple[int, str]:
    """The status and body of an error response, which is then closed."""
    with error:
        return error.code, error.read().decode("utf-8")


# ---------------------------------------------------------------- SPARQLWrapper


def wrapper(endpoint: str, query: str, return_format: str, method: str = GET) -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(return_format)
    client.setMethod(method)
    return client


def select_values(return_format: str, converted: object) -> list[str]:
    """The ?council values of COUNCILS from what SPARQLWrapper's convert() gave."""
    if return_format == JSON:
        assert isinstance(converted, dict)
        return [row["council"]["value"] for row in converted["results"]["bindings"]]
    if return_format == XML:
        assert isinstance(converted, xml.dom.minidom.Document)
        return [node.firstChild.data for node in converted.getElementsByTagName("uri")]
    assert isinstance(converted, bytes)
    separator = "," if return_format == CSV else "\t"
    header, *rows = converted.decode("utf-8").splitlines()
    assert header.split(separator) == (["council"] if return_format == CSV else ["?council"])
    return [row.strip("<>") for row in rows]


@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize("return_format", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select_in_each_format(
    endpoint: str, return_format: str, method: str
) -> None:
    result = wrapper(endpoint, COUNCILS, return_format, method).query()
    assert result.info()["content-type"].startswith(
        {
            JSON: "application/sparql-results+json",
            XML: "application/sparql-results+xml",
            CSV: "text/csv",
            TSV: "text/tab-separated-values",
        }[return_format]
    )
    assert select_values(return_format, result.convert()) == [str(COUNCIL)]


@pytest.mark.parametrize("return_format", [JSON, XML])
@pytest.mark.parametrize("path", query_files(), ids=query_id)
def test_sparqlwrapper_gives_the_golden_answers(
    endpoint: str, path: Path, return_format: str
) -> None:
    """Every competency query, sent as written (relative IRIs resolve against the base)."""
    query = path.read_text(encoding="utf-8")
    converted = wrapper(endpoint, query, return_format, POST).queryAndConvert()
    if return_format == JSON:
        assert isinstance(converted, dict)
        actual = parsed_json_results(converted)
    else:
        assert isinstance(converted, xml.dom.minidom.Document)
        document = converted.toxml(encoding="utf-8")
        actual = answer_of(parse_query_results(document, format=QueryResultsFormat.XML))
    assert_same_answer(
        read_golden(path.with_suffix(".srj")), actual, ordered=has_top_level_order_by(query)
    )


@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper_ask(endpoint: str, method: str) -> None:
    assert wrapper(endpoint, ASK_COUNCIL, JSON, method).queryAndConvert() == {
        "head": {},
        "boolean": True,
    }
    document = wrapper(endpoint, ASK_MISSING, XML, method).queryAndConvert()
    assert isinstance(document, xml.dom.minidom.Document)
    assert document.getElementsByTagName("boolean")[0].firstChild.data == "false"


@CONJUNCTIVE_GRAPH_DEPRECATED
@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize("return_format", [XML, RDFXML, TURTLE, JSONLD])
def test_sparqlwrapper_construct_into_an_rdflib_graph(
    endpoint: str, dataset: Graph, return_format: str, method: str
) -> None:
    """Content negotiation only (``setOnlyConneg``): SPARQLWrapper sends no ``format=``."""
    client = wrapper(endpoint, CONSTRUCT_COUNCIL, return_format, method)
    client.setOnlyConneg(True)
    converted = client.queryAndConvert()
    if isinstance(converted, bytes):  # Turtle: SPARQLWrapper hands over the bytes
        converted = Graph().parse(data=converted, format="turtle")
    assert isinstance(converted, Graph)
    assert isomorphic(converted, council_triples(dataset))


@CONJUNCTIVE_GRAPH_DEPRECATED
@pytest.mark.parametrize(
    "return_format",
    [
        XML,
        RDFXML,
        N3,
        # SPARQLWrapper itself warns that it sends Accept: */* for JSON on a CONSTRUCT;
        # the point of the case is that format=json then gives JSON-LD.
        pytest.param(
            JSON,
            marks=pytest.mark.filterwarnings("ignore:Sending Accept header:RuntimeWarning"),
        ),
    ],
)
def test_sparqlwrapper_construct_with_its_format_parameter(
    endpoint: str, dataset: Graph, return_format: str
) -> None:
    converted = wrapper(endpoint, CONSTRUCT_COUNCIL, return_format).queryAndConvert()
    if isinstance(converted, bytes):
        converted = Graph().parse(data=converted, format="turtle")
    assert isinstance(converted, Graph)
    assert isomorphic(converted, council_triples(dataset))


@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper_describe(endpoint: str, dataset: Graph, method: str) -> None:
    turtle = wrapper(endpoint, DESCRIBE_COUNCIL, TURTLE, method).queryAndConvert()
    assert isinstance(turtle, bytes)
    described = Graph().parse(data=turtle, format="turtle")
    expected = council_triples(dataset)
    assert set(expected) <= set(described)


def test_sparqlwrapper_malformed_query_raises_query_bad_formed(endpoint: str) -> None:
    client = wrapper(endpoint, "SELECT ?s WHERE { ?s ?p }", JSON)
    with pytest.raises(QueryBadFormed) as bad:
        client.query()
    assert "error at 1:26: " in str(bad.value), str(bad.value)


@pytest.mark.parametrize("request_method", [URLENCODED, POSTDIRECTLY])
def test_sparqlwrapper_update_is_refused(endpoint: str, request_method: str) -> None:
    client = SPARQLWrapper(endpoint, updateEndpoint=endpoint)
    client.setQuery(INSERT)
    client.setMethod(POST)
    client.setRequestMethod(request_method)
    assert client.isSparqlUpdateRequest()
    # SPARQLWrapper names 400, 401, 404, 414 and 500; any other status is urllib's error.
    with pytest.raises(urllib.error.HTTPError) as refused:
        client.query()
    assert refusal(refused.value) == (
        403,
        "403 Forbidden: this endpoint is read-only: updates are refused\n",
    )
    assert wrapper(endpoint, INSERTED, JSON).queryAndConvert()["boolean"] is False


# ---------------------------------------------------------------- rdflib SPARQLStore


@pytest.fixture(params=["GET", "POST", "POST_FORM"])
def remote_graph(request: pytest.FixtureRequest, endpoint: str) -> Iterator[Graph]:
    """The endpoint as an rdflib Graph, by each of SPARQLStore's request methods."""
    store = SPARQLStore(endpoint, method=request.param)
    yield Graph(store=store)
    store.close()


def test_sparqlstore_select_and_ask(remote_graph: Graph) -> None:
    assert [row[0] for row in remote_graph.query(COUNCILS)] == [COUNCIL]
    assert remote_graph.query(ASK_COUNCIL).askAnswer is True
    assert remote_graph.query(ASK_MISSING).askAnswer is False


def test_sparqlstore_construct_and_describe(remote_graph: Graph, dataset: Graph) -> None:
    constructed = remote_graph.query(CONSTRUCT_COUNCIL).graph
    assert constructed is not None
    assert isomorphic(constructed, council_triples(dataset))
    described = remote_graph.query(DESCRIBE_COUNCIL).graph
    assert described is not None
    assert set(council_triples(dataset)) <= set(described)


def test_sparqlstore_triples_and_len(remote_graph: Graph, dataset: Graph) -> None:
    assert set(remote_graph.triples((COUNCIL, None, None))) == set(council_triples(dataset))
    labels = set(remote_graph.objects(COUNCIL, RDFS_LABEL))
    assert labels == set(dataset.objects(COUNCIL, RDFS_LABEL))
    assert {label.language for label in labels if isinstance(label, Literal)} == {"nb", "en"}
    assert len(remote_graph) == len(dataset)


def test_sparqlupdatestore_update_is_refused(endpoint: str, dataset: Graph) -> None:
    store = SPARQLUpdateStore(endpoint, endpoint)
    graph = Graph(store=store, identifier=DATASET_DEFAULT_GRAPH_ID)
    try:
        with pytest.raises(urllib.error.HTTPError) as refused:
            graph.update(INSERT)
        assert refusal(refused.value)[0] == 403
        with pytest.raises(urllib.error.HTTPError) as added:
            graph.add((URIRef("urn:iprkg:test:s"), URIRef("urn:iprkg:test:p"), Literal("o")))
        assert refusal(added.value)[0] == 403
        assert graph.query(INSERTED).askAnswer is False
        assert len(graph) == len(dataset)
    finally:
        store.close()


# ---------------------------------------------------------------- Comunica (Node.js)

COMUNICA = PROJECT_ROOT / "node_modules" / ".bin" / "comunica-sparql"
HOW_TO_INSTALL = (
    "Comunica is not installed in node_modules/: run `make node-deps` "
    "(npm ci from package-lock.json; needs Node.js 18+ and npm)"
)


@pytest.fixture(scope="module")
def comunica() -> Path:
    """The comunica-sparql command, or a skip (a failure under CI) saying how to install it."""
    if COMUNICA.is_file() and shutil.which("node"):
        return COMUNICA
    unavailable(f"{HOW_TO_INSTALL}; .ci/run installs it")


def run_comunica(
    comunica: Path, endpoint: str, *args: str, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """``comunica-sparql sparql@ENDPOINT ARGS``; ``sparql@`` makes it send whole queries."""
    result = subprocess.run(
        [str(comunica), f"sparql@{endpoint}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "NODE_NO_WARNINGS": "1"},
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def comunica_json(stdout: str) -> Answer:
    """Comunica's SPARQL JSON, less the ``metadata`` member it adds."""
    document = json.loads(stdout)
    document.pop("metadata", None)
    return parsed_json_results(document)


COMUNICA_QUERIES = [
    QUERIES / f"{name}.rq"
    for name in (
        "member-municipalities",  # OPTIONAL, FILTER NOT EXISTS, language tags
        "strategy-overview",  # aggregates and sub-selects
        "focus-areas-by-los-theme",  # VALUES, property paths, FILTER EXISTS
        "emphasised-goals",  # ORDER BY a cast
    )
]
"""A few competency queries: each Comunica run starts Node.js (about a second)."""


@pytest.mark.parametrize("path", COMUNICA_QUERIES, ids=query_id)
def test_comunica_gives_the_golden_answers(comunica: Path, endpoint: str, path: Path) -> None:
    """Comunica parses the query itself, so it is given the base (``--baseIRI``)."""
    query = path.read_text(encoding="utf-8")
    result = run_comunica(
        comunica,
        endpoint,
        "--baseIRI",
        DEFAULT_BASE,
        "--file",
        str(path),
        "--outputType",
        "application/sparql-results+json",
    )
    assert_same_answer(
        read_golden(path.with_suffix(".srj")),
        comunica_json(result.stdout),
        ordered=has_top_level_order_by(query),
    )


def test_comunica_ask(comunica: Path, endpoint: str) -> None:
    assert run_comunica(comunica, endpoint, ASK_COUNCIL).stdout.strip() == "true"
    assert run_comunica(comunica, endpoint, ASK_MISSING).stdout.strip() == "false"


@pytest.mark.parametrize(
    "query", [CONSTRUCT_COUNCIL, DESCRIBE_COUNCIL], ids=["construct", "describe"]
)
def test_comunica_construct_and_describe(
    comunica: Path, endpoint: str, dataset: Graph, query: str
) -> None:
    result = run_comunica(comunica, endpoint, query, "--outputType", "application/n-triples")
    got = Graph().parse(data=result.stdout, format="nt")
    expected = council_triples(dataset)
    if query == CONSTRUCT_COUNCIL:
        assert isomorphic(got, expected)
    else:
        assert set(expected) <= set(got)


def test_comunica_update_is_refused(comunica: Path, endpoint: str) -> None:
    result = run_comunica(comunica, endpoint, INSERT, check=False)
    assert result.returncode != 0
    assert "HTTP status 403" in result.stderr, result.stderr
    assert run_comunica(comunica, endpoint, INSERTED).stdout.strip() == "false"
