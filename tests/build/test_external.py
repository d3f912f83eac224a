"""The external identifiers in our data exist in the vocabularies that define them.

Reads the reference copies in the folder named by the IPRKG_EXTERNAL setting (default
``../shared/external`` beside the project; conftest's ``external_dir``, which skips,
naming the setting, where the folder is absent): the UN SDG KOS, LOS and the EU
data-theme table, each parsed once per session.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from rdflib import RDF, SKOS, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

pytestmark = pytest.mark.external

DEFAULT_BASE = "https://w3id.org/iprkg/"

IPR = Namespace(f"{DEFAULT_BASE}ontology#")
SDGO = Namespace("http://metadata.un.org/sdg/ontology#")
WIKIDATA = "http://www.wikidata.org/entity/"
LOS = "https://psi.norge.no/los/"
LOS_PUBLICATION = URIRef("https://psi.norge.no/los/all.rdf")
"""Where LOS publishes itself: the dct:source of the theme facts the build takes from it."""
DATA_THEME = "http://publications.europa.eu/resource/authority/data-theme/"
DATA_THEME_SCHEME = URIRef("http://publications.europa.eu/resource/authority/data-theme")

SDG_KOS = "un-sdg-kos/sdg-kos-goals-targets-indicators.ttl"
LOS_FILE = "los/los.rdf"
DATA_THEME_FILE = "eu-data-theme/data-theme.ttl"


# ---------------------------------------------------------------- fixtures


def parsed(external_dir: Path, name: str, rdf_format: str) -> Graph:
    """One external file, parsed; a missing file fails, naming it."""
    path = external_dir / name
    assert path.is_file(), f"{path} is missing from the IPRKG_EXTERNAL folder"
    return Graph().parse(path, format=rdf_format)


@pytest.fixture(scope="session")
def sdg_kos(external_dir: Path) -> Graph:
    return parsed(external_dir, SDG_KOS, "turtle")


@pytest.fixture(scope="session")
def los(external_dir: Path) -> Graph:
    return parsed(external_dir, LOS_FILE, "xml")


@pytest.fixture(scope="session")
def data_themes(external_dir: Path) -> Graph:
    return parsed(external_dir, DATA_THEME_FILE, "turtle")


@pytest.fixture(scope="session")
def ours(dataset: Graph) -> Graph:
    """Our published dataset: the built ontology and data (conftest's ``dataset``)."""
    return dataset


# ---------------------------------------------------------------- checks


def goals_we_use(graph: Graph) -> set[Node]:
    """Goals the strategies emphasise and goals we describe (typed sdgo:Goal)."""
    return set(graph.objects(None, IPR.emphasisesGoal)) | set(graph.subjects(RDF.type, SDGO.Goal))


def goals_we_describe(graph: Graph) -> set[Node]:
    return set(graph.subjects(RDF.type, SDGO.Goal))


def iris_under(graph: Graph, namespace: str) -> set[URIRef]:
    """Every IRI in ``graph``, in any position, that starts with ``namespace``."""
    return {
        term
        for triple in graph
        for term in triple
        if isinstance(term, URIRef) and term.startswith(namespace)
    }


def labels(graph: Graph, subject: Node, predicate: URIRef, language: str) -> set[str]:
    return {
        str(label)
        for label in graph.objects(subject, predicate)
        if isinstance(label, Literal) and label.language == language
    }


def matches(graph: Graph, subject: Node, namespace: str) -> set[Node]:
    return {o for o in graph.objects(subject, SKOS.exactMatch) if str(o).startswith(namespace)}


def compact_code(graph: Graph, goal: Node) -> set[str]:
    """The KOS's short goal number, e.g. "3" (its notation typed sdgo:SDGCodeCompact)."""
    return {
        str(notation)
        for notation in graph.objects(goal, SKOS.notation)
        if isinstance(notation, Literal) and notation.datatype == SDGO.SDGCodeCompact
    }


def not_typed(iris: Iterable[Node], graph: Graph, kind: URIRef) -> list[str]:
    """The IRIs that ``graph`` does not type as ``kind``."""
    return sorted(str(iri) for iri in iris if (iri, RDF.type, kind) not in graph)


def disagreements(
    ours: Graph, kos: Graph, read: Callable[[Graph, Node], set[str] | set[Node]]
) -> list[str]:
    """For each goal we describe, where what we say differs from what the KOS says."""
    found = []
    for goal in sorted(goals_we_describe(ours), key=str):
        mine, theirs = read(ours, goal), read(kos, goal)
        if mine != theirs:
            found.append(f"{goal}: ours {sorted(map(str, mine))}, KOS {sorted(map(str, theirs))}")
    return found


def short_names(graph: Graph, goal: Node) -> set[str]:
    return labels(graph, goal, SKOS.altLabel, "en")


def wikidata_matches(graph: Graph, goal: Node) -> set[Node]:
    return matches(graph, goal, WIKIDATA)


def our_numbers(graph: Graph, goal: Node) -> set[str]:
    return {str(n) for n in graph.objects(goal, SKOS.notation)}


def not_data_themes(iris: Iterable[Node], table: Graph) -> list[str]:
    """The IRIs that the EU data-theme table does not list in its scheme."""
    return sorted(str(iri) for iri in iris if (iri, SKOS.inScheme, DATA_THEME_SCHEME) not in table)


# ---------------------------------------------------------------- UN Sustainable Development Goals


def test_goals_we_use_are_goals_in_the_kos(ours: Graph, sdg_kos: Graph) -> None:
    used = goals_we_use(ours)
    assert used, "no goal found: ipr:emphasisesGoal and sdgo:Goal are not used"
    undescribed = set(ours.objects(None, IPR.emphasisesGoal)) - goals_we_describe(ours)
    assert not undescribed, f"emphasised goals we do not describe: {sorted(map(str, undescribed))}"
    unknown = not_typed(used, sdg_kos, SDGO.Goal)
    assert not unknown, f"not an sdgo:Goal in the SDG KOS: {unknown}"


def test_goal_short_names_are_the_kos_alt_labels(ours: Graph, sdg_kos: Graph) -> None:
    found = disagreements(ours, sdg_kos, short_names)
    assert not found, "skos:altLabel@en differs from the KOS:\n" + "\n".join(found)


def test_goal_wikidata_matches_are_the_kos_ones(ours: Graph, sdg_kos: Graph) -> None:
    found = disagreements(ours, sdg_kos, wikidata_matches)
    assert not found, "Wikidata skos:exactMatch differs from the KOS:\n" + "\n".join(found)


def test_goal_numbers_are_the_kos_compact_codes(ours: Graph, sdg_kos: Graph) -> None:
    found = [
        f"{goal}: ours {sorted(our_numbers(ours, goal))}, KOS {sorted(compact_code(sdg_kos, goal))}"
        for goal in sorted(goals_we_describe(ours), key=str)
        if our_numbers(ours, goal) != compact_code(sdg_kos, goal)
    ]
    assert not found, "skos:notation differs from the KOS:\n" + "\n".join(found)


# ---------------------------------------------------------------- LOS and EU data themes


def test_los_iris_we_use_are_los_concepts(ours: Graph, los: Graph) -> None:
    used = iris_under(ours, LOS) - {LOS_PUBLICATION}
    schemes = set(ours.subjects(RDF.type, SKOS.ConceptScheme)) & used
    assert used - schemes, "the focus areas should be mapped to LOS"
    unknown = not_typed(used - schemes, los, SKOS.Concept)
    assert not unknown, f"not a skos:Concept in LOS: {unknown}"
    assert not not_typed(schemes, los, SKOS.ConceptScheme), "a LOS scheme LOS does not have"


def test_eu_data_themes_we_use_exist(ours: Graph, data_themes: Graph) -> None:
    used = iris_under(ours, DATA_THEME)
    assert used, "the focus areas should be mapped to EU data themes"
    unknown = not_data_themes(used, data_themes)
    assert not unknown, f"not in the EU data-theme table: {unknown}"


# ---------------------------------------------------------------- the checks can fail


def test_a_wrong_goal_is_reported(ours: Graph, sdg_kos: Graph) -> None:
    wrong = Graph()
    goal = URIRef("http://metadata.un.org/sdg/3")
    wrong.add((URIRef("http://metadata.un.org/sdg/18"), RDF.type, SDGO.Goal))
    wrong.add((URIRef("http://metadata.un.org/sdg/3.1"), RDF.type, SDGO.Goal))  # a target
    wrong.add((goal, RDF.type, SDGO.Goal))
    wrong.add((goal, SKOS.altLabel, Literal("Good health and wellbeing", lang="en")))
    wrong.add((goal, SKOS.exactMatch, URIRef(f"{WIKIDATA}Q50214636")))
    wrong.add((goal, SKOS.notation, Literal("03")))
    assert not_typed(goals_we_use(wrong), sdg_kos, SDGO.Goal) == [
        "http://metadata.un.org/sdg/18",
        "http://metadata.un.org/sdg/3.1",
    ]
    for read in (short_names, wikidata_matches):
        assert any(line.startswith(f"{goal}:") for line in disagreements(wrong, sdg_kos, read))
    assert our_numbers(wrong, goal) != compact_code(sdg_kos, goal)


def test_a_wrong_los_or_data_theme_iri_is_reported(los: Graph, data_themes: Graph) -> None:
    typo = URIRef(f"{LOS}tema/naeringsutvikling")
    scheme = URIRef(f"{LOS}ontologi/tema")  # in LOS, but a scheme, not a concept
    assert not_typed([typo, scheme, URIRef(f"{LOS}tema/naring")], los, SKOS.Concept) == [
        str(scheme),
        str(typo),
    ]
    assert not_data_themes(
        [URIRef(f"{DATA_THEME}TRANS"), URIRef(f"{DATA_THEME}TRAN")], data_themes
    ) == [f"{DATA_THEME}TRANS"]
