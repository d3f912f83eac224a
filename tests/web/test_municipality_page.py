"""The municipality page: the councils it belongs to and its numbers over time."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from support.page_text import MACHINE, label, said_text

BASE = "https://w3id.org/iprkg/"
IPR = f"{BASE}ontology#"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"


def municipalities(dataset: Graph) -> list[URIRef]:
    return sorted(m for m in dataset.subjects(RDF.type, URIRef(f"{IPR}Municipality")))


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_municipality_names_its_councils_and_numbers(
    client: FlaskClient, dataset: Graph, lang: str
) -> None:
    member, organisation = URIRef(f"{ORG}member"), URIRef(f"{ORG}organization")
    for municipality in municipalities(dataset):
        text = said_text(client, "/" + municipality.removeprefix(BASE), lang)
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
        text = said_text(client, "/" + municipality.removeprefix(BASE), "en")
        year = str(dataset.value(number, end))[:4]
        notation = str(dataset.value(number, SKOS.notation))
        assert re.search(rf"{notation} .*?{year}", text), (notation, year)
