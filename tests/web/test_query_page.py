"""The query page at /sparql for browsers: the editor, the examples, the formats, offline."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from markupsafe import escape

from iprkg.core.formats import RESULTS_SERIALISATIONS, SERIALISATIONS
from iprkg.services.examples import header, read_examples

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
        assert f'<option value="{example["name"]}">' in nb
        assert str(escape(fields["title@nb"])) in nb
        assert str(escape(fields["title"])) in en


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


def test_a_query_in_the_url_is_answered_not_the_page(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": "ASK {}"}, headers=BROWSER)
    assert response.mimetype == "application/sparql-results+xml"  # the browser's application/xml


def test_headers_are_read_with_continued_descriptions() -> None:
    text = "# title: Members\n# title@nb: Medlemmer\n# description: Which\n#   municipalities?\n# IRIs without a scheme are relative; x: y\nPREFIX a: <b>\n# title: late\n"
    assert header(text) == {
        "title": "Members",
        "title@nb": "Medlemmer",
        "description": "Which municipalities?",
    }


def test_no_queries_folder_means_no_examples(tmp_path: Path) -> None:
    assert read_examples(tmp_path / "absent") == []
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "q.rq").write_text("ASK {}\n", encoding="utf-8")
    [example] = read_examples(tmp_path)
    assert (example.name, example.title_en, example.title_nb) == ("sub/q", "sub/q", "sub/q")


def test_the_editor_files_are_served_from_node_modules_only(client: FlaskClient) -> None:
    installed = (PROJECT / "node_modules" / "codemirror" / "lib" / "codemirror.js").is_file()
    html = query_page(client)
    assert ('src="/sparql/editor/codemirror.js"' in html) == installed
    for name, media_type in (
        ("codemirror.js", "text/javascript"),
        ("codemirror.css", "text/css"),
        ("sparql.js", "text/javascript"),
    ):
        with client.get(f"/sparql/editor/{name}") as response:
            assert response.status_code == (200 if installed else 404)
            if installed:
                assert response.mimetype == media_type
    for name in ("package.json", "..%2Fpackage.json", "../lib/codemirror.js", "codemirror.JS"):
        with client.get(f"/sparql/editor/{name}") as response:
            assert response.status_code == 404, name
