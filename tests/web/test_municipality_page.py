"""The municipality page: the councils it belongs to and its numbers over time."""

from __future__ import annotations

import re
from html import unescape

import pytest
from flask.testing import FlaskClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS as DCT
from rdflib.namespace import RDF, RDFS, SKOS

from support.html import BROWSER, parsed_html

BASE = "https://w3id.org/iprkg/"
IPR = f"{BASE}ontology#"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
ELI_TITLE = URIRef("http://data.europa.eu/eli/ontology#title")
MACHINE = ("ipr:", "org:", "skos:", "dct:", "prov:", "owl:", "xsd:", "<meeting/", "<council/")


def text_of(client: FlaskClient, path: str, lang: str) -> str:
    response = client.get(
        path, query_string={"lang": lang}, headers={"Accept": BROWSER}, follow_redirects=True
    )
    assert response.status_code == 200, response.text
    assert response.mimetype == "text/html"
    body = response.text.split('<main id="main">', 1)[1].split("</main>", 1)[0]
    body = body.split('<section class="all-facts"', 1)[0]  # what the page says, not the triples
    return re.sub(r"\s+", " ", unescape(" ".join(parsed_html(body).text)))


def label(dataset: Graph, iri: URIRef, lang: str) -> str:
    for prop in (RDFS.label, SKOS.prefLabel, DCT.title, ELI_TITLE):
        for value in dataset.objects(iri, prop):
            if isinstance(value, Literal) and value.language == lang:
                return str(value)
    raise AssertionError(f"no {lang} label for {iri}")


def municipalities(dataset: Graph) -> list[URIRef]:
    return sorted(m for m in dataset.subjects(RDF.type, URIRef(f"{IPR}Municipality")))


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_municipality_names_its_councils_and_numbers(
    client: FlaskClient, dataset: Graph, lang: str
) -> None:
    member, organisation = URIRef(f"{ORG}member"), URIRef(f"{ORG}organization")
    for municipality in municipalities(dataset):
        text = text_of(client, "/" + municipality.removeprefix(BASE), lang)
        assert label(dataset, municipality, lang) in text
        councils = set(dataset.subjects(URIRef(f"{ORG}hasMember"), municipality))
        councils |= set(dataset.subjects(URIRef(f"{IPR}hasParticipant"), municipality))
        for membership in dataset.subjects(member, municipality):
            councils |= set(dataset.objects(membership, organisation))
        for event in dataset.subjects(URIRef(f"{PROV}wasAssociatedWith"), municipality):
            councils |= set(dataset.objects(event, URIRef(f"{ORG}resultingOrganization")))
        assert councils or "no council" in text or "ikke kommunen til noe råd" in text
        for council in councils:
            assert label(dataset, council, lang) in text, (municipality, council)
        for number in dataset.objects(municipality, URIRef(f"{IPR}municipalityNumber")):
            assert str(dataset.value(number, SKOS.notation)) in text
        for value in dataset.objects(municipality, URIRef(f"{IPR}organisationNumber")):
            assert str(value) in text
        for machine in MACHINE:
            assert machine not in text, (municipality, machine)


def test_a_number_says_when_it_was_valid(client: FlaskClient, dataset: Graph) -> None:
    end = URIRef("http://www.w3.org/ns/dcat#endDate")
    ended = [
        (municipality, number)
        for municipality in municipalities(dataset)
        for number in dataset.objects(municipality, URIRef(f"{IPR}municipalityNumber"))
        if dataset.value(number, end) is not None
    ]
    assert ended, "the data have no municipality number that ended"
    for municipality, number in ended:
        text = text_of(client, "/" + municipality.removeprefix(BASE), "en")
        year = str(dataset.value(number, end))[:4]
        notation = str(dataset.value(number, SKOS.notation))
        assert re.search(rf"{notation} .*?{year}", text), (notation, year)
