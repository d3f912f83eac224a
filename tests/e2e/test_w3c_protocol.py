"""The W3C SPARQL 1.1 Protocol tests, over HTTP, against a real ``iprkg serve``.

The manifest (``w3c-rdf-tests/sparql/sparql11/protocol/manifest.ttl`` under
IPRKG_EXTERNAL) describes each test as HTTP requests in the W3C's HTTP vocabulary
(``ht:``): method, path, headers and body, and an expected response (a status class,
a result format, an ASK answer). This module reads those descriptions and sends them
as written: ``/sparql/`` becomes our ``/sparql``, a body goes in its declared encoding
(UTF-16 for the non-UTF-8 tests), and only the headers given are sent, so a test
"without a media type" really has no Content-Type.

``OUTCOMES`` is the table: every test of the manifest, by name, with the status we
answer to each of its requests, and for a deviation the reason. The update tests are
deviations: the endpoint is read-only, so each update gets 403, the data stay as they
were (checked), and the follow-up ASK that would see the update's effect answers false.
``docs/conformance.md`` (section "Protocol tests") shows the same table; tests keep the
three (manifest, table, docs) in step.

The data: the tests name ``data1.rdf`` … ``data3.rdf`` as graphs (``ut:graphData``,
whose files ``data1.nt`` … ``data3.nt`` sit beside the manifest); the server loads each
as the named graph the manifest gives it. ``data0.rdf`` has no file: it is only the
``default-graph-uri`` of queries whose answer does not depend on data (``ASK {}``,
``SELECT (1 AS ?value) {}``, ...), so it stays absent, which the protocol says is an
empty graph.
"""

from __future__ import annotations

import csv
import http.client
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from rdflib import RDF, RDFS, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from support.live import serving
from support.project import PROJECT_ROOT

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
SPARQL_RESULTS = "{http://www.w3.org/2005/sparql-results#}"
MANIFEST = Path("w3c-rdf-tests/sparql/sparql11/protocol/manifest.ttl")
DOCS = PROJECT_ROOT / "docs" / "conformance.md"

READ_ONLY = (
    "read-only endpoint: the update is refused with 403 and changes nothing, so the "
    "follow-up ASK answers false"
)
READ_ONLY_SINGLE = "read-only endpoint: the update is refused with 403 and changes nothing"


@dataclass(frozen=True)
class Outcome:
    """What the endpoint answers to one protocol test."""

    statuses: tuple[int, ...]
    """Our status for each of the test's requests, in order."""
    deviation: str | None = None
    """Why we answer otherwise than the manifest expects; None when the test passes."""
    booleans: tuple[bool | None, ...] = ()
    """For a deviation: the ASK answers we give instead of the manifest's."""


def passes(status: int) -> Outcome:
    return Outcome((status,))


def refused_update_then_false() -> Outcome:
    return Outcome((403, 200), READ_ONLY, (None, False))


OUTCOMES: dict[str, Outcome] = {
    "query_post_form": passes(200),
    "query_dataset_default_graphs_get": passes(200),
    "query_dataset_default_graphs_post": passes(200),
    "query_dataset_named_graphs_post": passes(200),
    "query_dataset_named_graphs_get": passes(200),
    "query_dataset_full": passes(200),
    "query_multiple_dataset": passes(200),
    "query_get": passes(200),
    "query_content_type_select": passes(200),
    "query_content_type_ask": passes(200),
    "query_content_type_describe": passes(200),
    "query_content_type_construct": passes(200),
    "update_dataset_default_graph": refused_update_then_false(),
    "update_dataset_default_graphs": refused_update_then_false(),
    "update_dataset_named_graphs": refused_update_then_false(),
    "update_dataset_full": refused_update_then_false(),
    "update_post_form": Outcome((403,), READ_ONLY_SINGLE),
    "update_post_direct": Outcome((403,), READ_ONLY_SINGLE),
    "update_base_uri": refused_update_then_false(),
    "query_post_direct": passes(200),
    "bad_query_method": passes(405),
    "bad_multiple_queries": passes(400),
    "bad_query_wrong_media_type": passes(415),
    "bad_query_missing_form_type": passes(415),
    "bad_query_missing_direct_type": passes(415),
    "bad_query_non_utf8": passes(415),
    "bad_query_syntax": passes(400),
    "bad_update_get": passes(403),
    "bad_multiple_updates": passes(403),
    "bad_update_wrong_media_type": passes(415),
    "bad_update_missing_form_type": passes(415),
    "bad_update_non_utf8": passes(403),
    "bad_update_syntax": passes(403),
    "bad_update_dataset_conflict": passes(403),
}


# ---------------------------------------------------------------- the manifest


@dataclass(frozen=True)
class ProtocolRequest:
    """One ``ht:Request`` of a test and its expected ``ht:Response``."""

    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    status_classes: frozenset[int]
    """Acceptable first digits of the status: 2 for ``hts:StatusCode2xx``, ..."""
    format: str | None
    """``boolean``, ``tabular`` or ``RDF``."""
    boolean: bool | None


@dataclass(frozen=True)
class ProtocolTest:
    name: str
    title: str
    requests: tuple[ProtocolRequest, ...]
    graphs: tuple[tuple[str, str], ...]
    """``ut:graphData``: (graph IRI, file name beside the manifest)."""


def read_manifest(path: Path) -> list[ProtocolTest]:
    graph = Graph().parse(path, format="turtle")
    (manifest,) = graph.subjects(RDF.type, MF.Manifest)
    entries = Collection(graph, graph.value(manifest, MF.entries))
    return [read_test(graph, entry) for entry in entries]


def read_test(graph: Graph, test: Node) -> ProtocolTest:
    assert isinstance(test, URIRef)
    action = graph.value(test, MF.action)
    requests = Collection(graph, graph.value(action, HT.requests))
    graphs = sorted(
        (str(graph.value(data, RDFS.label)), Path(str(graph.value(data, UT.graph))).name)
        for data in graph.objects(test, UT.graphData)
    )
    return ProtocolTest(
        name=test.fragment,
        title=str(graph.value(test, MF.name)),
        requests=tuple(read_request(graph, request) for request in requests),
        graphs=tuple(graphs),
    )


def read_request(graph: Graph, request: Node) -> ProtocolRequest:
    headers_list = graph.value(request, HT.headers)
    headers = [] if headers_list is None else list(Collection(graph, headers_list))
    body = graph.value(request, HT.body)
    response = graph.value(request, HT.resp)
    boolean = graph.value(response, MF.expectedBoolean)
    expected_format = graph.value(response, MF.expectedFormat)
    return ProtocolRequest(
        method=str(graph.value(request, HT.methodName)),
        path=str(graph.value(request, HT.absolutePath)),
        headers=tuple(
            (str(graph.value(h, HT.fieldName)), str(graph.value(h, HT.fieldValue))) for h in headers
        ),
        body=None
        if body is None
        else str(graph.value(body, CNT.chars)).encode(
            str(graph.value(body, CNT.characterEncoding))
        ),
        status_classes=frozenset(
            int(str(status).rsplit("StatusCode", 1)[1][0])
            for status in graph.objects(response, MF.expectedStatus)
        ),
        format=None if expected_format is None else str(expected_format),
        boolean=None if boolean is None else bool(boolean.toPython()),
    )


@pytest.fixture(scope="module")
def manifest_path(external_dir: Path) -> Path:
    path = external_dir / MANIFEST
    if not path.is_file():
        pytest.skip(f"{path} not found: the W3C tests are not in IPRKG_EXTERNAL")
    return path


@pytest.fixture(scope="module")
def protocol_tests(manifest_path: Path) -> dict[str, ProtocolTest]:
    return {test.name: test for test in read_manifest(manifest_path)}


# ---------------------------------------------------------------- the server


@pytest.fixture(scope="module")
def endpoint(
    manifest_path: Path,
    protocol_tests: dict[str, ProtocolTest],
) -> Iterator[str]:
    """``iprkg serve`` with every graph the manifest names, as that named graph."""
    graphs = sorted({pair for test in protocol_tests.values() for pair in test.graphs})
    assert graphs, "the manifest names the graphs its tests use"
    options = [f"--dataset={iri}={manifest_path.parent / name}" for iri, name in graphs]
    with serving(options) as url:
        yield url


@dataclass(frozen=True)
class Answer:
    status: int
    media_type: str
    body: bytes


def send(endpoint: str, request: ProtocolRequest) -> Answer:
    """Send ``request`` as the manifest writes it, to our endpoint instead of /sparql/."""
    url = urlsplit(endpoint)
    assert request.path.startswith("/sparql/")
    path = url.path + request.path.removeprefix("/sparql/")
    connection = http.client.HTTPConnection(url.hostname or "", url.port, timeout=30)
    try:
        connection.request(request.method, path, body=request.body, headers=dict(request.headers))
        response = connection.getresponse()
        content_type = response.getheader("Content-Type", "")
        return Answer(response.status, content_type.split(";")[0].strip(), response.read())
    finally:
        connection.close()


def boolean_of(answer: Answer) -> bool:
    if answer.media_type == "application/sparql-results+json":
        value = json.loads(answer.body)["boolean"]
        assert isinstance(value, bool)
        return value
    assert answer.media_type == "application/sparql-results+xml", answer.media_type
    element = ET.fromstring(answer.body).find(f"{SPARQL_RESULTS}boolean")
    assert element is not None and element.text in ("true", "false")
    return element.text == "true"


def check_tabular(answer: Answer) -> None:
    """SELECT (1 AS ?value): one row whose value is 1, in any results format."""
    if answer.media_type == "application/sparql-results+json":
        rows = json.loads(answer.body)["results"]["bindings"]
        assert [row["value"]["value"] for row in rows] == ["1"]
    elif answer.media_type == "application/sparql-results+xml":
        values = ET.fromstring(answer.body).iter(f"{SPARQL_RESULTS}literal")
        assert [value.text for value in values] == ["1"]
    else:
        delimiter = {"text/csv": ",", "text/tab-separated-values": "\t"}[answer.media_type]
        rows = list(csv.reader(io.StringIO(answer.body.decode()), delimiter=delimiter))
        assert rows[0][0] in ("value", "?value")
        assert len(rows) == 2


def check_rdf(answer: Answer) -> None:
    """One of the RDF syntaxes the manifest names, parsed by rdflib."""
    rdflib_formats = {
        "application/rdf+xml": "xml",
        "text/turtle": "turtle",
        "application/n-triples": "nt",
    }
    assert answer.media_type in rdflib_formats, answer.media_type
    Graph().parse(data=answer.body, format=rdflib_formats[answer.media_type])


def snapshot(endpoint: str) -> list[list[str]]:
    """Every quad the server holds, sorted: to show that nothing changed."""
    query = "SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
    request = ProtocolRequest(
        "POST",
        "/sparql/",
        (("Content-Type", "application/sparql-query"), ("Accept", "text/csv")),
        query.encode(),
        frozenset({2}),
        None,
        None,
    )
    answer = send(endpoint, request)
    assert answer.status == 200
    header, *rows = csv.reader(io.StringIO(answer.body.decode()))
    assert header == ["s", "p", "o", "g"]
    return sorted(rows)


# ---------------------------------------------------------------- the tests


def test_the_table_covers_every_test_of_the_manifest(
    protocol_tests: dict[str, ProtocolTest],
) -> None:
    assert list(OUTCOMES) == list(protocol_tests)
    for name, test in protocol_tests.items():
        assert len(OUTCOMES[name].statuses) == len(test.requests), name


@pytest.mark.slow
@pytest.mark.parametrize("name", list(OUTCOMES))
def test_protocol(endpoint: str, protocol_tests: dict[str, ProtocolTest], name: str) -> None:
    test, outcome = protocol_tests[name], OUTCOMES[name]
    before = snapshot(endpoint)
    assert len(before) == 3, "the three graphs of the manifest are served"
    for number, (request, status) in enumerate(zip(test.requests, outcome.statuses, strict=True)):
        answer = send(endpoint, request)
        assert answer.status == status, (request, answer)
        if outcome.deviation is None:
            assert status // 100 in request.status_classes
        if answer.status // 100 != 2:
            continue
        expected = request.boolean if outcome.deviation is None else outcome.booleans[number]
        if request.format == "boolean":
            answered = boolean_of(answer)
            assert expected is None or answered is expected
        elif request.format == "tabular":
            check_tabular(answer)
        elif request.format == "RDF":
            check_rdf(answer)
    assert snapshot(endpoint) == before


# ---------------------------------------------------------------- the docs


def protocol_section() -> str:
    text = DOCS.read_text(encoding="utf-8")
    found = re.search(r"^## Protocol tests\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    assert found, f"{DOCS} has no '## Protocol tests' section"
    return found.group(1)


def test_the_docs_show_the_table() -> None:
    """Each test has its row: | `name` | title | pass or deviation | statuses | reason |."""
    rows = {
        cells[0].strip("` "): [cell.strip() for cell in cells[1:]]
        for line in protocol_section().splitlines()
        if line.startswith("| `")
        for cells in [line.strip().strip("|").split("|")]
    }
    assert list(rows) == list(OUTCOMES)
    for name, outcome in OUTCOMES.items():
        _, result, statuses, reason = rows[name]
        assert result == ("pass" if outcome.deviation is None else "deviation"), name
        assert statuses == ", ".join(str(status) for status in outcome.statuses), name
        assert reason == (outcome.deviation or ""), name
