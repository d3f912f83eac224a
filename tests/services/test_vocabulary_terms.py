"""Our words for outside vocabularies' terms (``vocabulary_terms``, ``vocabulary_labels.json``):
every property, class and datatype the data use is named in nb and en without a CURIE, and
every link between resources reads backwards in both languages."""

from __future__ import annotations

import pytest
from rdflib import RDF, Graph, Literal, URIRef

from iprkg.core.vocabulary import PREFIXES
from iprkg.engine.store import ReadOnlyStore
from iprkg.services.labels import read_labels
from iprkg.services.vocabulary_terms import inverse, read_words
from support.project import DEFAULT_BASE


def terms_used(dataset: Graph) -> set[str]:
    """Every property, class and literal datatype in the data."""
    used = {str(p) for p in dataset.predicates()}
    used |= {str(o) for o in dataset.objects(None, RDF.type)}
    used |= {str(o.datatype) for o in dataset.objects() if isinstance(o, Literal) and o.datatype}
    return used


def links_used(dataset: Graph) -> set[str]:
    """Every property whose object is an IRI (a link a page can list from its other end)."""
    return {str(p) for _, p, o in dataset if isinstance(o, URIRef) and p != RDF.type}


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_term_the_data_use_has_a_name_not_a_curie(
    store: ReadOnlyStore, dataset: Graph, lang: str
) -> None:
    labels = read_labels(store)
    unnamed = []
    for term in sorted(terms_used(dataset)):
        name = labels.label(term, lang)
        if any(name.startswith(f"{prefix}:") for prefix in PREFIXES) or name in ("", term):
            unnamed.append(term)
    assert unnamed == []


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_link_reads_backwards(dataset: Graph, lang: str) -> None:
    missing = [p for p in sorted(links_used(dataset)) if not inverse(p, lang, DEFAULT_BASE)]
    assert missing == []


def test_a_label_in_the_data_wins_over_our_words(store: ReadOnlyStore) -> None:
    labels = read_labels(store)
    focus_area = f"{DEFAULT_BASE}ontology#focusArea"
    assert labels.label(focus_area, "en") == "focuses on"  # the ontology's, not ours
    assert labels.label("http://purl.org/dc/terms/source", "nb") == "kilde"
    assert labels.label("http://www.w3.org/ns/org#hasMember", "en") == "has member"


def test_the_ontology_prefix_follows_the_base() -> None:
    words = read_words("https://example.org/x/")
    assert "https://example.org/x/ontology#focusArea" in words
    assert inverse("https://example.org/x/ontology#focusArea", "en", "https://example.org/x/")
