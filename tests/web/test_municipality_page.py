"""The municipality page: the councils it belongs to, its county and its numbers over
time; every municipality of Kartverket's list of 2024 answers in HTML and RDF."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from iprkg.build.municipalities import load_division
from support.page_text import MACHINE, label, said_text
from support.protocol import parse_rdf

BASE = "https://w3id.org/iprkg/"
IPR = f"{BASE}ontology#"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
KARTVERKET = URIRef(f"{BASE}source/kartverket-2024")


def municipalities_of(dataset: Graph) -> list[URIRef]:
    return sorted(m for m in dataset.subjects(RDF.type, URIRef(f"{IPR}Municipality")))


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_municipality_names_its_councils_and_numbers(
    client: FlaskClient, dataset: Graph, lang: str
) -> None:
    member, organisation = URIRef(f"{ORG}member"), URIRef(f"{ORG}organization")
    for municipality in municipalities_of(dataset):
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
        for county in dataset.objects(municipality, URIRef(f"{IPR}inCounty")):
            assert label(dataset, county, lang) in text, (municipality, county)
        if (municipality, URIRef(f"{DCT}source"), KARTVERKET) in dataset:
            assert "© Kartverket" in text, municipality
        for machine in MACHINE:
            assert machine not in text, (municipality, machine)


def test_a_number_says_when_it_was_valid(client: FlaskClient, dataset: Graph) -> None:
    end = URIRef("http://www.w3.org/ns/dcat#endDate")
    ended = [
        (municipality, number)
        for municipality in municipalities_of(dataset)
        for number in dataset.objects(municipality, URIRef(f"{IPR}municipalityNumber"))
        if dataset.value(number, end) is not None
    ]
    assert ended, "the data have no municipality number that ended"
    for municipality, number in ended:
        text = said_text(client, "/" + municipality.removeprefix(BASE), "en")
        year = str(dataset.value(number, end))[:4]
        notation = str(dataset.value(number, SKOS.notation))
        assert re.search(rf"{notation} .*?{year}", text), (notation, year)


def test_every_municipality_of_2024_answers_in_rdf(
    client: FlaskClient, dataset: Graph, external_dir: Path
) -> None:
    division = load_division(external_dir)
    assert division is not None
    of_2024 = sorted(dataset.subjects(URIRef(f"{IPR}inCounty"), None))
    assert len(of_2024) == len(division.municipalities)
    for municipality in of_2024:
        response = client.get(
            "/" + municipality.removeprefix(BASE),
            headers={"Accept": "text/turtle"},
            follow_redirects=True,
        )
        assert response.status_code == 200, municipality
        graph = parse_rdf(response.data, response.mimetype)
        assert (municipality, RDF.type, URIRef(f"{IPR}Municipality")) in graph
        assert graph.value(municipality, URIRef(f"{IPR}inCounty")) is not None


@pytest.mark.parametrize(
    ("lang", "words"),
    [("nb", ("Opphørt", "ikke kjent")), ("en", ("Ended", "not known"))],
)
def test_an_ended_municipality_says_so(
    client: FlaskClient, dataset: Graph, lang: str, words: tuple[str, ...]
) -> None:
    ended = URIRef("http://www.w3.org/ns/dcat#endDate")
    municipalities = [m for m in municipalities_of(dataset) if dataset.value(m, ended)]
    assert municipalities, "the data have no municipality that ended"
    for municipality in municipalities:
        text = said_text(client, "/" + municipality.removeprefix(BASE), lang)
        assert all(word in text for word in words), (municipality, text)
        assert str(dataset.value(municipality, ended))[:4] in text


@pytest.mark.parametrize(("lang", "words"), [("nb", "Ingen råd kjent"), ("en", "No council known")])
def test_a_municipality_in_no_council_says_no_council_is_known(
    client: FlaskClient, dataset: Graph, lang: str, words: str
) -> None:
    tied = set(dataset.objects(None, URIRef(f"{ORG}hasMember")))
    tied |= set(dataset.objects(None, URIRef(f"{ORG}member")))
    tied |= set(dataset.objects(None, URIRef(f"{PROV}wasAssociatedWith")))
    tied |= set(dataset.objects(None, URIRef(f"{IPR}hasParticipant")))
    alone = [m for m in municipalities_of(dataset) if m not in tied]
    assert alone, "every municipality is in a council"
    text = said_text(client, "/" + alone[0].removeprefix(BASE), lang)
    assert words in text
