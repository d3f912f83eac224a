"""The query page at /sparql for browsers: the editor, the examples, the formats, offline."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from markupsafe import escape

from iprkg.build.examples import header
from iprkg.core.formats import RESULTS_SERIALISATIONS, SERIALISATIONS
from iprkg.engine.oxigraph_store import OxigraphStore
from iprkg.services.examples import examples_in
from iprkg.services.labels import read_labels

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
PROJECT = Path(__file__).resolve().parents[2]


def query_page(client: FlaskClient, lang: str = "nb") -> str:
    response = client.get("/sparql", query_string={"lang": lang}, headers=BROWSER)
    assert response.status_code == 200, response.text
    assert response.mimetype == "text/html"
    return response.text


def embedded(html: str, element_id: str) -> object:
    found = re.search(
        rf'<script type="application/json" id="{element_id}">(.*?)</script>', html, re.S
    )
    assert found, element_id
    return json.loads(found.group(1))


def test_a_browser_gets_the_page_with_an_editor_that_posts_to_the_endpoint(
    client: FlaskClient,
) -> None:
    html = query_page(client)
    assert re.search(
        r'<form class="query-form" id="query-form" method="get" action="http://localhost/sparql"',
        html,
    )
    assert re.search(r'<textarea id="query" name="query"', html)
    assert 'src="/static/query.js"' in html
    assert "Ctrl+Enter" in html


def test_every_example_query_is_in_the_menu(client: FlaskClient) -> None:
    files = sorted((PROJECT / "queries").rglob("*.rq"))
    assert len(files) >= 16
    nb, en = query_page(client), query_page(client, "en")
    examples = embedded(nb, "query-examples")
    assert isinstance(examples, list)
    assert [e["name"] for e in examples] == [
        f.relative_to(PROJECT / "queries").with_suffix("").as_posix() for f in files
    ]
    for example, path in zip(examples, files, strict=True):
        fields = header(path.read_text(encoding="utf-8"))
        assert example["text"] == path.read_text(encoding="utf-8")
        assert re.search(rf'<option value="{re.escape(example["name"])}"( selected)?>', nb)
        assert str(escape(fields["title@nb"])) in nb
        assert str(escape(fields["title"])) in en
        assert example["description_nb"] == fields["description@nb"] != fields["description"]
        assert example["description_en"] == fields["description"]
    first = header(files[0].read_text(encoding="utf-8"))
    assert str(escape(first["description@nb"])) in nb
    assert str(escape(first["description"])) in en


TRIPLES_QUERY = """PREFIX sh: <http://www.w3.org/ns/shacl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?example ?title ?description ?query WHERE {
  ?example a sh:SPARQLExecutable ; sh:select ?query ;
    rdfs:label ?title ; rdfs:comment ?description .
  FILTER (LANG(?title) = "TAG" && LANG(?description) = "TAG")
}"""


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_menu_is_read_from_the_examples_triples_in_the_page_language(
    client: FlaskClient, store: OxigraphStore, lang: str
) -> None:
    answer = client.get(
        "/sparql",
        query_string={"query": TRIPLES_QUERY.replace("TAG", lang)},
        headers={"Accept": "application/sparql-results+json"},
    )
    rows = json.loads(answer.data)["results"]["bindings"]
    base = store.base_iri + "queries/"
    triples = {
        row["example"]["value"].removeprefix(base): (
            row["title"]["value"],
            row["description"]["value"],
            row["query"]["value"],
        )
        for row in rows
    }
    html = query_page(client, lang)
    menu = re.search(r'<select id="example">(.*?)</select>', html, re.S)
    assert menu, "no example menu"
    options = dict(re.findall(r'<option value="([^"]+)"(?: selected)?>([^<]*)</option>', menu[1]))
    examples = embedded(html, "query-examples")
    assert isinstance(examples, list)
    assert sorted(triples) == sorted(e["name"] for e in examples) == sorted(options)
    for example in examples:
        title, description, text = triples[example["name"]]
        assert options[example["name"]] == str(escape(title))
        assert (example["text"], example[f"description_{lang}"]) == (text, description)
    assert [e.name for e in examples_in(store)] == [e["name"] for e in examples]


def test_the_page_needs_nothing_from_elsewhere(client: FlaskClient) -> None:
    html = query_page(client)
    for tag, attribute in (("script", "src"), ("link", "href"), ("img", "src")):
        for url in re.findall(rf"<{tag}\b[^>]*\b{attribute}=\"([^\"]+)\"", html):
            assert url.startswith(("/", "data:")), url  # this server, or inline
    with client.get("/static/query.js") as script:
        assert script.status_code == 200
        assert "javascript" in script.mimetype
        code = script.get_data(as_text=True)
    assert not re.search(r"fetch\(\s*['\"]https?:", code)  # only the endpoint
    assert "innerHTML" not in code  # answers are set as text only


def test_downloads_offer_every_format(client: FlaskClient) -> None:
    formats = embedded(query_page(client), "query-formats")
    assert isinstance(formats, dict)
    assert [name for name, _ in formats["results"]] == [f.name for f in RESULTS_SERIALISATIONS]
    assert [name for name, _ in formats["graph"]] == [f.name for f in SERIALISATIONS]


@pytest.mark.parametrize("serialisation", RESULTS_SERIALISATIONS, ids=lambda s: s.name)
def test_each_results_download_link_answers_in_its_format(
    client: FlaskClient, serialisation: object
) -> None:
    name, media_type = serialisation.name, serialisation.media_type  # type: ignore[attr-defined]
    response = client.get(
        "/sparql",
        query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 2", "format": name},
        headers=BROWSER,
    )
    assert response.status_code == 200
    assert response.mimetype == media_type


@pytest.mark.parametrize("serialisation", SERIALISATIONS, ids=lambda s: s.name)
def test_each_graph_download_link_answers_in_its_format(
    client: FlaskClient, serialisation: object
) -> None:
    name, media_type = serialisation.name, serialisation.media_type  # type: ignore[attr-defined]
    response = client.get(
        "/sparql",
        query_string={"query": "DESCRIBE <council/nome-midt-telemark>", "format": name},
        headers=BROWSER,
    )
    assert response.status_code == 200
    assert response.mimetype == media_type


@pytest.mark.parametrize(
    ("accept", "query_string", "expected"),
    [
        (None, "", "text/turtle"),
        ("*/*", "", "text/turtle"),
        ("text/*", "", "text/turtle"),
        (BROWSER["Accept"], "", "text/html"),
        (BROWSER["Accept"], "format=json-ld", "application/ld+json"),
        ("text/turtle", "format=html", "text/html"),
    ],
)
def test_only_browsers_get_the_page(
    client: FlaskClient, accept: str | None, query_string: str, expected: str
) -> None:
    headers = {} if accept is None else {"Accept": accept}
    response = client.get("/sparql", query_string=query_string, headers=headers)
    assert response.status_code == 200
    assert response.mimetype == expected


def test_a_query_in_the_url_opened_by_a_browser_is_the_page_with_its_answer(
    client: FlaskClient,
) -> None:
    response = client.get("/sparql", query_string={"query": "ASK {}"}, headers=BROWSER)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "<textarea" in response.text and "ASK {}" in response.text
    assert "Nei (false)" in response.text


def test_the_editor_files_are_served_from_node_modules_only(client: FlaskClient) -> None:
    installed = (PROJECT / "node_modules" / "codemirror" / "lib" / "codemirror.js").is_file()
    html = query_page(client)
    assert ('src="/sparql/editor/codemirror.js"' in html) == installed
    for name, media_type in (
        ("codemirror.js", "text/javascript"),
        ("codemirror.css", "text/css"),
        ("sparql.js", "text/javascript"),
        ("show-hint.js", "text/javascript"),
        ("show-hint.css", "text/css"),
    ):
        with client.get(f"/sparql/editor/{name}") as response:
            assert response.status_code == (200 if installed else 404)
            if installed:
                assert response.mimetype == media_type
    for name in ("package.json", "..%2Fpackage.json", "../lib/codemirror.js", "codemirror.JS"):
        with client.get(f"/sparql/editor/{name}") as response:
            assert response.status_code == 404, name


# ---------------------------------------------------------------- the query in the address

IPR = "https://w3id.org/iprkg/ontology#"
JSON_RESULTS = "application/sparql-results+json"


def council_query(client: FlaskClient) -> tuple[str, list[dict[str, dict[str, str]]]]:
    """A query naming every council with its labels, and its answer as a client gets it."""
    query = (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "PREFIX ipr: <ontology#>\n"
        "SELECT ?council ?name ?members WHERE {\n"
        "  ?council a ipr:RegionalCouncil ; rdfs:label ?name .\n"
        "  { SELECT ?council (COUNT(?m) AS ?members) WHERE { ?council org:hasMember ?m } "
        "GROUP BY ?council }\n"
        "} ORDER BY ?council"
    ).replace("org:hasMember", "<http://www.w3.org/ns/org#hasMember>")
    response = client.get(
        "/sparql", query_string={"query": query}, headers={"Accept": JSON_RESULTS}
    )
    assert response.status_code == 200, response.text
    rows = json.loads(response.text)["results"]["bindings"]
    assert rows, "the data hold councils"
    return query, rows


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_shared_link_shows_the_page_with_the_query_and_labelled_plain_results(
    client: FlaskClient, lang: str
) -> None:
    query, rows = council_query(client)
    page = client.get("/sparql", query_string={"query": query, "lang": lang}, headers=BROWSER)
    assert page.status_code == 200
    assert page.mimetype == "text/html"
    html = page.text
    assert str(escape(query)) in html  # in the editor
    assert f'<html lang="{lang}">' in html
    table = html[html.index('<table class="results">') : html.index("</table>")]
    for row in rows:
        council = row["council"]["value"]
        relative = council.removeprefix("https://w3id.org/iprkg/")
        assert f'href="/{relative}"' in table
        assert f"&lt;{relative}&gt;" in table  # the compact name, as queries write it
        assert str(escape(row["name"]["value"])) in table
        assert f">{row['members']['value']}</td>" in table  # the plain value
    assert "^^" not in table and "XMLSchema" not in table.replace('title="xsd:', "")
    assert "http://www.w3.org/2001/XMLSchema#integer" not in table
    rows_word = "rader" if lang == "nb" else "rows"
    assert f"{len(rows)} {rows_word}" in html


def test_the_same_link_gives_clients_the_results_as_before(client: FlaskClient) -> None:
    query, _ = council_query(client)
    for accept, media_type in [
        (JSON_RESULTS, JSON_RESULTS),
        ("application/json", JSON_RESULTS),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("application/xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("*/*", JSON_RESULTS),
        (None, JSON_RESULTS),
        ("text/html;q=0.5, application/sparql-results+json", JSON_RESULTS),
    ]:
        headers = {} if accept is None else {"Accept": accept}
        response = client.get("/sparql", query_string={"query": query}, headers=headers)
        assert response.status_code == 200, accept
        assert response.mimetype == media_type, accept


def test_labels_beside_iris_in_the_page_language(client: FlaskClient, store: OxigraphStore) -> None:
    query = f"SELECT ?goal WHERE {{ ?s <{IPR}emphasisesGoal> ?goal }} LIMIT 1"
    answer = client.get("/sparql", query_string={"query": query}, headers={"Accept": JSON_RESULTS})
    goal = json.loads(answer.text)["results"]["bindings"][0]["goal"]["value"]
    labels = read_labels(store)
    for lang in ("nb", "en"):
        html = client.get(
            "/sparql", query_string={"query": query, "lang": lang}, headers=BROWSER
        ).text
        assert f'<span class="label">{escape(labels.label(goal, lang))}</span>' in html
        assert f"sdg:{goal.rsplit('/', 1)[1]}" in html  # the build's prefix


def test_format_html_gives_the_page_by_get_and_by_a_posted_form(client: FlaskClient) -> None:
    by_get = client.get("/sparql", query_string={"query": "ASK {}", "format": "html"})
    by_post = client.post("/sparql", data={"query": "ASK { ?s ?p ?o }", "format": "html"})
    assert by_get.mimetype == by_post.mimetype == "text/html"
    assert "Ja (true)" in by_post.text
    assert client.post("/sparql", data={"query": "ASK {}"}).mimetype == JSON_RESULTS


def test_a_describe_shows_as_turtle_on_the_page(client: FlaskClient) -> None:
    html = client.get(
        "/sparql", query_string={"query": "DESCRIBE <council/nome-midt-telemark>"}, headers=BROWSER
    ).text
    assert '<pre class="graph">' in html
    assert 'data-format="turtle"' in html


@pytest.mark.parametrize(("lang", "advice"), [("nb", "POST"), ("en", "POST")])
def test_a_link_too_long_for_an_address_is_refused_saying_to_post_it(
    client: FlaskClient, lang: str, advice: str
) -> None:
    query = "SELECT * WHERE { ?s ?p ?o }" + " " * 9000 + "LIMIT 1"
    response = client.get("/sparql", query_string={"query": query, "lang": lang}, headers=BROWSER)
    assert response.status_code == 414
    assert response.mimetype == "text/html"
    assert advice in response.text and "IPRKG_MAX_HEADER_BYTES" in response.text
    assert (
        "Send spørringen med POST" if lang == "nb" else "Send the query by POST"
    ) in response.text
    posted = client.post(f"/sparql?lang={lang}", data={"query": query, "format": "html"})
    assert posted.status_code == 200 and '<table class="results">' in posted.text


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_missing_prefix_is_named_with_the_one_probably_meant(
    client: FlaskClient, lang: str
) -> None:
    query = "PREFIX ipr: <ontology#>\nSELECT * WHERE {\n  ?s ipt:emphasisesGoal ?o\n}"
    page = client.get("/sparql", query_string={"query": query, "lang": lang}, headers=BROWSER)
    assert page.status_code == 400
    assert page.mimetype == "text/html"
    problem = page.text[page.text.index('id="query-problem"') :]
    problem = problem[: problem.index("</div>")]
    assert "ipt:" in problem and "ipr:" in problem
    assert ("linje 3" if lang == "nb" else "line 3") in problem
    assert "\\u{" not in problem and "expected one of" not in problem
    assert 'data-error-line="3"' in page.text
    # Clients get the engine's message in the protocol's shape, as before.
    raw = client.get(
        "/sparql", query_string={"query": query}, headers={"Accept": "application/json"}
    )
    assert raw.status_code == 400
    assert set(json.loads(raw.text)) == {"status", "error", "message"}
    assert "Prefix not found" in json.loads(raw.text)["message"]


def test_a_name_the_data_do_not_hold_is_a_warning_with_the_nearest(client: FlaskClient) -> None:
    used = json.loads(
        client.get(
            "/sparql",
            query_string={
                "query": f"SELECT DISTINCT ?p WHERE {{ ?s ?p ?o FILTER STRSTARTS(STR(?p), '{IPR}') }}"
            },
            headers={"Accept": JSON_RESULTS},
        ).text
    )["results"]["bindings"]
    name = max((row["p"]["value"].removeprefix(IPR) for row in used), key=len)
    misspelt = name[:-2] + name[-1] + name[-2]  # two letters swapped
    query = f"PREFIX ipr: <ontology#>\nSELECT * WHERE {{ ?s ipr:{misspelt} ?o }}"
    for lang, words in (("nb", "mente du"), ("en", "did you mean")):
        page = client.get("/sparql", query_string={"query": query, "lang": lang}, headers=BROWSER)
        assert page.status_code == 200  # a warning, not an error
        warning = page.text[page.text.index('id="query-warnings"') :]
        warning = warning[: warning.index("</div>")]
        assert f"<code>ipr:{misspelt}</code>" in warning
        assert words in warning and f"<code>ipr:{name}</code>" in warning
    plain = client.get("/sparql", query_string={"query": query}, headers={"Accept": JSON_RESULTS})
    assert plain.status_code == 200 and "warning" not in plain.headers


def test_the_completions_list_is_served(client: FlaskClient) -> None:
    response = client.get("/sparql/completions.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    completions = json.loads(response.text)
    assert {"prefix": "ipr", "namespace": IPR} in completions["prefixes"]
    kinds = {term["name"]: term["kind"] for term in completions["terms"]}
    assert kinds.get("rdf:type") == "property"
    assert 'data-completions="/sparql/completions.json"' in query_page(client)
