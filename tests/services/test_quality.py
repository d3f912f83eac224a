"""The data-quality report (``services.quality``): on a tiny synthetic dataset made to have
one of each thing (``support.quality``), and on the real build."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from iprkg.engine.oxigraph_store import OxigraphStore
from iprkg.services.labels import read_labels
from iprkg.services.quality import (
    KINDS,
    CouncilQuality,
    QualityReport,
    as_json,
    as_text,
    norwegian,
    read_quality,
    source_store,
)
from support.page_text import machine_names
from support.project import DEFAULT_BASE
from support.quality import COUNCILS, quality_graph

IPR = f"{DEFAULT_BASE}ontology#"
ORG = "http://www.w3.org/ns/org#"
WEAKER = URIRef(f"{DEFAULT_BASE}source-kind/weaker-source")


@pytest.fixture(scope="module")
def synthetic() -> tuple[OxigraphStore, QualityReport]:
    store = source_store(quality_graph(), DEFAULT_BASE)
    return store, read_quality(store, read_labels(store))


def council(report: QualityReport, slug: str) -> CouncilQuality:
    return next(c for c in report.councils if c.iri == f"{DEFAULT_BASE}council/{slug}")


def topics(items: list, kind: str = "") -> list[str]:
    return sorted(item.topic for item in items if not kind or item.kind == kind)


def abouts(items: list) -> list[str]:
    return sorted(item.about.removeprefix(DEFAULT_BASE) for item in items)


def test_the_councils_are_in_order_by_name(synthetic: tuple[OxigraphStore, QualityReport]) -> None:
    _, report = synthetic
    assert [c.iri.removeprefix(DEFAULT_BASE) for c in report.councils] == list(COUNCILS)
    assert [c.label.nb for c in report.councils] == ["Alfarådet", "Betarådet", "Gammarådet"]
    assert sorted(["Åsen", "Ørsta", "Ærøy", "Zeta"], key=norwegian) == [
        "Zeta",
        "Ærøy",
        "Ørsta",
        "Åsen",
    ]


def test_a_council_with_everything_known(synthetic: tuple[OxigraphStore, QualityReport]) -> None:
    alfa = council(synthetic[1], "alfa")
    assert alfa.unknown == [] and alfa.uncertain == [] and alfa.weaker == []
    assert topics(alfa.known) == [
        "focus-areas",
        "founding",
        "goals",
        "legal-form",
        "members",
        "stakeholders",
        "strategy",
    ]
    said = [item.said.en for item in alfa.known]
    assert "Legal form: inter-municipal political council." in said
    assert "Founded 2019-05-02." in said
    assert "The council: 2 members; the list is complete." in said
    assert "Strategy: “The Alfa strategy 2020–2024”, 2020–2024." in said
    assert "“The Alfa strategy 2020–2024”: 1 focus area; the list is complete." in said
    assert (
        "“The Alfa strategy 2020–2024”: 0 UN sustainable development goals; the list is complete."
        in said
    )
    assert all(not item.advice for item in alfa.known)


def test_what_is_unknown_says_what_to_add(synthetic: tuple[OxigraphStore, QualityReport]) -> None:
    beta = council(synthetic[1], "beta")
    assert topics(beta.unknown) == ["founding", "legal-form", "members", "strategy"]
    by_topic = {item.topic: item for item in beta.unknown}
    assert by_topic["legal-form"].said.en == "The sources do not state the legal form."
    assert by_topic["members"].said.en == (
        "The council: 2 members in the data, and whether the list is complete is not said."
    )
    assert by_topic["members"].advice.en.startswith("Say whether the list of members is complete")
    assert by_topic["members"].hint.startswith("ipr:completeList org:hasMember")
    assert by_topic["strategy"].advice.en.startswith("Add the council's strategy")
    gamma = council(synthetic[1], "gamma")
    assert topics(gamma.unknown) == [
        "focus-areas",
        "founding",
        "goals",
        "members",
        "period",
        "stakeholders",
    ]
    by_topic = {item.topic: item for item in gamma.unknown}
    assert by_topic["period"].advice.en == "Add the strategy's period."
    assert by_topic["members"].said.en == "The council: some members are missing from the data."
    assert by_topic["focus-areas"].advice.en == (
        "Add the missing focus areas, then say that the list is complete."
    )
    assert by_topic["goals"].said.nb == (
        "«Gammaplanen»: ingen bærekraftsmål i dataene, og om listen er fullstendig, er ikke sagt."
    )


def test_what_is_uncertain_comes_with_its_note(
    synthetic: tuple[OxigraphStore, QualityReport],
) -> None:
    _, report = synthetic
    beta = council(report, "beta")
    assert abouts(beta.uncertain) == ["council/beta/membership/tre/deltakerkommune"]
    item = beta.uncertain[0]
    assert item.said.nb == "Tre kommune, deltakerkommune i Betarådet"
    assert item.note.en == "The sources disagree on Tre (ipr:uncertain)."
    assert item.advice.nb and item.advice.en
    assert abouts(report.others.uncertain) == ["municipality/gammel"]
    assert report.others.uncertain[0].note.nb == "Sluttdatoen er usikker."


def test_only_what_rests_on_weaker_sources_alone_is_weaker(
    synthetic: tuple[OxigraphStore, QualityReport],
) -> None:
    _, report = synthetic
    beta = council(report, "beta")
    # Tre's membership cites a news item and the council's own page: not weaker.
    assert abouts(beta.weaker) == [
        "council/beta",
        "council/beta/membership/fire/deltakerkommune",
        "municipality/fire",
    ]
    news = ("https://news.example/beta", f"{DEFAULT_BASE}source-kind/news-item")
    assert all(item.sources == (news,) for item in beta.weaker)
    assert report.count("weaker") == 3


def test_every_item_but_the_known_says_what_to_add_in_words(
    synthetic: tuple[OxigraphStore, QualityReport],
) -> None:
    _, report = synthetic
    for group in [*report.councils, report.others]:
        for item in group.items:
            assert item.kind in KINDS
            assert item.said.nb and item.said.en
            if item.kind != "known":
                assert item.advice.nb and item.advice.en, item
            for text in (item.said.nb, item.said.en, item.advice.nb, item.advice.en):
                assert not machine_names(text), text


def test_the_text_is_grouped_by_council_with_iris_and_turtle(
    synthetic: tuple[OxigraphStore, QualityReport],
) -> None:
    store, report = synthetic
    lines = as_text(report, read_labels(store), "en")
    text = "\n".join(lines)
    heads = [line for line in lines if line and not line.startswith(" ")]
    assert heads[:3] == [
        f"{name} <{DEFAULT_BASE}{slug}>"
        for name, slug in zip(
            ["The Alfa Council", "The Beta Council", "The Gamma Council"], COUNCILS, strict=True
        )
    ]
    assert heads[3] == "Not tied to a council"
    assert lines[-1] == "3 councils: 10 unknown, 2 uncertain, 3 only from weaker sources."
    beta = text.split("The Beta Council <", 1)[1].split("The Gamma Council <", 1)[0]
    assert beta.index("  Unknown:") < beta.index("  Uncertain:") < beta.index("  Only from weaker")
    assert "      turtle: ipr:completeList org:hasMember" in beta
    assert (
        "      sources: News item on the Beta Council (news item) <https://news.example/beta>"
        in beta
    )
    assert "Betarådet" in "\n".join(as_text(report, read_labels(store), "nb"))


def test_the_json_has_every_item(synthetic: tuple[OxigraphStore, QualityReport]) -> None:
    _, report = synthetic
    data = json.loads(json.dumps(as_json(report)))
    assert [c["label"]["nb"] for c in data["councils"]] == ["Alfarådet", "Betarådet", "Gammarådet"]
    assert data["counts"] == {"known": 12, "unknown": 10, "uncertain": 2, "weaker": 3}
    assert data["others"]["iri"] is None
    assert data["others"]["uncertain"][0]["about"] == f"{DEFAULT_BASE}municipality/gammel"


# ---------------------------------------------------------------- the real build


@pytest.fixture(scope="module")
def real(store: OxigraphStore) -> QualityReport:
    return read_quality(store, read_labels(store))


def test_every_council_of_the_build_is_reported(real: QualityReport, dataset: Graph) -> None:
    councils = set(dataset.subjects(RDF.type, URIRef(f"{IPR}RegionalCouncil")))
    assert {URIRef(c.iri) for c in real.councils} == councils
    assert len(councils) >= 9
    for group in real.councils:
        assert {"legal-form", "founding", "members"} <= set(topics(group.items))
        said = {item.topic for item in group.items if item.topic in ("strategy",)}
        assert said == {"strategy"}


def test_a_legal_form_not_stated_is_unknown(real: QualityReport, dataset: Graph) -> None:
    unstated = URIRef(f"{DEFAULT_BASE}cooperation-form/regionrad")
    for group in real.councils:
        forms = set(dataset.objects(URIRef(group.iri), DCTERMS.type))
        stated = bool(forms - {unstated})
        assert ("legal-form" in topics(group.unknown)) == (not stated), group.iri


def test_every_uncertain_resource_is_reported(real: QualityReport, dataset: Graph) -> None:
    marked = {str(s) for s in dataset.subjects(URIRef(f"{IPR}uncertain"), Literal(True))}
    reported = {item.about for group in [*real.councils, real.others] for item in group.uncertain}
    assert reported == marked
    for group in [*real.councils, real.others]:
        for item in group.uncertain:
            assert item.note.nb and item.note.en, item.about


def test_what_is_weaker_rests_on_weaker_sources_alone(real: QualityReport, dataset: Graph) -> None:
    def weaker(source: URIRef) -> bool:
        return any(
            WEAKER in dataset.transitive_objects(kind, SKOS.broader)
            for kind in dataset.objects(source, DCTERMS.type)
        )

    for group in [*real.councils, real.others]:
        for item in group.weaker:
            sources = list(dataset.objects(URIRef(item.about), DCTERMS.source))
            assert sources and all(weaker(source) for source in sources), item.about
