"""The example queries published as SHACL SPARQL executables (``build.examples``, read back
by ``services.examples``): one per ``queries/**/*.rq``, in the artefact and its examples
graph, found by SPARQL at /sparql, in VoID's triples, and dereferenceable as pages and RDF.

The query form is found here by rdflib's SPARQL parser, not by the build's lexical reading.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pyoxigraph
import pytest
from flask.testing import FlaskClient
from markupsafe import escape
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.plugins.sparql.parser import parseQuery

from iprkg.artefact.manifest import read_manifest
from iprkg.build.examples import ExampleError, header, read_example_files
from iprkg.engine.oxigraph_store import OxigraphStore
from iprkg.services.examples import example_void_triples, examples_in
from support.project import DEFAULT_BASE, PROJECT_ROOT
from support.protocol import JSON, parse_rdf, sparql_get

QUERIES = PROJECT_ROOT / "queries"
SH = Namespace("http://www.w3.org/ns/shacl#")
SPEX = Namespace("https://purl.expasy.org/sparql-examples/ontology#")
SCHEMA = Namespace("https://schema.org/")
FORMS = {
    "SelectQuery": (SH.SPARQLSelectExecutable, SH.select),
    "AskQuery": (SH.SPARQLAskExecutable, SH.ask),
    "ConstructQuery": (SH.SPARQLConstructExecutable, SH.construct),
    "DescribeQuery": (SPEX.SPARQLDescribeExecutable, SPEX.describe),
}
TEXT_PROPERTIES = [predicate for _, predicate in FORMS.values()]
ENDPOINT = URIRef(f"{DEFAULT_BASE}sparql")
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
FILES = sorted(QUERIES.rglob("*.rq"))


def name_of(path: Path) -> str:
    return path.relative_to(QUERIES).with_suffix("").as_posix()


def iri_of(path: Path) -> URIRef:
    return URIRef(f"{DEFAULT_BASE}queries/{name_of(path)}")


def executables(graph: Graph) -> set[URIRef]:
    return {s for s in graph.subjects(RDF.type, SH.SPARQLExecutable) if isinstance(s, URIRef)}


def test_there_are_queries_to_publish() -> None:
    assert len(FILES) >= 22


@pytest.mark.parametrize("path", FILES, ids=name_of)
def test_each_query_file_is_one_executable_with_its_form_and_exact_text(
    path: Path, dataset: Graph
) -> None:
    text = path.read_text(encoding="utf-8")
    executable, predicate = FORMS[parseQuery(text)[1].name]
    holding = [s for p in TEXT_PROPERTIES for s in dataset.subjects(p, Literal(text))]
    assert holding == [iri_of(path)]
    subject = iri_of(path)
    assert set(dataset.objects(subject, RDF.type)) == {SH.SPARQLExecutable, executable}
    assert list(dataset.objects(subject, predicate)) == [Literal(text)]
    assert [p for p in TEXT_PROPERTIES if (subject, p, None) in dataset] == [predicate]


def test_every_executable_is_a_query_file(dataset: Graph) -> None:
    assert executables(dataset) == {iri_of(path) for path in FILES}


@pytest.mark.parametrize("path", FILES, ids=name_of)
def test_each_example_is_titled_and_described_in_nb_and_en_from_its_header(
    path: Path, dataset: Graph
) -> None:
    fields = header(path.read_text(encoding="utf-8"))
    subject = iri_of(path)
    assert set(dataset.objects(subject, RDFS.label)) == {
        Literal(fields["title"], lang="en"),
        Literal(fields["title@nb"], lang="nb"),
    }
    assert set(dataset.objects(subject, RDFS.comment)) == {
        Literal(fields["description"], lang="en"),
        Literal(fields["description@nb"], lang="nb"),
    }


def test_the_target_of_every_example_is_the_endpoint(dataset: Graph) -> None:
    targets = {s: set(dataset.objects(s, SCHEMA.target)) for s in executables(dataset)}
    assert targets == {iri_of(path): {ENDPOINT} for path in FILES}


def test_the_examples_graph_of_the_quads_holds_them_and_the_manifest_lists_the_files(
    built_dist: Path, dataset: Graph
) -> None:
    quads = pyoxigraph.Store()
    quads.load(path=str(built_dist / "iprkg.nq"), format=pyoxigraph.RdfFormat.N_QUADS)
    graph = pyoxigraph.NamedNode(f"{DEFAULT_BASE}graph/examples")
    held = {
        (q.subject.value, q.predicate.value, q.object.value)
        for q in quads.quads_for_pattern(None, None, None, graph)
    }
    mine = {iri_of(path) for path in FILES}
    expected = {(str(s), str(p), str(o)) for s, p, o in dataset if s in mine}
    assert held == expected
    assert read_manifest(built_dist)["examples"] == [
        {
            "path": path.relative_to(PROJECT_ROOT).as_posix(),
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        }
        for path in FILES
    ]


def test_a_client_finds_them_with_sparql_at_the_endpoint(client: FlaskClient) -> None:
    query = (
        "PREFIX sh: <http://www.w3.org/ns/shacl#>\n"
        "SELECT ?example ?query WHERE { ?example a sh:SPARQLExecutable ; sh:select ?query }"
    )
    response = sparql_get(client, query, JSON)
    assert response.status_code == 200, response.text
    rows = json.loads(response.data)["results"]["bindings"]
    found = {row["example"]["value"]: row["query"]["value"] for row in rows}
    assert found == {str(iri_of(path)): path.read_text(encoding="utf-8") for path in FILES}


def test_the_services_read_the_same_examples_from_the_store(store: OxigraphStore) -> None:
    examples = examples_in(store)
    assert [e.name for e in examples] == [name_of(path) for path in FILES]
    for example, path in zip(examples, FILES, strict=True):
        fields = header(path.read_text(encoding="utf-8"))
        assert example.text == path.read_text(encoding="utf-8")
        assert (example.form, example.target) == ("SELECT", str(ENDPOINT))
        assert (example.title("nb"), example.title("en")) == (fields["title@nb"], fields["title"])
        assert example.description("nb") == fields["description@nb"]
        assert example.description("en") == fields["description"]


def test_void_links_the_dataset_to_each_example_with_its_triples(
    store: OxigraphStore, dataset: Graph
) -> None:
    node = pyoxigraph.NamedNode(f"{DEFAULT_BASE}catalog#dataset")
    triples = example_void_triples(node, examples_in(store))
    graph = parse_rdf(
        pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES) or b"",
        "application/n-triples",
    )
    subject = URIRef(node.value)
    assert set(graph.objects(subject, RDFS.seeAlso)) == {iri_of(path) for path in FILES}
    mine = {iri_of(path) for path in FILES}
    assert set(graph.triples((None, None, None))) - {(subject, RDFS.seeAlso, o) for o in mine} == {
        t for t in dataset if t[0] in mine
    }


@pytest.mark.parametrize("path", FILES, ids=name_of)
def test_each_example_iri_is_the_query_page_with_that_example_chosen(
    path: Path, client: FlaskClient
) -> None:
    name = name_of(path)
    fields = header(path.read_text(encoding="utf-8"))
    redirect = client.get(f"/queries/{name}", headers=BROWSER)
    assert redirect.status_code == 303
    assert redirect.headers["Location"] == f"/queries/{name}.html"
    for lang, title, description in (
        ("nb", fields["title@nb"], fields["description@nb"]),
        ("en", fields["title"], fields["description"]),
    ):
        page = client.get(f"/queries/{name}.html", query_string={"lang": lang}, headers=BROWSER)
        assert page.status_code == 200, page.text
        html = page.text
        assert f"<title>{escape(title)} · iprkg</title>" in html
        assert f'<option value="{name}" selected>{escape(title)}</option>' in html
        assert len(re.findall(r"<option [^>]*selected", html)) == 1
        assert str(escape(path.read_text(encoding="utf-8"))) in html
        assert str(escape(description)) in html
        assert 'action="http://localhost/sparql"' in html
        assert f'href="/queries/{name}.ttl"' in html  # the RDF alternates


@pytest.mark.parametrize("path", FILES[:3], ids=name_of)
def test_each_example_iri_answers_turtle_by_content_negotiation(
    path: Path, client: FlaskClient
) -> None:
    name = name_of(path)
    redirect = client.get(f"/queries/{name}", headers={"Accept": "text/turtle"})
    assert redirect.status_code == 303
    assert redirect.headers["Location"] == f"/queries/{name}.ttl"
    document = client.get(redirect.headers["Location"])
    assert document.status_code == 200
    graph = parse_rdf(document.data, document.mimetype)
    text = Literal(path.read_text(encoding="utf-8"))
    assert (iri_of(path), SH.select, text) in graph
    assert (iri_of(path), SCHEMA.target, ENDPOINT) in graph


def test_an_iri_under_queries_that_is_no_example_is_not_found(client: FlaskClient) -> None:
    assert client.get("/queries/no-such-query", headers=BROWSER).status_code == 404
    assert client.get("/queries/no-such-query.ttl").status_code == 404


def test_headers_are_read_with_continued_descriptions() -> None:
    text = "# title: Members\n# title@nb: Medlemmer\n# description: Which\n#   municipalities?\n# IRIs without a scheme are relative; x: y\nPREFIX a: <b>\n# title: late\n"
    assert header(text) == {
        "title": "Members",
        "title@nb": "Medlemmer",
        "description": "Which municipalities?",
    }


def test_no_queries_folder_means_no_examples(tmp_path: Path) -> None:
    assert read_example_files(tmp_path) == []
    (tmp_path / "queries" / "sub").mkdir(parents=True)
    (tmp_path / "queries" / "sub" / "q.rq").write_text(
        "# title: Is anything there?\n# select: not a query form\nASK {}\n", encoding="utf-8"
    )
    [example] = read_example_files(tmp_path)
    assert (example.name, example.path, example.form.keyword) == (
        "sub/q",
        "queries/sub/q.rq",
        "ASK",
    )


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("# title: Nothing\n# SELECT in a comment\nPREFIX ex: <select>\n", "no SELECT, ASK"),
        ("# description: no title\nSELECT * {}\n", "no '# title:' line"),
    ],
)
def test_a_query_that_cannot_be_published_stops_the_build_naming_its_file(
    tmp_path: Path, text: str, said: str
) -> None:
    (tmp_path / "queries").mkdir()
    (tmp_path / "queries" / "bad.rq").write_text(text, encoding="utf-8")
    with pytest.raises(ExampleError, match=rf"^queries/bad\.rq: {re.escape(said)}"):
        read_example_files(tmp_path)
