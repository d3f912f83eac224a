"""The data say everything the source text says, in both languages, with provenance.

``test_every_item_of_the_source_is_in_the_data`` reads the source text itself (from
``../shared/sources``, beside IPRKG_EXTERNAL) and finds each of its items in the data.
The other tests check properties that every described resource must have.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS

DEFAULT_BASE = "https://w3id.org/iprkg/"
SOURCE_TEXT = "nome-midt-telemark-ipr-strategi-2022-2035.txt"
UN_SDG = "http://metadata.un.org/sdg"

# Page chrome and the image's link text: navigation, not content.
CHROME = {
    "translate",
    "viktig melding",
    "tilbakemelding",
    "klikk for stort bilde for stor versjon klikk her",
}


def normalise(text: str) -> str:
    """Lower case, one space between words, no surrounding punctuation."""
    return " ".join(text.lower().split()).strip(" .:")


def source_items(text: str) -> list[str]:
    """The items of the source text: its lines, split into list items and sentences."""
    text = text.replace("\xa0", " ")  # the captured page has non-breaking spaces
    content = re.split(r"^-{20,}$", text, maxsplit=1, flags=re.MULTILINE)[1]
    items: list[str] = []
    for line in content.splitlines():
        line = re.sub(r"^\s*(?:•|\d+\.)\s*", "", line).strip()
        if not line:
            continue
        for part in re.split(r" - |(?<=\.) (?=[A-ZÆØÅ])|: (?=Strategi)", line):
            if "," in part and "(" not in part and len(part.split()) <= 8:
                items.extend(p.strip() for p in part.split(","))  # a list of names
            else:
                items.append(part)
    return [item for item in items if normalise(item) and normalise(item) not in CHROME]


@pytest.fixture(scope="module")
def literals(dataset: Graph) -> list[str]:
    return [normalise(str(o)) for o in dataset.objects() if isinstance(o, Literal)]


def test_source_items_are_split_as_expected() -> None:
    text = (
        "head\n"
        + "-" * 40
        + "\n • Telemarksbenken, regjeringen\n 1. Én setning. To setninger.\nTranslate\n"
    )
    assert source_items(text) == ["Telemarksbenken", "regjeringen", "Én setning.", "To setninger."]


def test_every_item_of_the_source_is_in_the_data(external_dir: Path, literals: list[str]) -> None:
    source = external_dir.parent / "sources" / SOURCE_TEXT
    if not source.is_file():
        pytest.skip(f"{source} not found: the source text lies beside IPRKG_EXTERNAL")
    items = source_items(source.read_text(encoding="utf-8"))
    assert len(items) > 40
    missing = [item for item in items if not any(normalise(item) in lit for lit in literals)]
    assert missing == [], (
        f"items of the source text not found in any literal of the data: {missing}"
    )


def test_a_missing_item_would_be_noticed(literals: list[str]) -> None:
    assert not any(normalise("Bli et nasjonalt tyngdepunkt.") in lit for lit in literals)


def described(dataset: Graph, base: str) -> set[URIRef]:
    """Subjects that the data describe under the base (ontology terms excluded)."""
    ontology = URIRef(base + "ontology")
    return {
        s
        for s in dataset.subjects(RDF.type, None)
        if isinstance(s, URIRef)
        and s.startswith(base)
        and not s.startswith(base + "ontology")
        and (s, RDF.type, SKOS.ConceptScheme) not in dataset
        and s != URIRef(base + "agent/iprkg")
        and s != ontology
    }


def test_every_described_resource_has_a_source(dataset: Graph) -> None:
    resources = described(dataset, DEFAULT_BASE)
    assert len(resources) > 40
    without = sorted(r for r in resources if (r, DCTERMS.source, None) not in dataset)
    without = [r for r in without if not r.startswith(DEFAULT_BASE + "source/")]
    # The example queries are the project's own (queries/), from no source.
    without = [r for r in without if not r.startswith(DEFAULT_BASE + "queries/")]
    # The kinds of source are the project's own classification of its sources.
    without = [r for r in without if not r.startswith(DEFAULT_BASE + "source-kind")]
    assert without == []


def test_every_norwegian_literal_has_an_english_one(dataset: Graph) -> None:
    languages: dict[tuple[object, object], set[str | None]] = defaultdict(set)
    for s, p, o in dataset:
        if isinstance(o, Literal) and o.language:
            languages[(s, p)].add(o.language)
    untranslated = []
    for (s, p), langs in languages.items():
        if "nb" not in langs or "en" in langs or p == SKOS.altLabel:
            continue
        if p == SKOS.prefLabel and str(s).startswith(UN_SDG):
            continue  # the UN's English names of the goals and their scheme are skos:altLabel
        untranslated.append((s, p))
    assert untranslated == []


def test_no_blank_nodes_in_the_data(dataset: Graph) -> None:
    ontology_ns = DEFAULT_BASE + "ontology"
    blank = [
        (s, p, o)
        for s, p, o in dataset
        if (isinstance(s, BNode) or isinstance(o, BNode)) and not str(p).startswith(str(OWL))
    ]
    assert [t for t in blank if not str(t[0]).startswith(ontology_ns)] == []


def test_every_minted_iri_is_under_the_base(dataset: Graph) -> None:
    """A relative IRI with '../' would escape the base: catch it."""
    terms = {t for triple in dataset for t in triple if isinstance(t, URIRef)}
    escaped = [
        t for t in terms if t.startswith("https://w3id.org/") and not t.startswith(DEFAULT_BASE)
    ]
    assert escaped == []


IPR = DEFAULT_BASE + "ontology#"
VERIFIED_MUNICIPALITIES = {
    DEFAULT_BASE + "municipality/nome",
    DEFAULT_BASE + "municipality/midt-telemark",
}


def test_identifiers_only_for_verified_municipalities(dataset: Graph) -> None:
    """../shared/sources/facts.md verifies identifiers for Nome and Midt-Telemark only;
    beyond those, only the 2024 numbers of Kartverket's list (and the two legacy IRIs that
    state theirs from it, docs/model.md)."""
    identifiers = [
        URIRef(IPR + "municipalityNumber"),
        URIRef(IPR + "organisationNumber"),
        OWL.sameAs,
    ]
    kartverket = URIRef(DEFAULT_BASE + "source/kartverket-2024")
    municipalities = set(dataset.subjects(RDF.type, URIRef(IPR + "Municipality")))
    assert len(municipalities) > 40
    with_identifiers = {
        str(m)
        for m in municipalities
        for p in identifiers
        for value in dataset.objects(m, p)
        if (value, DCTERMS.source, kartverket) not in dataset
    }
    assert with_identifiers == VERIFIED_MUNICIPALITIES


def test_every_council_of_the_sources_is_in_the_data(dataset: Graph) -> None:
    """The councils the sources name are there; a council added later breaks nothing."""
    councils = {str(c) for c in dataset.subjects(RDF.type, URIRef(IPR + "RegionalCouncil"))}
    slugs = [
        "nome-midt-telemark", "vest-telemark", "lister", "nord-gudbrandsdal",
        "midt-gudbrandsdal", "namdal", "sogn", "kongsberg", "grenland",
    ]  # fmt: skip
    assert {f"{DEFAULT_BASE}council/{slug}" for slug in slugs} <= councils


def test_every_statement_on_completeness_says_why(dataset: Graph) -> None:
    """ipr:completeList / ipr:incompleteList each come with a skos:note in nb (or nn) and en."""
    lists = [URIRef(IPR + "completeList"), URIRef(IPR + "incompleteList")]
    subjects = {s for p in lists for s in dataset.subjects(p, None)}
    assert len(subjects) >= 8
    for subject in subjects:
        langs = {n.language for n in dataset.objects(subject, SKOS.note) if isinstance(n, Literal)}
        assert "en" in langs and langs & {"nb", "nn"}, subject
