"""The level page: one level of a strategy, titled with its strategy."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from rdflib import Graph, URIRef

from iprkg.engine.oxigraph_store import OxigraphStore
from iprkg.services.labels import level_title
from support.html import BROWSER, parsed_html
from support.page_text import MACHINE, label, said_text

BASE = "https://w3id.org/iprkg/"
IPR = f"{BASE}ontology#"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"


def levels(dataset: Graph) -> list[tuple[URIRef, URIRef]]:
    return sorted(
        (level, strategy)
        for strategy, level in dataset.subject_objects(URIRef(f"{IPR}hasLevel"))
        if isinstance(level, URIRef) and isinstance(strategy, URIRef)
    )


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_level_is_titled_with_its_strategy(
    client: FlaskClient, dataset: Graph, lang: str
) -> None:
    assert levels(dataset), "the data have no strategy levels"
    for level, strategy in levels(dataset):
        text = said_text(client, "/" + level.removeprefix(BASE), lang)
        title = f"{label(dataset, level, lang)} — {label(dataset, strategy, lang)}"
        assert title in text
        for prop in (f"{IPR}worksTowards", f"{IPR}focusArea"):
            for item in dataset.objects(level, URIRef(prop)):
                assert label(dataset, item, lang) in text, (level, item)
        for machine in MACHINE:
            assert machine not in text, (level, machine)


def test_the_level_links_back_to_its_strategy(client: FlaskClient, dataset: Graph) -> None:
    for level, strategy in levels(dataset):
        response = client.get(
            "/" + level.removeprefix(BASE), headers={"Accept": BROWSER}, follow_redirects=True
        )
        hrefs = {attrs.get("href") for tag, attrs in parsed_html(response.text).tags if tag == "a"}
        assert f"/{strategy.removeprefix(BASE)}" in {str(h).split("?")[0] for h in hrefs}


def test_level_title_names_the_strategy(store: OxigraphStore, dataset: Graph) -> None:
    """``services.labels``: wherever a level is listed (stakeholder and focus-area pages,
    links to here), its name says whose level it is."""
    for level, strategy in levels(dataset):
        for lang in ("nb", "en"):
            expected = f"{label(dataset, level, lang)} — {label(dataset, strategy, lang)}"
            assert level_title(store, str(level), lang) == expected
