"""The stakeholder page (``stakeholder_page``, ``services.stakeholder``) read as text: which
councils engage with it, at which level of which strategy, and the source's other
wordings; in nb and en, with no machine names. Expected values come from the data."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from iprkg.engine.store import ReadOnlyStore
from iprkg.services.labels import read_labels
from support.page_text import machine_names, page_text
from support.project import DEFAULT_BASE

IPR = f"{DEFAULT_BASE}ontology#"
ENGAGED_BY = f"""PREFIX ipr: <{IPR}>
SELECT DISTINCT ?council ?strategy ?level WHERE {{
  ?owner ipr:worksTowards ?stakeholder .
  {{ ?strategy ipr:hasLevel ?owner . BIND (?owner AS ?level) }}
  UNION {{ ?owner a ipr:Strategy . BIND (?owner AS ?strategy) }}
  ?strategy ipr:strategyOf ?council .
}}"""


def stakeholders(dataset: Graph) -> list[URIRef]:
    found = dataset.subjects(RDF.type, URIRef(f"{IPR}Stakeholder"))
    return sorted(s for s in found if (s, DCTERMS.isReplacedBy, None) not in dataset)  # type: ignore[misc]


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_stakeholder_names_the_councils_and_levels(
    client: FlaskClient, store: ReadOnlyStore, dataset: Graph, lang: str
) -> None:
    labels = read_labels(store)
    found = stakeholders(dataset)
    assert found
    engaged = 0
    for stakeholder in found:
        text = page_text(client, "/" + str(stakeholder).removeprefix(DEFAULT_BASE), lang)
        assert machine_names(text) == [], (stakeholder, machine_names(text))
        name = labels.label(str(stakeholder), lang)
        assert name[:1].upper() + name[1:] in text
        for alt in dataset.objects(stakeholder, SKOS.altLabel):  # the source's wording
            if alt.language == lang:  # type: ignore[union-attr]
                # one that differs from the name only in case is not repeated
                assert str(alt).casefold() in text.casefold(), (stakeholder, alt)
        for council, strategy, level in dataset.query(  # type: ignore[misc]
            ENGAGED_BY, initBindings={"stakeholder": stakeholder}
        ):
            engaged += 1
            assert labels.label(str(council), lang) in text
            assert labels.label(str(strategy), lang) in text
            if level is not None:
                assert labels.own_label(str(level), lang) in text
            else:
                assert (
                    "the strategy as a whole" if lang == "en" else "strategien som helhet"
                ) in text
    assert engaged


def test_the_counts_are_said_in_words(client: FlaskClient, dataset: Graph) -> None:
    for stakeholder in stakeholders(dataset):
        councils = {
            row[0] for row in dataset.query(ENGAGED_BY, initBindings={"stakeholder": stakeholder})
        }  # type: ignore[index]
        text = page_text(client, "/" + str(stakeholder).removeprefix(DEFAULT_BASE), "en")
        if len(councils) > 1:
            assert f"{len(councils)} councils engage with this stakeholder" in text
        elif len(councils) == 1:
            assert "One council engages with this stakeholder" in text
