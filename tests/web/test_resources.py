"""Dereferencing (server/iprkg/web/resources.py): IRI <-> URL, negotiation, 303, suffixes,
Link headers, 404 and 406, the description and DESCRIBE, paths that must not escape."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph
import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from iprkg.artefact.artefact import DatasetFile
from iprkg.engine.oxigraph_store import OxigraphStore
from iprkg.web.app import create_app
from support.html import BROWSER, parsed_html
from support.project import DEFAULT_BASE
from support.protocol import sparql_get

COUNCIL = "council/nome-midt-telemark"
COUNCIL_IRI = URIRef(f"{DEFAULT_BASE}{COUNCIL}")

# Spelled out here (not taken from the formats registry) to pin what goes over the wire.
RDF_FORMATS = {
    "ttl": ("text/turtle", "turtle", pyoxigraph.RdfFormat.TURTLE),
    "nt": ("application/n-triples", "nt", pyoxigraph.RdfFormat.N_TRIPLES),
    "jsonld": ("application/ld+json", "json-ld", pyoxigraph.RdfFormat.JSON_LD),
    "rdf": ("application/rdf+xml", "xml", pyoxigraph.RdfFormat.RDF_XML),
}
EXTENSIONS = {media_type: ext for ext, (media_type, _, _) in RDF_FORMATS.items()}
EXTENSIONS["text/html"] = "html"


def rdflib_graph(data: bytes, extension: str) -> Graph:
    return Graph().parse(data=data, format=RDF_FORMATS[extension][1])


def oxigraph_graph(data: bytes, extension: str) -> Graph:
    """Parsed by pyoxigraph (an independent parser), as an rdflib graph to compare."""
    quads = pyoxigraph.parse(data, format=RDF_FORMATS[extension][2], base_iri=DEFAULT_BASE)
    nt = pyoxigraph.serialize(
        [pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in quads],
        format=pyoxigraph.RdfFormat.N_TRIPLES,
    )
    return Graph().parse(data=nt or b"", format="nt")


def describe_at_sparql(client: FlaskClient, iri: str) -> Graph:
    response = sparql_get(client, f"DESCRIBE <{iri}>", "application/n-triples")
    assert response.status_code == 200, response.text
    return Graph().parse(data=response.data, format="nt")


@pytest.mark.parametrize("extension", sorted(RDF_FORMATS))
def test_the_council_answers_in_every_rdf_format_parsed_by_two_parsers(
    client: FlaskClient, extension: str
) -> None:
    media_type = RDF_FORMATS[extension][0]
    response = client.get(f"/{COUNCIL}", headers={"Accept": media_type})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/{COUNCIL}.{extension}"
    document = client.get(response.headers["Location"])
    assert document.status_code == 200
    assert document.mimetype == media_type
    by_rdflib = rdflib_graph(document.data, extension)
    by_oxigraph = oxigraph_graph(document.data, extension)
    assert isomorphic(by_rdflib, by_oxigraph)
    assert isomorphic(by_rdflib, describe_at_sparql(client, str(COUNCIL_IRI)))
    assert (COUNCIL_IRI, None, None) in by_rdflib


def test_the_council_answers_in_html_to_a_browser(client: FlaskClient) -> None:
    response = client.get(f"/{COUNCIL}", headers={"Accept": BROWSER}, follow_redirects=True)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = parsed_html(response.text)
    assert [tag for tag, _ in page.tags].count("h1") == 1
    assert "Nome og Midt-Telemark interkommunale politiske råd" in "".join(page.text)
    links = {attrs.get("href") for tag, attrs in page.tags if tag == "a"}
    assert "/municipality/nome" in links  # under the base: a page here
    assert "http://www.wikidata.org/entity/Q2375" in client.get("/municipality/nome.html").text


@pytest.mark.parametrize(
    ("lang", "title"), [("nb", "kommuneloven § 18-1"), ("en", "Local Government Act, section 18-1")]
)
def test_the_council_page_names_its_legal_basis_by_its_title(
    client: FlaskClient, lang: str, title: str
) -> None:
    # The section is named by eli:title only: a label property like any other.
    response = client.get(f"/{COUNCIL}.html?lang={lang}")
    assert response.status_code == 200
    page = parsed_html(response.text)
    assert title in page.text
    assert "18-1" not in page.text  # the IRI's last segment, shown while it had no label


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "text/html"),
        ("", "text/html"),
        ("*/*", "text/html"),
        (BROWSER, "text/html"),
        ("text/*", "text/html"),
        ("application/xhtml+xml", "text/html"),
        ("text/turtle", "text/turtle"),
        ("application/x-turtle", "text/turtle"),
        ("application/ld+json, text/turtle;q=0.5", "application/ld+json"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/n-triples", "application/n-triples"),
        ("text/html;q=0.1, application/n-triples", "application/n-triples"),
    ],
)
def test_negotiation_redirects_to_the_document_in_the_chosen_format(
    client: FlaskClient, accept: str | None, expected: str
) -> None:
    headers = {} if accept is None else {"Accept": accept}
    response = client.get(f"/{COUNCIL}", headers=headers)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/{COUNCIL}.{EXTENSIONS[expected]}"
    assert "Accept" in response.vary


@pytest.mark.parametrize("accept", ["image/png", "text/turtle;q=0, text/html;q=0, */*;q=0"])
def test_an_unacceptable_accept_is_406_listing_the_formats(
    client: FlaskClient, accept: str
) -> None:
    response = client.get(f"/{COUNCIL}", headers={"Accept": accept})
    assert response.status_code == 406
    for media_type in ["text/html", *(m for m, _, _ in RDF_FORMATS.values())]:
        assert media_type in response.text


def test_format_parameter_overrides_accept(client: FlaskClient) -> None:
    response = client.get(f"/{COUNCIL}?format=ttl", headers={"Accept": BROWSER})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/{COUNCIL}.ttl"


@pytest.mark.parametrize("extension", [*sorted(RDF_FORMATS), "html"])
def test_a_suffix_overrides_accept(client: FlaskClient, extension: str) -> None:
    other = "text/html" if extension != "html" else "text/turtle"
    response = client.get(f"/{COUNCIL}.{extension}", headers={"Accept": other})
    assert response.status_code == 200
    expected = RDF_FORMATS[extension][0] if extension != "html" else "text/html"
    assert response.mimetype == expected


def test_every_answer_links_every_format(client: FlaskClient) -> None:
    for url in (f"/{COUNCIL}", f"/{COUNCIL}.ttl", f"/{COUNCIL}.html", "/ontology"):
        link = client.get(url, headers={"Accept": "text/turtle"}).headers["Link"]
        for extension, (media_type, _, _) in RDF_FORMATS.items():
            assert (
                f'</{url.strip("/").split(".")[0]}.{extension}>; rel="alternate"; '
                f'type="{media_type}"' in link
            ), (url, link)
        assert 'type="text/html"' in link


def test_the_hash_namespace_is_a_document_with_content_location(client: FlaskClient) -> None:
    response = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["Content-Location"] == "/ontology.ttl"
    graph = Graph().parse(data=response.data, format="turtle")
    term = URIRef(f"{DEFAULT_BASE}ontology#RegionalCouncil")
    assert (term, None, None) in graph  # ontology#RegionalCouncil dereferences here


def test_the_description_is_describe_at_sparql(client: FlaskClient, store: OxigraphStore) -> None:
    """One definition: outgoing triples, labels of their objects, incoming triples and the
    labels of their subjects; DESCRIBE at /sparql gives the same graph."""
    for iri in (str(COUNCIL_IRI), f"{DEFAULT_BASE}municipality/nome"):
        page = Graph().parse(data=client.get(f"/{iri[len(DEFAULT_BASE) :]}.nt").data, format="nt")
        assert isomorphic(page, describe_at_sparql(client, iri))
        subject = URIRef(iri)
        incoming = list(page.subjects(None, subject))
        assert incoming, "the incoming links are part of the description"
        outgoing_objects = [o for o in page.objects(subject) if isinstance(o, URIRef)]
        labelled = [o for o in outgoing_objects if (o, None, None) in page]
        assert labelled, "the labels of what it links to are part of the description"


def test_describe_with_a_where_clause_uses_the_same_description(client: FlaskClient) -> None:
    query = (
        "PREFIX ipr: <ontology#> DESCRIBE ?council WHERE { ?council a ipr:RegionalCouncil ; "
        "<http://www.w3.org/ns/org#hasMember> <municipality/nome> }"
    )
    response = sparql_get(client, query, "application/n-triples")
    described = Graph().parse(data=response.data, format="nt")
    assert isomorphic(described, describe_at_sparql(client, str(COUNCIL_IRI)))


def test_json_ld_is_compacted_with_the_published_context(client: FlaskClient) -> None:
    document = json.loads(client.get(f"/{COUNCIL}.jsonld").data)
    published = client.get("/context.jsonld")
    assert published.status_code == 200
    assert published.mimetype == "application/ld+json"
    assert document["@context"] == published.get_json()["@context"]
    assert published.get_json()["@context"]["ipr"] == f"{DEFAULT_BASE}ontology#"
    assert "ipr:purposeStatement" in json.dumps(document)  # compact: prefixed names


@pytest.mark.parametrize("accept", [BROWSER, "application/json"])
def test_an_unknown_iri_is_404_for_people_and_programs(client: FlaskClient, accept: str) -> None:
    response = client.get("/council/nowhere", headers={"Accept": accept})
    assert response.status_code == 404
    if accept == BROWSER:
        assert response.mimetype == "text/html"
        assert "<h1>Siden finnes ikke</h1>" in response.text  # the page language's heading
        assert "Feil 404" in response.text
    else:
        assert response.get_json()["error"] == "not-found"


@pytest.mark.parametrize("extension", sorted(RDF_FORMATS))
def test_an_unknown_iri_is_404_in_the_negotiated_rdf_format(
    client: FlaskClient, extension: str
) -> None:
    media_type = RDF_FORMATS[extension][0]
    for url, headers in (
        ("/council/nowhere", {"Accept": media_type}),
        (f"/council/nowhere.{extension}", {}),
    ):
        response = client.get(url, headers=headers)
        assert response.status_code == 404
        assert response.mimetype == media_type
        assert len(rdflib_graph(response.data, extension)) == 0
        assert len(oxigraph_graph(response.data, extension)) == 0


@pytest.mark.parametrize(
    "path",
    [
        "/council/../council/nome-midt-telemark",
        "/council/%2e%2e/council/nome-midt-telemark",
        "/council%2fnome-midt-telemark",
        "/council%2Fnome-midt-telemark",
        "/council/nome-midt-telemark%5c",
        "/..%2f..%2fpyproject.toml",
        "/%2e%2e/%2e%2e/pyproject.toml",
        "/council/nome-midt-telemark%00.ttl",
        "/council/%ff%fe",
        "/council//nome-midt-telemark",
        "/./council/nome-midt-telemark",
        "/static/..%2f..%2fapp.py",
        "/static/%2e%2e/app.py",
        "/static/../app.py",
        "/static/../../../pyproject.toml",
    ],
)
def test_odd_paths_are_404_and_never_a_file(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/turtle"})
    assert response.status_code == 404, (path, response.status_code)
    assert b"import" not in response.data
    assert b"[project]" not in response.data


def test_the_static_files_are_served(client: FlaskClient) -> None:
    response = client.get("/static/iprkg.css")
    response.close()  # a file response: close it, or the file is left open
    assert response.status_code == 200
    assert response.mimetype == "text/css"


@pytest.fixture
def proxied_client(store: OxigraphStore) -> FlaskClient:
    """The app behind one trusted reverse proxy."""
    app = create_app({"TESTING": True, "IPRKG_STORE": store, "IPRKG_PROXY_HOPS": 1})
    return app.test_client()


PROXY_HEADERS = {
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "data.example.org",
    "X-Forwarded-Prefix": "/iprkg",
    "X-Forwarded-For": "192.0.2.1",
}


def test_behind_a_proxy_the_prefix_is_kept_and_the_iri_is_not_rewritten(
    proxied_client: FlaskClient,
) -> None:
    headers = {**PROXY_HEADERS, "Accept": "text/turtle"}
    response = proxied_client.get(f"/{COUNCIL}", headers=headers)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/iprkg/{COUNCIL}.ttl"
    assert f"</iprkg/{COUNCIL}.nt>" in response.headers["Link"]
    document = proxied_client.get(f"/{COUNCIL}.ttl", headers=PROXY_HEADERS)
    graph = Graph().parse(data=document.data, format="turtle")
    assert (COUNCIL_IRI, None, None) in graph  # the canonical IRI, not data.example.org
    page = proxied_client.get(f"/{COUNCIL}.html", headers=PROXY_HEADERS).text
    assert 'href="/iprkg/municipality/nome"' in page
    assert 'href="/iprkg/static/iprkg.css"' in page


def test_without_trusted_proxies_forwarded_headers_are_ignored(client: FlaskClient) -> None:
    headers = {**PROXY_HEADERS, "Accept": "text/turtle"}
    response = client.get(f"/{COUNCIL}", headers=headers)
    assert response.headers["Location"] == f"/{COUNCIL}.ttl"


def test_at_the_canonical_host_and_path_the_iri_is_the_url(store: OxigraphStore) -> None:
    """Served at https://w3id.org/iprkg/ (a prefix of /iprkg), a URL is its IRI."""
    app = create_app({"TESTING": True, "IPRKG_STORE": store})
    client = app.test_client()
    response = client.get(
        f"/{COUNCIL}.nt", base_url="https://w3id.org/iprkg/", headers={"Accept": "*/*"}
    )
    assert response.status_code == 200
    graph = Graph().parse(data=response.data, format="nt")
    assert (COUNCIL_IRI, None, None) in graph


XSS_DATA = """\
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://w3id.org/iprkg/council/evil> a <https://w3id.org/iprkg/ontology#RegionalCouncil> ;
    rdfs:label "<script>alert('label')</script>"@nb ;
    rdfs:comment "\\"><img src=x onerror=alert(1)>"@en ;
    dct:source <javascript:alert(1)> ;
    dct:description "<b>bold</b> & co" .
"""


@pytest.fixture
def xss_app(tmp_path: Path) -> Flask:
    data = tmp_path / "evil.ttl"
    data.write_text(XSS_DATA, encoding="utf-8")
    store = OxigraphStore.from_files([DatasetFile(data)], DEFAULT_BASE)
    return create_app({"TESTING": True, "IPRKG_STORE": store})


def test_literals_with_html_or_script_render_as_text(xss_app: Flask) -> None:
    client = xss_app.test_client()
    response = client.get("/council/evil.html")
    assert response.status_code == 200
    text = response.text
    assert "<script>alert" not in text
    assert "&lt;script&gt;alert(&#39;label&#39;)&lt;/script&gt;" in text
    assert "<img" not in text
    assert 'href="javascript:' not in text  # an IRI with a script scheme is text, not a link
    assert "<b>bold</b>" not in text and "&lt;b&gt;bold&lt;/b&gt; &amp; co" in text
    scripts = [attrs for tag, attrs in parsed_html(text).tags if tag == "script"]
    # Only the app's own scripts, by URL (the header's search suggestions); none from the data.
    assert all((attrs.get("src") or "").startswith("/static/") for attrs in scripts), scripts
    landing = client.get("/").text
    assert "<script>alert" not in landing


def test_head_answers_like_get(client: FlaskClient) -> None:
    got, head = client.get(f"/{COUNCIL}.ttl"), client.head(f"/{COUNCIL}.ttl")
    assert head.status_code == 200
    assert head.data == b""
    assert head.headers["Content-Type"] == got.headers["Content-Type"]


def test_a_real_server_dereferences_and_ignores_untrusted_forwarding(live_server: str) -> None:
    """Over HTTP (granian): the 303, the document, and X-Forwarded-* dropped by default."""
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(
        f"{live_server}/{COUNCIL}",
        headers={
            "Accept": "application/ld+json",
            "X-Forwarded-Prefix": "/evil",
            "X-Forwarded-Host": "evil.example",
        },
    )
    try:
        opener.open(request, timeout=30)
    except urllib.error.HTTPError as redirect:
        assert redirect.code == 303
        assert redirect.headers["Location"] == f"/{COUNCIL}.jsonld"
    else:
        pytest.fail("expected 303 See Other")
    with urllib.request.urlopen(f"{live_server}/{COUNCIL}.jsonld", timeout=30) as response:
        data = response.read()
    assert (COUNCIL_IRI, None, None) in rdflib_graph(data, "jsonld")
    assert isomorphic(rdflib_graph(data, "jsonld"), oxigraph_graph(data, "jsonld"))


# ---------------------------------------------------------------- IRIs outside the base

GOAL_3 = "http://metadata.un.org/sdg/3"


def test_an_outside_iri_the_data_describe_has_a_page_here(client: FlaskClient) -> None:
    """The UN's goal 3 is not ours to dereference, but the data describe it."""
    response = client.get("/resource", query_string={"iri": GOAL_3}, headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "God helse og livskvalitet" in response.text
    assert f'href="{GOAL_3}" rel="external"' in response.text
    assert "/resource?iri=http%3A%2F%2Fmetadata.un.org%2Fsdg%2F3&amp;format=ttl" in response.text


@pytest.mark.parametrize("extension", sorted(RDF_FORMATS))
def test_an_outside_iri_answers_in_every_rdf_format(client: FlaskClient, extension: str) -> None:
    response = client.get("/resource", query_string={"iri": GOAL_3, "format": extension})
    assert response.status_code == 200
    assert response.mimetype == RDF_FORMATS[extension][0]
    graph = rdflib_graph(response.data, extension)
    assert isomorphic(graph, oxigraph_graph(response.data, extension))
    assert isomorphic(graph, describe_at_sparql(client, GOAL_3))
    assert (
        f"/resource?iri=http%3A%2F%2Fmetadata.un.org%2Fsdg%2F3&format={extension}"
        in (response.headers["Link"])
    )


def test_pages_link_outside_iris_to_their_pages_here_and_others_out(client: FlaskClient) -> None:
    page = client.get(f"/{COUNCIL}.html").text
    strategy = client.get("/strategy/nome-midt-telemark-2022-2035.html").text
    assert 'href="/resource?iri=http%3A%2F%2Fmetadata.un.org%2Fsdg%2F3"' in strategy
    # Wikidata is not described by the data: it links out
    nome = client.get("/municipality/nome.html").text
    assert 'href="http://www.wikidata.org/entity/Q2375" rel="external"' in nome
    # the source page is described by the data (title, publisher): its page is here
    assert 'href="/resource?iri=https%3A%2F%2Fwww.nome.kommune.no%2F' in page


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"iri": "http://www.wikidata.org/entity/Q2375"}, 404),  # linked to, not described
        ({}, 400),
        ({"iri": [GOAL_3, GOAL_3]}, 400),
    ],
)
def test_outside_iris_the_data_do_not_describe_are_404(
    client: FlaskClient, query: dict[str, object], status: int
) -> None:
    response = client.get("/resource", query_string=query, headers={"Accept": BROWSER})
    assert response.status_code == status


def test_an_iri_under_the_base_is_sent_to_its_own_path(client: FlaskClient) -> None:
    response = client.get("/resource", query_string={"iri": str(COUNCIL_IRI)})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/{COUNCIL}"
