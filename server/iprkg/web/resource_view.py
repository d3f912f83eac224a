"""The generic page of a resource: its names, types, properties (by label, in the page's
language first), sources, incoming links and the terms of a hash namespace. Pages of their
own (strategy, ontology, theme) are chosen first by ``resources.resource_page``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rdflib import RDF, BNode, Graph, Literal, URIRef

from iprkg.core.vocabulary import DCT, LABEL_PROPERTIES
from iprkg.web.context import current_labels, current_store
from iprkg.web.templating import page_language

SOURCE = f"{DCT}source"
LINKABLE_SCHEMES = ("http", "https", "ftp", "mailto")
"""IRIs with these schemes are links on the pages; others (``javascript:``) are text."""


@dataclass(frozen=True)
class Value:
    """One object (or subject) shown on a page."""

    kind: str
    """'iri', 'literal' or 'bnode'."""
    value: str
    lang: str = ""
    datatype: str = ""
    local: bool = False
    """An IRI under the base, with a page here."""
    linkable: bool = False
    """An IRI a browser may follow (http, https, ftp, mailto): never ``javascript:``."""


@dataclass
class Page:
    """What the resource page shows."""

    iri: str
    names: list[Value] = field(default_factory=list)
    types: list[Value] = field(default_factory=list)
    properties: list[tuple[str, list[Value]]] = field(default_factory=list)
    sources: list[Value] = field(default_factory=list)
    incoming: list[tuple[str, list[Value]]] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)


def value(term: Any, base: str) -> Value:
    if isinstance(term, Literal):
        datatype = str(term.datatype) if term.datatype else ""
        return Value("literal", str(term), term.language or "", datatype)
    if isinstance(term, BNode):
        return Value("bnode", str(term))
    text = str(term)
    scheme = text.split(":", 1)[0].lower()
    return Value("iri", text, local=text.startswith(base), linkable=scheme in LINKABLE_SCHEMES)


def page_of(iri: str, description: Graph) -> Page:
    """The page of ``iri`` from its description, properties sorted by label."""
    base = current_store().base_iri
    labels, lang = current_labels(), page_language()
    subject = URIRef(iri)
    page = Page(iri)
    outgoing: dict[str, list[Value]] = defaultdict(list)
    for predicate, obj in description.predicate_objects(subject):
        shown = value(obj, base)
        if predicate == RDF.type:
            page.types.append(shown)
        elif str(predicate) in LABEL_PROPERTIES[:2] and isinstance(obj, Literal):
            page.names.append(shown)
        elif str(predicate) == SOURCE:
            page.sources.append(shown)
        else:
            outgoing[str(predicate)].append(shown)
    incoming: dict[str, list[Value]] = defaultdict(list)
    for subject_term, predicate in description.subject_predicates(subject):
        incoming[str(predicate)].append(value(subject_term, base))

    def by_label(item: tuple[str, list[Value]]) -> str:
        return labels.label(item[0], lang).casefold()

    def sort_key(shown: Value) -> tuple[bool, str]:
        """Values in the page language (or none) first, then by label."""
        text = labels.label(shown.value, lang) if shown.kind == "iri" else shown.value
        return (shown.lang not in ("", lang), text.casefold())

    page.properties = sorted(
        ((p, sorted(values, key=sort_key)) for p, values in outgoing.items()), key=by_label
    )
    page.incoming = sorted(
        ((p, sorted(values, key=sort_key)) for p, values in incoming.items()), key=by_label
    )
    page.names.sort(key=lambda name: (name.lang != lang, name.value))
    page.types.sort(key=sort_key)
    page.sources.sort(key=sort_key)
    page.terms = sorted({str(s) for s in description.subjects() if str(s).startswith(f"{iri}#")})
    return page
