"""The page of a UN goal (``goal_page``, ``services.goal``) read as text: its number and
name in nb and en, the UN's colour, the strategies that emphasise it, and for how many
councils it is named, absent or unknown (the comparison); links to the UN's IRI and to
Wikidata. Expected values come from the data and the comparison."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from iprkg.services.comparison import ABSENT, NAMED, UNKNOWN
from iprkg.services.strategy import SDG_COLOURS
from iprkg.web.context import context_of
from support.page_text import machine_names, page_html, page_text
from support.project import DEFAULT_BASE

GOAL = URIRef("http://metadata.un.org/sdg/ontology#Goal")
EMPHASISES = URIRef(f"{DEFAULT_BASE}ontology#emphasisesGoal")
STRATEGY_OF = URIRef(f"{DEFAULT_BASE}ontology#strategyOf")


def goals(dataset: Graph) -> list[URIRef]:
    return sorted(dataset.subjects(RDF.type, GOAL))  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_goal_has_its_number_name_colour_and_councils(
    app: Flask, client: FlaskClient, dataset: Graph, lang: str
) -> None:
    found = goals(dataset)
    assert len(found) == len(SDG_COLOURS)
    context = context_of(app)
    with app.app_context():
        matrix = context.comparison.goals
        labels = context.labels
    for goal in found:
        number = int(str(dataset.value(goal, SKOS.notation)))
        html = page_html(client, str(goal), lang)
        text = page_text(client, str(goal), lang)
        assert machine_names(text) == [], (goal, machine_names(text))
        name = dataset.value(goal, SKOS.prefLabel if lang == "nb" else SKOS.altLabel)
        assert f'<h1 id="goal-title">{name}</h1>' in html
        assert f"goal-{number}" in html and SDG_COLOURS[number] in text
        assert f'href="{goal}"' in html  # the UN's own IRI
        for match in dataset.objects(goal, SKOS.exactMatch):
            assert f"Wikidata {str(match).rsplit('/', 1)[-1]}" in text
        for strategy in dataset.subjects(EMPHASISES, goal):
            assert labels.label(str(strategy), lang) in text
            council = dataset.value(strategy, STRATEGY_OF)  # type: ignore[arg-type]
            assert labels.label(str(council), lang) in text
        counts = matrix.counts(str(goal))
        said = ("Name the goal", "Known not to name it", "Unknown")
        if lang == "nb":
            said = ("Nevner målet", "Kjent at de ikke nevner det", "Ukjent")
        for status, words in zip((NAMED, ABSENT, UNKNOWN), said, strict=True):
            assert f"{words} ({counts[status]})" in text, (goal, status)


def test_a_goal_is_rdf_by_content_negotiation(client: FlaskClient) -> None:
    response = client.get(
        "/resource",
        query_string={"iri": "http://metadata.un.org/sdg/3"},
        headers={"Accept": "text/turtle"},
    )
    assert response.status_code == 200
    assert response.mimetype == "text/turtle"
