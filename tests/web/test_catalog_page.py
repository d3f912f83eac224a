"""The catalogue for people (server/iprkg/web/catalog.py, services/catalog_view.py,
templates/catalog/catalog.html): a dataset page negotiated beside the RDF forms, which
stay as they were for RDF clients (tests/web/test_catalog.py)."""

from __future__ import annotations

import html
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from iprkg.core.formats import SERIALISATIONS
from iprkg.web.context import context_of, current_labels
from iprkg.web.dates import readable_date, readable_size
from support.html import BROWSER, parsed_html

CURIE = re.compile(r"\b(ipr|skos|dct|org|owl|rdfs|eli|dcat|foaf):[A-Za-z]")


def page(client: FlaskClient, lang: str = "nb") -> str:
    response = client.get(f"/catalog?lang={lang}", headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    return response.text


def visible_text(text: str) -> str:
    main = text.split('<main id="main">', 1)[1].split("</main>", 1)[0]
    return html.unescape(re.sub(r"<[^>]+>", " ", main))


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (BROWSER, "text/html"),
        ("text/html", "text/html"),
        ("application/xhtml+xml", "text/html"),
        ("", "text/turtle"),
        ("*/*", "text/turtle"),
        ("text/*", "text/turtle"),
        ("text/turtle,text/html;q=0.5", "text/turtle"),
        ("text/html;q=0.5,application/ld+json", "application/ld+json"),
    ],
)
def test_browsers_get_the_page_rdf_clients_the_rdf(
    client: FlaskClient, accept: str, media_type: str
) -> None:
    response = client.get("/catalog", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert "Accept" in response.vary


def test_format_html_asks_for_the_page_and_format_wins_over_accept(client: FlaskClient) -> None:
    assert client.get("/catalog?format=html").mimetype == "text/html"
    assert client.get("/catalog?format=turtle", headers={"Accept": BROWSER}).mimetype == (
        "text/turtle"
    )


def test_the_page_links_its_rdf_forms(client: FlaskClient) -> None:
    response = client.get("/catalog", headers={"Accept": BROWSER})
    links = response.headers.getlist("Link")
    parsed = parsed_html(response.text)
    alternates = {
        attrs.get("type"): attrs.get("href")
        for tag, attrs in parsed.tags
        if tag == "link" and attrs.get("rel") == "alternate"
    }
    anchors = {attrs.get("href") for tag, attrs in parsed.tags if tag == "a"}
    for serialisation in SERIALISATIONS:
        url = f"http://localhost/catalog?format={serialisation.name}"
        assert f'<{url}>; rel="alternate"; type="{serialisation.media_type}"' in links
        assert alternates[serialisation.media_type] == url
        assert url in anchors
        assert client.get(url).mimetype == serialisation.media_type


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_page_says_what_the_catalogue_says(app: Flask, client: FlaskClient, lang: str) -> None:
    text = page(client, lang)
    assert f'<html lang="{lang}">' in text
    publication = context_of(app).publication
    assert publication.themes, "the build names themes (the theme facts)"
    with app.test_request_context(f"/catalog?lang={lang}"):
        labels = current_labels()
        themes = [labels.label(theme, lang) for theme in publication.themes]
    shown = visible_text(text)
    for name in themes:
        assert name in shown
    assert not CURIE.search(shown), CURIE.findall(shown)
    licence = "Attribution 4.0 International" if lang == "en" else "Navngivelse 4.0 Internasjonal"
    assert licence in shown
    assert 'rel="license"' in text
    if publication.period:
        for day in publication.period:
            assert readable_date(day, lang) in shown
    assert "http://localhost/sparql" in shown
    assert "DCAT-AP-NO" in shown


def test_the_distributions_have_formats_and_sizes(client: FlaskClient, app: Flask) -> None:
    text = page(client, "en")
    manifest = context_of(app).store.manifest
    assert manifest is not None
    links = {attrs.get("href") for tag, attrs in parsed_html(text).tags if tag == "a"}
    for dump in manifest["dumps"]:
        assert f"http://localhost/dumps/{dump['path']}" in links
        assert f"http://localhost/dumps/{dump['gzip']['path']}" in links
        assert f"({readable_size(dump['bytes'], 'en')})" in text
        assert f"({readable_size(dump['gzip']['bytes'], 'en')})" in text
    for serialisation in SERIALISATIONS:
        if any(d["media_type"] == serialisation.media_type for d in manifest["dumps"]):
            assert f">{serialisation.label} <" in text


def test_the_places_are_the_municipalities_by_name(client: FlaskClient, app: Flask) -> None:
    text = page(client, "nb")
    publication = context_of(app).publication
    section = (
        text.split('id="places"', 1)[1].split("</section>", 1)[0] if publication.places else ""
    )
    links = [attrs.get("href") for tag, attrs in parsed_html(section).tags if tag == "a"]
    assert len(links) == len(publication.places)
    assert all(link and link.startswith("/municipality/") for link in links)


def test_without_releases_the_page_says_so(client: FlaskClient) -> None:
    assert "Ingen faste versjoner ennå" in page(client)
