"""The generic page (``resource_view``, ``resources/resource.html``) read as text: every
property, class and backward link named by label in nb and en (never a CURIE), the value
of a date in the page's language, identifiers as what they are, notes in plain words.
Expected values come from the data."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, XSD

from iprkg.core.vocabulary import LABEL_PROPERTIES
from iprkg.engine.store import ReadOnlyStore
from iprkg.services.labels import Labels, read_labels
from iprkg.services.vocabulary_terms import inverse
from iprkg.web.app import create_app
from iprkg.web.resource_view import page_of
from support.page_text import machine_names, page_html, visible_text
from support.project import DEFAULT_BASE

GENERIC = 'id="resource-title"'
"""The generic page's heading: pages of their own have other ones."""


@pytest.fixture(scope="module")
def labels(store: ReadOnlyStore) -> Labels:
    return read_labels(store)


@pytest.fixture(scope="module")
def read_pages(store: ReadOnlyStore, dataset: Graph) -> Callable[[str], dict[URIRef, str]]:
    """The generic pages in a language, read once per module (there are hundreds)."""
    client = create_app({"TESTING": True, "IPRKG_STORE": store}).test_client()
    return cache(lambda lang: generic_pages(client, dataset, lang))


def generic_pages(client: FlaskClient, dataset: Graph, lang: str) -> dict[URIRef, str]:
    """The generic page (HTML) of every resource under the base that has one."""
    found = {}
    for subject in sorted({s for s in dataset.subjects() if isinstance(s, URIRef)}):
        iri = str(subject)
        retired = (subject, DCTERMS.isReplacedBy, None) in dataset  # redirects elsewhere
        if not iri.startswith(DEFAULT_BASE) or "#" in iri or retired:
            continue
        html = page_html(client, "/" + iri.removeprefix(DEFAULT_BASE), lang)
        if GENERIC in html:
            found[subject] = html
    return found


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_generic_page_names_its_properties_classes_and_links_by_label(
    read_pages: Callable[[str], dict[URIRef, str]], dataset: Graph, labels: Labels, lang: str
) -> None:
    pages = read_pages(lang)
    assert len(pages) > 20  # memberships, numbers, premises, laws, sources …
    for subject, html in pages.items():
        text = visible_text(html)
        assert machine_names(text) == [], (subject, machine_names(text))
        for predicate, obj in dataset.predicate_objects(subject):
            if predicate == RDF.type:
                assert labels.label(str(obj), lang) in text, (subject, obj)
            elif predicate == DCTERMS.source:
                assert ("Sources" if lang == "en" else "Kilder") in text, subject
            elif isinstance(obj, URIRef) and str(predicate) not in LABEL_PROPERTIES:
                assert labels.label(str(predicate), lang) in text, (subject, predicate)
        for predicate in set(dataset.predicates(None, subject)):
            assert inverse(str(predicate), lang, DEFAULT_BASE) in text, (subject, predicate)


def test_dates_read_in_the_page_language(
    read_pages: Callable[[str], dict[URIRef, str]], dataset: Graph
) -> None:
    pages = read_pages("en")
    dated = [
        (subject, obj)
        for subject in pages
        for obj in dataset.objects(subject)
        if isinstance(obj, Literal) and obj.datatype == XSD.date
    ]
    assert dated
    for subject, obj in dated:
        day = obj.toPython()
        text = visible_text(pages[subject])
        assert f"{day.day} {day:%B} {day.year}" in text, (subject, obj)
        assert f">{obj}<" not in pages[subject]  # the value is not shown in its ISO form


def test_identifiers_show_as_what_they_are(app: Flask, dataset: Graph) -> None:
    """A Wikidata item is "Wikidata Q…" linked, an organisation number is named."""
    subjects = sorted({s for s, o in dataset.subject_objects(OWL.sameAs) if "wikidata" in str(o)})
    assert subjects
    subject = subjects[0]
    described = Graph()
    for triple in dataset.triples((subject, None, None)):
        described.add(triple)
    with app.test_request_context("/", query_string={"lang": "en"}):
        page = page_of(str(subject), described)
    shown = {(found.scheme, found.code, found.url) for found in page.identifiers}
    for match in dataset.objects(subject, OWL.sameAs):
        code = str(match).rsplit("/", 1)[-1]
        assert ("Wikidata", code, str(match)) in shown
    for number in dataset.objects(subject, URIRef(f"{DEFAULT_BASE}ontology#organisationNumber")):
        assert any(code == str(number) and "number" in scheme for scheme, code, _ in shown)
    assert all(p != str(OWL.sameAs) for p, _ in page.properties)
