"""The council page: a council's IRI, asked for HTML, leads with what it means."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from support.page_text import MACHINE, label, said_text

BASE = "https://w3id.org/iprkg/"
IPR = f"{BASE}ontology#"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"


def councils(dataset: Graph) -> list[URIRef]:
    return sorted(c for c in dataset.subjects(RDF.type, URIRef(f"{IPR}RegionalCouncil")))


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_council_page_names_its_members_founders_participants_and_strategies(
    client: FlaskClient, dataset: Graph, lang: str
) -> None:
    for council in councils(dataset):
        text = said_text(client, "/" + council.removeprefix(BASE), lang)
        assert label(dataset, council, lang) in text
        expected = set(dataset.objects(council, URIRef(f"{ORG}hasMember")))
        expected |= set(dataset.objects(council, URIRef(f"{IPR}hasParticipant")))
        for event in dataset.subjects(URIRef(f"{ORG}resultingOrganization"), council):
            expected |= set(dataset.objects(event, URIRef(f"{PROV}wasAssociatedWith")))
        expected |= set(dataset.subjects(URIRef(f"{IPR}strategyOf"), council))
        expected |= set(dataset.objects(council, URIRef(f"{ORG}linkedTo")))
        for item in expected:
            assert label(dataset, item, lang) in text, (council, item)
        for machine in MACHINE:
            assert machine not in text, (council, machine)


def test_kind_and_legal_basis_in_words(client: FlaskClient, dataset: Graph) -> None:
    for council in councils(dataset):
        basis = dataset.value(council, URIRef(f"{IPR}legalBasis"))
        if basis is None:
            continue
        kind = dataset.value(council, URIRef("http://purl.org/dc/terms/type"))
        text = said_text(client, "/" + council.removeprefix(BASE), "nb")
        assert f"{label(dataset, kind, 'nb')} etter" in text
        assert label(dataset, basis, "nb") in text


def test_completeness_of_the_member_list_in_words(client: FlaskClient, dataset: Graph) -> None:
    for council in councils(dataset):
        text = said_text(client, "/" + council.removeprefix(BASE), "en")
        if (council, URIRef(f"{IPR}incompleteList"), URIRef(f"{ORG}hasMember")) in dataset:
            assert "known to be incomplete" in text
        elif (council, URIRef(f"{IPR}completeList"), URIRef(f"{ORG}hasMember")) in dataset:
            assert "The list of members is complete" in text
        else:
            assert "complete" not in text.replace("incomplete", "")


def test_wikidata_shown_as_what_it_is(client: FlaskClient, dataset: Graph) -> None:
    same = URIRef("http://www.w3.org/2002/07/owl#sameAs")
    for council in councils(dataset):
        for item in dataset.objects(council, same):
            if str(item).startswith("http://www.wikidata.org/entity/"):
                text = said_text(client, "/" + council.removeprefix(BASE), "nb")
                assert f"Wikidata {str(item).rsplit('/', 1)[1]}" in text


def test_the_rdf_forms_are_unchanged(client: FlaskClient) -> None:
    response = client.get(
        "/council/nome-midt-telemark", headers={"Accept": "text/turtle"}, follow_redirects=True
    )
    assert response.status_code == 200
    assert response.mimetype == "text/turtle"
    assert "org:hasMember" in response.text or "ns/org#hasMember" in response.text


def test_every_fact_stays_readable_after_the_meaning(client: FlaskClient, dataset: Graph) -> None:
    """After what it means, the page lists every fact the data hold (the generic table)."""
    for council in councils(dataset):
        html = client.get(f"/{council.removeprefix(BASE)}.html").text
        assert html.index('id="members"') < html.index('class="all-facts"')
        assert f'<code class="iri">{council}</code>' in html
