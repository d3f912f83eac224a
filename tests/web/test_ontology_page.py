"""The ontology's documentation at /ontology for browsers: every term, its labels,
definition, domain, range, hierarchy and use in the data, each at its own anchor."""

from __future__ import annotations

import re
from html import unescape

import pytest
from flask.testing import FlaskClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

BASE = "https://w3id.org/iprkg/"
ONTOLOGY = URIRef(f"{BASE}ontology")
IPR = f"{BASE}ontology#"
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture
def html(client: FlaskClient) -> str:
    response = client.get("/ontology", headers=BROWSER, follow_redirects=True)
    assert response.status_code == 200, response.text
    assert response.mimetype == "text/html"
    return response.text


def terms(dataset: Graph) -> list[URIRef]:
    return sorted(
        term
        for term in dataset.subjects(RDFS.isDefinedBy, ONTOLOGY)
        if isinstance(term, URIRef) and str(term).startswith(IPR)
    )


def section(html: str, name: str) -> str:
    """The HTML of the term ``name``'s section."""
    found = re.search(rf'<section class="term" id="{name}".*?</section>', html, re.S)
    assert found, name
    return found.group(0)


def label(dataset: Graph, term: URIRef, lang: str, prop: URIRef = RDFS.label) -> str:
    return next(
        str(v) for v in dataset.objects(term, prop) if isinstance(v, Literal) and v.language == lang
    )


def test_the_metadata(html: str) -> None:
    assert "iprkg-ontologien: interkommunale politiske råd og strategiene deres" in html
    assert "https://w3id.org/iprkg/ontology#" in html
    assert "0.2.0" in html
    assert "https://creativecommons.org/licenses/by/4.0/" in html
    assert "iprkg-prosjektet" in html


def test_every_term_has_its_section_at_its_anchor(html: str, dataset: Graph) -> None:
    defined = terms(dataset)
    assert len(defined) >= 20  # however many terms the ontology has, each has its section
    anchors = set(re.findall(r'<section class="term" id="([^"]+)"', html))
    assert anchors == {str(term).removeprefix(IPR) for term in defined}
    for term in defined:
        name = str(term).removeprefix(IPR)
        assert f'href="#{name}"' in html  # the table of contents


def test_labels_and_definitions_in_both_languages(
    client: FlaskClient, html: str, dataset: Graph
) -> None:
    english = client.get("/ontology?lang=en", headers=BROWSER, follow_redirects=True).text
    for term in terms(dataset):
        name = str(term).removeprefix(IPR)
        for page in (html, english):
            assert label(dataset, term, "nb") in section(page, name)
            assert label(dataset, term, "en") in section(page, name)
        for lang, page in (("nb", html), ("en", english)):
            shown = unescape(section(page, name))
            for words in prose(label(dataset, term, lang, SKOS.definition)):
                assert words in shown, (name, lang, words)
            assert not CURIE.search(re.sub(r"<code>.*?</code>|<[^>]+>", "", shown)), name


CURIE = re.compile(r"(?<![\w#])(?:ipr|dct|skos|org|owl|rdfs|eli|foaf|prov|dcat):[A-Za-z_]\w*")
"""A prefixed name in prose: the page says the term by its label instead."""


def prose(definition: str) -> list[str]:
    """The definition's words between the prefixed names it cites (which the page says by
    label, dropping one in brackets): each run must be on the page as written."""
    runs = re.split(r"\s*\(?" + CURIE.pattern + r"\)?\s*", definition)
    return [run.strip(" ,.;:") for run in runs if len(run.strip(" ,.;:")) > 3]


def test_domain_range_and_hierarchy(html: str) -> None:
    has_level = section(html, "hasLevel")
    assert re.search(r'Domene</dt>\s*<dd><a href="#Strategy">', has_level)
    assert re.search(r'Verdiområde</dt>\s*<dd><a href="#StrategyLevel">', has_level)
    compound = section(html, "CompoundFocusArea")
    assert re.search(r'Underklasse av</dt>\s*<dd><a href="#FocusArea">', compound)
    assert 'href="#CompoundFocusArea"' in section(html, "FocusArea")  # its subclasses
    assert "<code>prov:Plan</code>" in section(html, "Strategy")
    assert "<code>dct:description</code>" in section(html, "purposeStatement")
    assert 'href="#hasStrategy"' in section(html, "strategyOf")  # owl:inverseOf


def test_use_in_the_data_is_counted(html: str, dataset: Graph) -> None:
    for term in terms(dataset):
        name = str(term).removeprefix(IPR)
        if (term, RDF.type, OWL.Class) in dataset:
            expected = len(set(dataset.subjects(RDF.type, term)))
        else:
            expected = len(list(dataset.triples((None, term, None))))
        assert f'data-usage="{expected}"' in section(html, name), name
    strategies = len(set(dataset.subjects(RDF.type, URIRef(IPR + "Strategy"))))
    assert strategies > 0 and f'data-usage="{strategies}"' in section(html, "Strategy")
    assert 'data-usage="0"' in section(html, "hasStrategy")  # the data state only strategyOf


def test_the_rdf_forms_stay_rdf(client: FlaskClient) -> None:
    response = client.get("/ontology", headers={"Accept": "text/turtle"}, follow_redirects=True)
    assert response.status_code == 200
    assert response.mimetype == "text/turtle"
