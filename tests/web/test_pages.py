"""The landing page and what every page shares (server/iprkg/web/pages.py, base.html, labels)."""

from __future__ import annotations

import html
import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, render_template_string
from flask.testing import FlaskClient

from iprkg.engine.oxigraph_store import OxigraphStore
from iprkg.services.labels import Labels, fallback
from iprkg.web.context import current_labels
from support.html import BROWSER, parsed_html
from support.project import DEFAULT_BASE

JSON_LD_SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def structured_data(html: str) -> dict[str, Any]:
    scripts = JSON_LD_SCRIPT.findall(html)
    assert len(scripts) == 1
    data = json.loads(scripts[0])
    assert isinstance(data, dict)
    return data


def test_the_landing_page_is_html_with_one_heading(client: FlaskClient) -> None:
    response = client.get("/", headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = parsed_html(response.text)
    tags = [tag for tag, _ in page.tags]
    assert tags.count("h1") == 1
    assert {"header", "nav", "main", "footer"} <= set(tags)


def test_the_landing_page_links_everything(client: FlaskClient, store: OxigraphStore) -> None:
    page = parsed_html(client.get("/").text)
    links = {attrs.get("href") for tag, attrs in page.tags if tag == "a"}
    assert {"/sparql", "/ontology", "/catalog", "/council/nome-midt-telemark"} <= links
    manifest = store.manifest
    assert manifest is not None
    for dump in manifest["dumps"]:
        assert f"/dumps/{dump['path']}" in links
        assert f"/dumps/{dump['gzip']['path']}" in links
    assert any(link and link.startswith("https://www.nome.kommune.no/") for link in links)
    assert "/strategy/nome-midt-telemark-2022-2035" in links


def test_the_landing_page_shows_the_manifest_counts(
    client: FlaskClient, store: OxigraphStore
) -> None:
    text = client.get("/").text
    manifest = store.manifest
    assert manifest is not None
    assert f"<dd>{manifest['triples']}</dd>" in text
    assert f"<dd>{manifest['subjects']}</dd>" in text


def test_the_landing_page_embeds_a_schema_org_dataset(
    client: FlaskClient, store: OxigraphStore
) -> None:
    data = structured_data(client.get("/").text)
    manifest = store.manifest
    assert manifest is not None
    assert data["@context"] == "https://schema.org/"
    assert data["@type"] == "Dataset"
    assert data["name"] and data["description"]
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["url"] == "http://localhost/"
    assert data["dateModified"] == manifest["built"]
    assert data["creator"]["@type"] == "Organization"
    assert data["publisher"]["name"]
    downloads = data["distribution"]
    assert [d["@type"] for d in downloads] == ["DataDownload"] * len(manifest["dumps"])
    assert {d["contentUrl"] for d in downloads} == {
        f"http://localhost/dumps/{dump['path']}" for dump in manifest["dumps"]
    }
    assert {d["encodingFormat"] for d in downloads} == {
        dump["media_type"] for dump in manifest["dumps"]
    }


def test_the_schema_org_dataset_is_rdf_too(client: FlaskClient) -> None:
    """Read as JSON-LD (schema.org's context given inline: no network), it is a Dataset."""
    from rdflib import RDF, Graph, Namespace

    data = structured_data(client.get("/").text)
    data["@context"] = {"@vocab": "https://schema.org/"}
    graph = Graph().parse(data=json.dumps(data), format="json-ld")
    schema = Namespace("https://schema.org/")
    datasets = list(graph.subjects(RDF.type, schema.Dataset))
    assert len(datasets) == 1
    assert len(list(graph.objects(datasets[0], schema.distribution))) == 4


@pytest.mark.parametrize(
    ("query", "accept_language", "lang"),
    [
        ("", None, "nb"),
        ("", "en-GB,en;q=0.9", "en"),
        ("", "nn", "nb"),
        ("", "no, en;q=0.5", "nb"),
        ("", "de, fr", "nb"),
        ("?lang=en", "nb", "en"),
        ("?lang=nb", "en", "nb"),
        ("?lang=xx", "en", "en"),
    ],
)
def test_the_page_language(
    client: FlaskClient, query: str, accept_language: str | None, lang: str
) -> None:
    headers = {} if accept_language is None else {"Accept-Language": accept_language}
    response = client.get(f"/{query}", headers=headers)
    assert f'<html lang="{lang}">' in response.text
    other = "en" if lang == "nb" else "nb"
    assert f'hreflang="{other}"' in response.text
    if "lang=" not in query:
        assert "Accept-Language" in response.vary


def test_the_language_switch_keeps_the_page(client: FlaskClient) -> None:
    page = parsed_html(client.get("/council/nome-midt-telemark.html?lang=en").text)
    switch = [attrs for tag, attrs in page.tags if tag == "a" and attrs.get("hreflang")]
    assert switch[0]["href"] == "/council/nome-midt-telemark.html?lang=nb"


def test_a_resource_page_in_english(client: FlaskClient) -> None:
    text = client.get("/council/nome-midt-telemark.html?lang=en").text
    assert '<html lang="en">' in text
    assert "<h1" in text and "Nome and Midt-Telemark Inter-municipal Political Council" in text
    assert ">Sources</h2>" in text


def test_a_resource_page_highlights_its_sources(client: FlaskClient) -> None:
    text = client.get("/municipality/nome.html").text
    assert 'class="sources"' in text
    assert ">Kilder</h2>" in text


def test_the_resource_page_links_its_alternates(client: FlaskClient) -> None:
    page = parsed_html(client.get("/municipality/nome.html").text)
    alternates = {
        attrs.get("type"): attrs.get("href")
        for tag, attrs in page.tags
        if tag == "link" and attrs.get("rel") == "alternate"
    }
    assert alternates == {
        "text/turtle": "/municipality/nome.ttl",
        "application/n-triples": "/municipality/nome.nt",
        "application/ld+json": "/municipality/nome.jsonld",
        "application/rdf+xml": "/municipality/nome.rdf",
    }


def test_the_base_contract_filters_and_globals(app: Flask) -> None:
    template = (
        "{{ t('hei', 'hello') }}|{{ iri|label }}|{{ resource_url(iri) }}|"
        "{{ resource_url('http://example.org/x') }}|{{ other|label }}|{{ lang }}|{{ lang_url }}"
    )
    with app.test_request_context("/x?lang=en"):
        rendered = render_template_string(
            template,
            iri=f"{DEFAULT_BASE}municipality/nome",
            other="http://purl.org/dc/terms/source",
        )
        source = current_labels().label("http://purl.org/dc/terms/source", "en")
    assert rendered == (
        f"hello|Nome Municipality|/municipality/nome?lang=en|http://example.org/x|{source}|en|"
        "/x?lang=nb"
    )


def test_labels_prefer_the_page_language_then_none_then_any() -> None:
    labels = Labels(
        [
            ("x", "http://www.w3.org/2004/02/skos/core#prefLabel", "Utrydde fattigdom", "nb"),
            ("x", "http://www.w3.org/2004/02/skos/core#altLabel", "No poverty", "en"),
            ("x", "http://www.w3.org/2004/02/skos/core#notation", "1", ""),
            ("y", "http://www.w3.org/2000/01/rdf-schema#label", "Plain", ""),
            ("y", "http://www.w3.org/2000/01/rdf-schema#label", "Norsk", "nb-NO"),
        ]
    )
    assert labels.label("x", "nb") == "Utrydde fattigdom"
    assert labels.label("x", "en") == "No poverty"
    assert labels.label("y", "nb") == "Norsk"
    assert labels.label("y", "en") == "Plain"
    assert labels.label("https://w3id.org/iprkg/ontology#Thing", "en") == "Thing"
    assert fallback("https://w3id.org/iprkg/council/x/") == "x"


def test_an_error_is_a_page_for_a_browser(client: FlaskClient) -> None:
    response = client.get("/nowhere", headers={"Accept": BROWSER})
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert '<html lang="nb">' in response.text


def test_pages_work_on_a_phone_without_a_framework(project_root: Path) -> None:
    static = project_root / "server" / "iprkg" / "web" / "static" / "iprkg.css"
    css = static.read_text(encoding="utf-8")
    assert "@media (max-width" in css
    base = (project_root / "server/iprkg/web/templates/base.html").read_text(encoding="utf-8")
    assert 'name="viewport"' in base
    assert "http://" not in base.split("-#}", 1)[1] and "https://" not in base  # no CDN


def test_a_chosen_language_is_kept_when_following_links(client: FlaskClient) -> None:
    page = client.get("/council/nome-midt-telemark.html?lang=en").text
    assert 'href="/municipality/nome?lang=en"' in page
    assert 'href="/ontology?lang=en"' in page
    negotiated = client.get("/council/nome-midt-telemark.html").text
    assert 'href="/municipality/nome"' in negotiated


CURIE = re.compile(r"\b(ipr|skos|dct|org|owl|rdfs|eli|foaf|cv|sdg):[A-Za-z]")
"""A prefixed name, as people should never have to read one."""


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_landing_page_names_classes_by_label(
    client: FlaskClient, store: OxigraphStore, app: Flask, lang: str
) -> None:
    text = client.get(f"/?lang={lang}").text
    table = text.split('id="counts"', 1)[1].split("</table>", 1)[0]
    shown = [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r'<th scope="row">(.*?)</th>', table, re.DOTALL)
    ]
    manifest = store.manifest
    assert manifest is not None
    assert len(shown) == len(manifest["classes"])
    assert not [name for name in shown if CURIE.search(name)], shown
    with app.test_request_context(f"/?lang={lang}"):
        labels = current_labels()
        expected = [labels.label(iri, lang) for iri in manifest["classes"]]
    assert [html.unescape(name) for name in shown] == expected


def test_the_landing_page_says_when_it_was_built_in_words(
    client: FlaskClient, store: OxigraphStore
) -> None:
    manifest = store.manifest
    assert manifest is not None
    built = datetime.fromisoformat(manifest["built"].replace("Z", "+00:00"))
    nb = client.get("/?lang=nb").text
    en = client.get("/?lang=en").text
    assert f'<time datetime="{manifest["built"]}">{built.day}. ' in nb
    assert f"{built.year} kl. {built:%H.%M} UTC</time>" in nb
    assert f"{built.day} {built:%B} {built.year}, {built:%H:%M} UTC</time>" in en


def test_the_favicon_answers_and_every_page_links_it(client: FlaskClient) -> None:
    icon = client.get("/favicon.ico")
    assert icon.status_code in (301, 302, 308)
    target = client.get(icon.headers["Location"])
    assert target.status_code == 200
    assert target.mimetype == "image/svg+xml"
    for url in ("/", "/catalog?format=html", "/nowhere", "/release/", "/sparql?format=html"):
        page = parsed_html(client.get(url, headers={"Accept": BROWSER}).text)
        icons = [attrs for tag, attrs in page.tags if tag == "link" and attrs.get("rel") == "icon"]
        assert [attrs.get("href") for attrs in icons] == [icon.headers["Location"]], url


def test_the_landing_page_names_its_licence(client: FlaskClient) -> None:
    assert "Creative Commons Navngivelse 4.0 Internasjonal (CC BY 4.0)</a>" in client.get("/").text
    english = client.get("/?lang=en").text
    assert "Creative Commons Attribution 4.0 International (CC BY 4.0)</a>" in english
