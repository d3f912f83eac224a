"""The data-quality page, ``/quality``: the report of ``services.quality`` in nb and en,
named by label, on a tiny synthetic dataset (``support.quality``) and on the real build."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from iprkg.services.quality import source_store
from iprkg.web.app import create_app
from support.html import BROWSER
from support.page_text import label, machine_names, said_text
from support.project import DEFAULT_BASE
from support.quality import quality_graph

IPR = f"{DEFAULT_BASE}ontology#"


@pytest.fixture(scope="module")
def synthetic_client() -> FlaskClient:
    store = source_store(quality_graph(), DEFAULT_BASE)
    return create_app({"TESTING": True, "IPRKG_STORE": store}).test_client()


def test_the_page_says_what_to_add_in_nb(synthetic_client: FlaskClient) -> None:
    text = said_text(synthetic_client, "/quality", "nb")
    assert "Datakvalitet" in text
    assert "3 råd: 10 ukjent, 2 usikkert, 3 bare fra svakere kilder." in text
    beta = text.split("Betarådet Kjent", 1)[1].split("Gammarådet Kjent", 1)[0]
    assert "Ukjent (4)" in beta and "Usikkert (1)" in beta and "Bare fra svakere kilder (3)" in beta
    assert "Kildene oppgir ikke organisasjonsformen." in beta
    assert "Å gjøre: Si om listen over medlemmer er fullstendig" in beta
    assert "Tre kommune, deltakerkommune i Betarådet Kildene er uenige om Tre." in beta
    assert "Kilder: Nyhetssak om Betarådet (nyhetssak)" in beta
    assert "Utenfor rådene Usikkert (1) Gammel kommune Sluttdatoen er usikker." in text
    assert not machine_names(text)


def test_the_page_says_what_to_add_in_en(synthetic_client: FlaskClient) -> None:
    text = said_text(synthetic_client, "/quality", "en")
    assert "Data quality" in text
    gamma = text.split("The Gamma Council Known", 1)[1]
    assert "The period of “The Gamma plan” is not known. To do: Add the strategy's period." in gamma
    assert "Not tied to a council" in text
    assert not machine_names(text)


def test_the_councils_are_listed_and_linked(synthetic_client: FlaskClient) -> None:
    response = synthetic_client.get("/quality?lang=en", headers={"Accept": BROWSER})
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert '<a href="#council-2">The Beta Council</a>' in page
    assert 'href="/council/beta?lang=en">The Beta Council</a>' in page
    assert 'href="/council/beta/membership/tre/deltakerkommune?lang=en"' in page
    news = "/resource?iri=https%3A%2F%2Fnews.example%2Fbeta&amp;lang=en"
    assert f'href="{news}">News item on the Beta Council</a> (news item)' in page


def test_the_real_page_names_every_council(client: FlaskClient, dataset: Graph) -> None:
    councils = sorted(dataset.subjects(RDF.type, URIRef(f"{IPR}RegionalCouncil")))
    assert councils
    for lang in ("nb", "en"):
        text = said_text(client, "/quality", lang)
        for council in councils:
            assert label(dataset, council, lang) in text, (council, lang)
        assert not machine_names(text), machine_names(text)[:3]
