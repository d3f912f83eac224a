"""/search and /search/suggest: the issue's examples as golden tests (expected IRIs
derived from the data), the JSON shape, facets, bad input, caching, the search box on
every page, and a property test that no query fails the server."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from iprkg.artefact.artefact import DatasetFile
from iprkg.engine.oxigraph_store import OxigraphStore
from iprkg.engine.search import MAX_QUERY_CHARS
from iprkg.web.app import create_app
from support.html import BROWSER, parsed_html
from support.project import DEFAULT_BASE

IPR = f"{DEFAULT_BASE}ontology#"


def search(client: FlaskClient, query: str, **arguments: str) -> dict[str, object]:
    response = client.get("/search", query_string={"q": query, "format": "json", **arguments})
    assert response.status_code == 200, response.get_data(as_text=True)
    answer = response.get_json()
    assert isinstance(answer, dict)
    return answer


def result_iris(answer: dict[str, object]) -> list[str]:
    results = answer["results"]
    assert isinstance(results, list)
    return [result["iri"] for result in results]


def one(iris: set[str]) -> str:
    assert len(iris) == 1, iris
    return iris.pop()


def labelled(graph: Graph, cls: str, lang: str, text: str, prop: URIRef = SKOS.prefLabel) -> str:
    """The one instance of ``cls`` whose ``prop`` is ``text``@``lang``."""
    return one(
        {
            str(s)
            for s in graph.subjects(prop, Literal(text, lang=lang))
            if (s, RDF.type, URIRef(cls)) in graph
        }
    )


# ---------------------------------------------------------------------------------------
# The examples, golden: query -> the resource expected among the first results


def expected(dataset: Graph, name: str) -> str:
    """The IRI the issue's example ``name`` must find, looked up in the data."""
    if name == "Samferdsel":  # Sognarådet's Samferdsle is now the nn label of the concept
        return labelled(dataset, f"{IPR}FocusArea", "nn", "Samferdsle")
    if name == "Sykehuset Telemark":
        return one(
            {
                str(s)
                for s, label in dataset.subject_objects(RDFS.label)
                if (s, RDF.type, URIRef(f"{IPR}Stakeholder")) in dataset
                and str(label).startswith("Sykehuset")
            }
        )
    return labelled(dataset, f"{IPR}FocusArea", "nb", name)


GOLDEN = [
    # (what is typed, the resource expected, within the first n results)
    ("samferdsel", "Samferdsel", 1),
    ("Samferdsle", "Samferdsel", 1),
    ("SAMFERDSELEN", "Samferdsel", 1),
    ("sykehus", "Sykehuset Telemark", 1),
    ("Sykehuset", "Sykehuset Telemark", 1),
    ("sykehuset i telemark", "Sykehuset Telemark", 1),
    ("høgare utdanning", "Høyere utdanning", 3),
    ("hoyere utdanning", "Høyere utdanning", 3),
]


@pytest.mark.parametrize(("query", "name", "within"), GOLDEN)
def test_golden_examples(
    client: FlaskClient, dataset: Graph, query: str, name: str, within: int
) -> None:
    assert expected(dataset, name) in result_iris(search(client, query))[:within]


def test_a_retired_concept_ranks_below_the_one_that_replaces_it(
    client: FlaskClient, dataset: Graph
) -> None:
    iris = result_iris(search(client, "samferdsle"))
    replaced = {str(s) for s in dataset.subjects(URIRef("http://purl.org/dc/terms/isReplacedBy"))}
    retired = [n for n, iri in enumerate(iris) if iri in replaced]
    assert retired, "the retired focus area is found too"
    assert all(n > 0 for n in retired)


def test_the_json_answer_has_the_documented_shape(client: FlaskClient) -> None:
    answer = search(client, "sykehus")
    assert set(answer) == {"query", "kind", "total", "partial", "kinds", "results"}
    assert answer["query"] == "sykehus"
    assert answer["total"] == len(result_iris(answer)) >= 1
    results = answer["results"]
    assert isinstance(results, list)
    for result in results:
        assert set(result) == {"iri", "label", "kind", "url", "snippet"}
        assert result["url"].startswith("http")
        assert result["label"] and not result["label"].startswith("http")
    assert client.get("/search?q=sykehus", headers={"Accept": "application/json"}).is_json


def test_facets_count_by_kind_and_filter(client: FlaskClient) -> None:
    answer = search(client, "kommune")
    kinds = answer["kinds"]
    assert isinstance(kinds, dict) and len(kinds) > 1
    assert sum(kinds.values()) == answer["total"]
    kind, count = next(iter(kinds.items()))
    narrowed = search(client, "kommune", kind=kind)
    assert narrowed["total"] == count
    assert narrowed["kinds"] == kinds  # the counts ignore the filter
    assert {r["kind"] for r in narrowed["results"]} == {kind}  # type: ignore[attr-defined]


def test_labels_and_kinds_speak_the_page_language(client: FlaskClient, dataset: Graph) -> None:
    hospital = URIRef(expected(dataset, "Sykehuset Telemark"))
    english = {str(o) for o in dataset.objects(hospital, RDFS.label) if o.language == "en"}  # type: ignore[attr-defined]
    assert english
    results = search(client, "sykehus", lang="en")["results"]
    assert results[0]["label"] in english  # type: ignore[index]
    text = client.get("/search?q=sykehus&lang=en", headers={"Accept": BROWSER}).get_data(
        as_text=True
    )
    assert "stakeholder" in text and "aktør" not in text
    norwegian = client.get("/search?q=sykehus", headers={"Accept": BROWSER}).get_data(as_text=True)
    assert "aktør" in norwegian and "<mark>" in norwegian


def test_the_page_lists_results_with_links_and_facets(client: FlaskClient) -> None:
    response = client.get("/search?q=samferdsel", headers={"Accept": BROWSER})
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = parsed_html(response.get_data(as_text=True))
    links = [attrs.get("href") or "" for tag, attrs in page.tags if tag == "a"]
    assert "/focus-area/samferdsel" in links
    assert any(link.startswith("/search?q=samferdsel&kind=") for link in links)


# ---------------------------------------------------------------------------------------
# Bad input: a page or a 400 that says what to do, never a 500

TOO_LONG = "samferdsel " * (MAX_QUERY_CHARS // 10)
BAD_INPUT = [
    # (raw query string, Accept, status, words the answer holds)
    ("q=", BROWSER, 200, "Skriv ett eller flere ord"),
    ("", BROWSER, 200, "Skriv ett eller flere ord"),
    ("q=+++", BROWSER, 200, "Skriv ett eller flere ord"),
    ("q=&lang=en", BROWSER, 200, "Type one or more words"),
    (f"q={quote(TOO_LONG)}", BROWSER, 400, "Gjør det kortere"),
    (f"q={quote(TOO_LONG)}&lang=en", BROWSER, 400, "Shorten it"),
    (f"q={quote(TOO_LONG)}&format=json", "application/json", 400, '"search-too-long"'),
    ("q=s%F8k", BROWSER, 400, "ikke er UTF-8"),
    ("q=%FF&lang=en", BROWSER, 400, "not UTF-8"),
    ('q="samferdsel', BROWSER, 200, "/focus-area/samferdsel"),
    ("q=samferdsel*", BROWSER, 200, "/focus-area/samferdsel"),
    ("q=zzzqqq:samferdsel", BROWSER, 200, "/focus-area/samferdsel"),  # no column filter
    ("q=samferdsel+AND+OR+NOT+zzzqqq", BROWSER, 200, "dette passer noen av dem"),
    ("q=zzzqqq+xxyyzz", BROWSER, 200, "Ingen treff"),
    ("q=NEAR(samferdsel", BROWSER, 200, "/focus-area/samferdsel"),
    ("q=)samferdsel((", BROWSER, 200, "/focus-area/samferdsel"),
    ("q=%00samferdsel%01%7F", BROWSER, 200, "/focus-area/samferdsel"),
    ("q=%22%22%22&format=json", "*/*", 200, '"total":0'),
    ("q=zzzqqq", BROWSER, 200, "Sjekk stavemåten"),
    ("q=samferdsel&kind=no-such-kind", BROWSER, 200, "Søk blant alle typer"),
    ("q=samferdsel&format=xml", BROWSER, 406, "application/json"),
]


@pytest.mark.parametrize(("query_string", "accept", "status", "says"), BAD_INPUT)
def test_bad_input(
    client: FlaskClient, query_string: str, accept: str, status: int, says: str
) -> None:
    response = client.get(
        "/search", environ_overrides={"QUERY_STRING": query_string}, headers={"Accept": accept}
    )
    assert response.status_code == status
    assert says in response.get_data(as_text=True)


def test_data_without_an_index_get_503_saying_so(built_dist: Path) -> None:
    store = OxigraphStore.from_files([DatasetFile(built_dist / "iprkg.nt")], DEFAULT_BASE)
    app = create_app({"TESTING": True, "IPRKG_STORE": store})
    response = app.test_client().get("/search?q=nome", headers={"Accept": "application/json"})
    assert response.status_code == 503
    assert "search index" in response.get_json()["message"]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=MAX_QUERY_CHARS + 20), kind=st.sampled_from(("", "council", "*")))
def test_no_query_fails_the_server(app: Flask, query: str, kind: str) -> None:
    client = app.test_client()
    for path in ("/search", "/search/suggest"):
        response = client.get(path, query_string={"q": query, "kind": kind, "format": "json"})
        assert response.status_code in (200, 400), response.get_data(as_text=True)
        assert response.is_json


# ---------------------------------------------------------------------------------------
# Suggestions, caching, the box on every page


def test_suggestions_complete_the_last_word(client: FlaskClient, dataset: Graph) -> None:
    area = expected(dataset, "Samferdsel")
    response = client.get("/search/suggest?q=samf")
    assert response.status_code == 200
    suggestions = response.get_json()["suggestions"]
    assert 0 < len(suggestions) <= 8
    assert area.removeprefix(DEFAULT_BASE) in {s["url"].lstrip("/") for s in suggestions}
    assert client.get("/search/suggest?q=").get_json()["suggestions"] == []


def test_answers_are_cached_like_every_page(client: FlaskClient) -> None:
    first = client.get("/search?q=sykehus", headers={"Accept": BROWSER})
    tag = first.headers["ETag"]
    assert "public" in first.headers["Cache-Control"]
    again = client.get("/search?q=sykehus", headers={"Accept": BROWSER, "If-None-Match": tag})
    assert again.status_code == 304
    other = client.get("/search?q=samferdsel", headers={"Accept": BROWSER})
    assert other.headers["ETag"] != tag


@pytest.mark.parametrize(
    "path", ["/", "/council/", "/compare", "/ontology", "/search", "/search?q=nome", "/no-such"]
)
def test_every_page_has_the_search_box(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers={"Accept": BROWSER})
    page = parsed_html(response.get_data(as_text=True))
    forms = [
        attrs
        for tag, attrs in page.tags
        if tag == "form" and "site-search" in (attrs.get("class") or "")
    ]
    assert len(forms) == 1, path
    assert forms[0]["method"] == "get" and (forms[0]["action"] or "").endswith("/search")
    inputs = [attrs for tag, attrs in page.tags if tag == "input" and attrs.get("name") == "q"]
    assert inputs
    scripts = [attrs.get("src") for tag, attrs in page.tags if tag == "script"]
    assert any((src or "").endswith("/static/search.js") for src in scripts)
    assert "<script>" not in response.get_data(as_text=True)  # no inline script (CSP)


def test_the_script_is_served(client: FlaskClient) -> None:
    response = client.get("/static/search.js")
    assert response.status_code == 200
    assert "data-suggest" in response.get_data(as_text=True)  # the address is the form's
