"""Facts read from a graph for a diff in people's terms (``iprkg.build.changes``):
instances of a class and its subclasses, links, literals per language, and a resource's
display label per language, chosen as the pages choose it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from rdflib import RDF, RDFS, Graph, Literal, URIRef

from iprkg.core import vocabulary

Labels = tuple[tuple[str, str], ...]
"""A resource's labels as sorted ``(language, text)`` pairs (language '' for none)."""

LABELLED_BY: tuple[tuple[str, URIRef], ...] = tuple(
    (vocabulary.prefixed(iri), URIRef(iri)) for iri in vocabulary.LABEL_PROPERTIES
)
"""``vocabulary.LABEL_PROPERTIES`` as (prefixed name, term): a display label is the first of
these in the wanted language (docs/model.md)."""

FALLBACK_LANGUAGES: Mapping[str, tuple[str, ...]] = {
    "nb": ("nb", "no", "nn", "en", ""),
    "en": ("en", "nb", "no", "nn", ""),
}
"""Languages tried in turn for a display label; any other language comes after these."""


def resolve(term: str, ontology: str) -> str:
    return term if ":" in term else f"{ontology}{term}"


def instances(graph: Graph, cls: str) -> set[str]:
    """IRIs typed ``cls`` or one of its subclasses (by the graph's rdfs:subClassOf)."""
    classes = set(graph.transitive_subjects(RDFS.subClassOf, URIRef(cls)))
    return {
        str(subject)
        for c in classes
        for subject in graph.subjects(RDF.type, c)
        if isinstance(subject, URIRef)
    }


def typed_iris(graph: Graph) -> set[str]:
    return {str(s) for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef)}


def links(graph: Graph, prop: URIRef) -> set[tuple[str, str]]:
    return {
        (str(s), str(o))
        for s, o in graph.subject_objects(prop)
        if isinstance(s, URIRef) and isinstance(o, URIRef)
    }


def literals(graph: Graph, subject: URIRef, prop: URIRef) -> dict[str, tuple[str, ...]]:
    """The literal values of ``prop`` on ``subject``, sorted, per language ('' for none)."""
    found: dict[str, list[str]] = defaultdict(list)
    for value in graph.objects(subject, prop):
        if isinstance(value, Literal):
            found[value.language or ""].append(str(value))
    return {language: tuple(sorted(values)) for language, values in found.items()}


def labels_of(iri: str, graph: Graph, fallback: Graph) -> Labels:
    """The display label of ``iri`` per language, from ``graph``, else from ``fallback``."""
    subject = URIRef(iri)
    for source in (graph, fallback):
        best: dict[str, str] = {}
        for _, prop in LABELLED_BY:
            for language, values in literals(source, subject, prop).items():
                best.setdefault(language, values[0])
        if best:
            return tuple(sorted(best.items()))
    return ()


def best_label(labels: Labels, lang: str, fallback: str) -> str:
    by_language = dict(labels)
    order = FALLBACK_LANGUAGES.get(lang, (lang, *FALLBACK_LANGUAGES["en"]))
    for language in (*order, *sorted(by_language)):
        if language in by_language:
            return by_language[language]
    return fallback
