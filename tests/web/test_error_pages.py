"""Errors for people (server/iprkg/web/errors.py, templates/pages/error.html): 400, 404 and
406 as pages in the page's language that say what to do, with a way back; clients keep
the text/plain and JSON shapes (tests/web/test_errors.py)."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from iprkg.web.errors import search_terms
from support.html import BROWSER, parsed_html

ERRORS = [
    ("/council/no-such-council", 404),
    ("/resource?iri=a&iri=b", 400),
    ("/catalog?format=pdf", 406),
]
"""A request of each kind a person can get wrong, and its status."""
HEADINGS = {
    404: ("Siden finnes ikke", "Page not found"),
    400: ("Forespørselen kan ikke besvares", "This request cannot be answered"),
    406: ("Dette formatet kan vi ikke gi", "We cannot answer in this format"),
}


def heading(html: str) -> str:
    return html.split("<h1>", 1)[1].split("</h1>", 1)[0]


@pytest.mark.parametrize(("url", "status"), ERRORS)
def test_an_error_page_is_in_norwegian_by_default(
    client: FlaskClient, url: str, status: int
) -> None:
    response = client.get(url, headers={"Accept": BROWSER})
    assert response.status_code == status
    assert response.mimetype == "text/html"
    assert '<html lang="nb">' in response.text
    assert heading(response.text) == HEADINGS[status][0]


@pytest.mark.parametrize(("url", "status"), ERRORS)
def test_an_error_page_is_in_english_when_asked(client: FlaskClient, url: str, status: int) -> None:
    joiner = "&" if "?" in url else "?"
    chosen = client.get(f"{url}{joiner}lang=en", headers={"Accept": BROWSER})
    negotiated = client.get(url, headers={"Accept": BROWSER, "Accept-Language": "en-GB,en"})
    for response in (chosen, negotiated):
        assert response.status_code == status
        assert '<html lang="en">' in response.text
        assert heading(response.text) == HEADINGS[status][1]
    assert "Accept-Language" in negotiated.vary


@pytest.mark.parametrize(("url", "status"), ERRORS)
def test_an_error_page_says_what_to_do_and_leads_back(
    client: FlaskClient, url: str, status: int
) -> None:
    response = client.get(url, headers={"Accept": BROWSER})
    page = parsed_html(response.text)
    links = {attrs.get("href") for tag, attrs in page.tags if tag == "a"}
    assert {"/", "/search", "/sparql"} <= links
    assert 'class="lead"' in response.text  # the advice, in words
    assert 'class="error-detail"' in response.text  # and the precise message
    assert any(tag == "link" and attrs.get("rel") == "icon" for tag, attrs in page.tags)


def test_the_precise_message_is_kept_as_a_detail(client: FlaskClient) -> None:
    response = client.get("/catalog?format=pdf", headers={"Accept": BROWSER})
    assert "unknown format &#39;pdf&#39;" in response.text
    assert "text/turtle" in response.text  # what it can be had in


def test_a_404_offers_a_search_box_filled_with_the_last_segment(client: FlaskClient) -> None:
    response = client.get("/council/nome-midt-telemrk?lang=en", headers={"Accept": BROWSER})
    page = parsed_html(response.text)
    forms = [attrs for tag, attrs in page.tags if tag == "form"]
    assert [form.get("action") for form in forms if form.get("role") == "search"][-1] == "/search"
    inputs = {attrs.get("name"): attrs.get("value") for tag, attrs in page.tags if tag == "input"}
    assert inputs["q"] == "nome midt telemrk"
    assert inputs["lang"] == "en"


def test_other_errors_have_no_search_box_of_their_own(client: FlaskClient) -> None:
    response = client.get("/resource?iri=a&iri=b", headers={"Accept": BROWSER})
    assert 'id="error-search"' not in response.text


@pytest.mark.parametrize(
    ("path", "terms"),
    [
        ("/council/nome-midt-telemark", "nome midt telemark"),
        ("/council/nome-midt.ttl", "nome midt"),
        ("/focus-area/sykehus/", "sykehus"),
        ("/municipality/%C3%A5l", "ål"),
        ("/", ""),
        ("/.hidden", "hidden"),
        ("/x/" + "a" * 300, "a" * 100),
    ],
)
def test_search_terms_come_from_the_last_segment(path: str, terms: str) -> None:
    assert search_terms(path) == terms


def test_clients_keep_their_error_shapes(client: FlaskClient) -> None:
    plain = client.get("/council/no-such-council.ttl")
    assert plain.mimetype != "text/html"
    data = client.get("/nowhere", headers={"Accept": "application/json"})
    assert data.mimetype == "application/json"
    assert data.get_json()["status"] == 404
