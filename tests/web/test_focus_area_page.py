"""The focus-area page (``focus_area_page``, ``services.focus_area``) read as text: which
councils' strategies name it and at which level (named with its strategy), its themes in
words, its parts or wholes; in nb and en, with no machine names. Expected values come from
the data."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from iprkg.engine.store import ReadOnlyStore
from iprkg.services.labels import Labels, read_labels
from support.page_text import machine_names, page_html, page_text
from support.project import DEFAULT_BASE

IPR = f"{DEFAULT_BASE}ontology#"
NAMED_BY = f"""PREFIX ipr: <{IPR}>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT DISTINCT ?council ?strategy ?level WHERE {{
  ?owner ipr:focusArea/(dct:hasPart)? ?area .
  {{ ?strategy ipr:hasLevel ?owner . BIND (?owner AS ?level) }}
  UNION {{ ?owner a ipr:Strategy . BIND (?owner AS ?strategy) }}
  ?strategy ipr:strategyOf ?council .
}}"""


@pytest.fixture(scope="module")
def labels(store: ReadOnlyStore) -> Labels:
    return read_labels(store)


def focus_areas(dataset: Graph) -> list[str]:
    """Every focus area in use (retired ones redirect, and are left out)."""
    found = set(dataset.subjects(RDF.type, URIRef(f"{IPR}FocusArea")))
    found |= set(dataset.subjects(RDF.type, URIRef(f"{IPR}CompoundFocusArea")))
    return sorted(str(a) for a in found if (a, DCTERMS.isReplacedBy, None) not in dataset)


def path(iri: str) -> str:
    return "/" + iri.removeprefix(DEFAULT_BASE)


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_focus_area_names_the_councils_and_levels_that_name_it(
    client: FlaskClient, dataset: Graph, labels: Labels, lang: str
) -> None:
    areas = focus_areas(dataset)
    assert areas
    for area in areas:
        text = page_text(client, path(area), lang)
        assert labels.label(area, lang) in text, area
        assert machine_names(text) == [], (area, machine_names(text))
        for row in dataset.query(NAMED_BY, initBindings={"area": URIRef(area)}):
            council, strategy, level = (str(v) if v is not None else "" for v in row)  # type: ignore[union-attr]
            assert labels.label(council, lang) in text, (area, council)
            assert labels.label(strategy, lang) in text, (area, strategy)
            if level:  # the level's own name, beside its strategy's
                assert labels.own_label(level, lang) in text, (area, level)


def test_the_themes_are_said_in_words(client: FlaskClient, dataset: Graph, labels: Labels) -> None:
    words = {
        SKOS.closeMatch: ("om temaet", "about the theme"),
        SKOS.exactMatch: ("om temaet", "about the theme"),
        SKOS.broadMatch: ("en del av temaet", "part of the theme"),
        SKOS.relatedMatch: ("overlapper med temaet", "overlaps the theme"),
    }
    seen = set()
    for area in focus_areas(dataset):
        for mapping, (nb, en) in words.items():
            for theme in dataset.objects(URIRef(area), mapping):
                for lang, said in (("nb", nb), ("en", en)):
                    text = page_text(client, path(area), lang)
                    assert f"{labels.label(str(theme), lang)}" in text, (area, theme)
                    assert said in text, (area, mapping)
                seen.add(mapping)
    assert seen >= {SKOS.closeMatch, SKOS.broadMatch}  # the data use both


def test_a_compound_lists_its_parts_and_a_part_its_wholes(
    client: FlaskClient, dataset: Graph, labels: Labels
) -> None:
    compounds = sorted(dataset.subjects(RDF.type, URIRef(f"{IPR}CompoundFocusArea")))
    assert compounds
    for compound in compounds:
        text = page_text(client, path(str(compound)), "en")
        assert "Compound focus area" in text
        assert "no themes of its own" in text
        for part in dataset.objects(compound, DCTERMS.hasPart):
            assert labels.label(str(part), "en") in text
            part_text = page_text(client, path(str(part)), "nb")
            assert "Del av" in part_text and labels.label(str(compound), "nb") in part_text


def test_the_page_links_the_strategy_and_keeps_the_language(
    client: FlaskClient, dataset: Graph
) -> None:
    area = "focus-area/samferdsel"
    html = page_html(client, f"/{area}", "en")
    strategies = {
        str(row[1]).removeprefix(DEFAULT_BASE)  # type: ignore[index]
        for row in dataset.query(NAMED_BY, initBindings={"area": URIRef(DEFAULT_BASE + area)})
    }
    assert strategies
    for strategy in strategies:
        assert f'href="/{strategy}?lang=en"' in html


def test_rdf_stays_with_content_negotiation(client: FlaskClient) -> None:
    response = client.get(
        "/focus-area/samferdsel", headers={"Accept": "text/turtle"}, follow_redirects=True
    )
    assert response.status_code == 200
    assert response.mimetype == "text/turtle"
