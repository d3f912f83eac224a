"""The generic page of a resource: what it is, its texts, identifiers, properties (by label)
and the links to it read backwards, in the page's language. Pages of their own (strategy,
ontology, theme, council, focus area …) are chosen first by ``resources.resource_page``.

Every property, class and datatype is named by its label (the ontology's for ``ipr:``
terms, ours for outside vocabularies: ``services.vocabulary_terms``), never by a CURIE. A
link to the resource is named the way it reads from here ("medlem av" for
``org:hasMember``), with the level of a strategy named with its strategy. Texts with a
language show in the page's language (else the other); notes are said in plain words
(``services.plain_notes``: the machine facts they mention are triples of their own).
Identifiers show as what they are: "Wikidata Q2375", "organisasjonsnummer 964963371".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from rdflib import RDF, BNode, Graph, Literal, URIRef

from iprkg.core.vocabulary import DCT, LABEL_PROPERTIES, OWL, SKOS, XSD
from iprkg.services.labels import LANGUAGE_TAGS
from iprkg.services.plain_notes import plain
from iprkg.services.vocabulary_terms import inverse
from iprkg.web.context import current_labels, current_store
from iprkg.web.dates import readable_date
from iprkg.web.templating import page_language

SOURCE = f"{DCT}source"
LINKABLE_SCHEMES = ("http", "https", "ftp", "mailto")
"""IRIs with these schemes are links on the pages; others (``javascript:``) are text."""
TEXTS = (f"{SKOS}definition", f"{DCT}description", f"{SKOS}scopeNote", f"{SKOS}note")
"""Properties whose texts lead the page as prose, in this order (and any subproperty of
a description, such as a purpose statement, after them)."""
WIKIDATA = "http://www.wikidata.org/entity/"
ORGANISATION_NUMBER = "ontology#organisationNumber"
BRREG = "https://data.brreg.no/enhetsregisteret/oppslag/enheter/"
"""Where the Central Coordinating Register shows an organisation by its number."""


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
    text: str = ""
    """What a person reads: a date in the page's language, yes or no, the lexical form."""


@dataclass(frozen=True)
class Identifier:
    """An identifier said as what it is: ``scheme`` ("Wikidata") and ``code`` ("Q2375")."""

    scheme: str
    code: str
    url: str = ""


@dataclass
class Page:
    """What the resource page shows."""

    iri: str
    names: list[Value] = field(default_factory=list)
    types: list[Value] = field(default_factory=list)
    texts: list[tuple[str, list[str]]] = field(default_factory=list)
    """(property, its texts in the page's language), as prose."""
    identifiers: list[Identifier] = field(default_factory=list)
    properties: list[tuple[str, list[Value]]] = field(default_factory=list)
    sources: list[Value] = field(default_factory=list)
    incoming: list[tuple[str, list[Value]]] = field(default_factory=list)
    """(how the link reads backwards, the resources linking here)."""
    terms: list[str] = field(default_factory=list)


def readable(term: Literal, lang: str) -> str:
    """A literal as a person reads it in ``lang``."""
    datatype = str(term.datatype or "")
    if datatype == f"{XSD}date":
        try:
            return readable_date(str(term), lang)
        except ValueError:
            return str(term)
    if datatype == f"{XSD}boolean":
        yes = str(term).strip().lower() in ("true", "1")
        return ("yes" if yes else "no") if lang == "en" else ("ja" if yes else "nei")
    return str(term)


def value(term: Any, base: str, lang: str = "nb") -> Value:
    if isinstance(term, Literal):
        datatype = str(term.datatype) if term.datatype else ""
        return Value("literal", str(term), term.language or "", datatype, text=readable(term, lang))
    if isinstance(term, BNode):
        return Value("bnode", str(term))
    text = str(term)
    scheme = text.split(":", 1)[0].lower()
    return Value("iri", text, local=text.startswith(base), linkable=scheme in LINKABLE_SCHEMES)


def in_language(values: list[Value], lang: str) -> list[Value]:
    """Of literals with languages, those in the page's language (else the first language
    there is); values without a language are always kept."""
    tagged = [v for v in values if v.kind == "literal" and v.lang]
    if not tagged:
        return values
    for tag in (*LANGUAGE_TAGS.get(lang, (lang,)), *(t for v in tagged for t in (v.lang,))):
        chosen = [v for v in tagged if v.lang.split("-")[0] == tag]
        if chosen:
            return [v for v in values if not (v.kind == "literal" and v.lang)] + chosen
    return values


def identifier(predicate: str, obj: Any, base: str, lang: str) -> Identifier | None:
    """``obj`` as an identifier, if ``predicate`` gives one."""
    if predicate == f"{OWL}sameAs" and str(obj).startswith(WIKIDATA):
        code = str(obj)[len(WIKIDATA) :]
        return Identifier("Wikidata", code, str(obj))
    if predicate == base + ORGANISATION_NUMBER and isinstance(obj, Literal):
        code = str(obj)
        url = BRREG + code if code.isdigit() else ""
        return Identifier(current_labels().label(predicate, lang), code, url)
    return None


def page_of(iri: str, description: Graph, *, every_fact: bool = False) -> Page:
    """The page of ``iri`` from its description, properties sorted by label. With
    ``every_fact``, texts stay among the properties in every language they have (the
    "every fact in the data" section of the pages of their own), so nothing is left out."""
    base = current_store().base_iri
    labels, lang = current_labels(), page_language()
    subject = URIRef(iri)
    page = Page(iri)
    outgoing: dict[str, list[Value]] = defaultdict(list)
    texts: dict[str, list[Value]] = defaultdict(list)

    def said(shown: Value) -> str:
        return plain(
            shown.value, lambda i: labels.label(i, lang), base, lambda d: readable_date(d, lang)
        )

    for predicate, obj in description.predicate_objects(subject):
        shown = value(obj, base, lang)
        if every_fact and shown.kind == "literal" and shown.lang:  # a text: in plain words
            shown = replace(shown, text=said(shown))
        found = identifier(str(predicate), obj, base, lang)
        if found is not None:
            page.identifiers.append(found)
        elif predicate == RDF.type:
            page.types.append(shown)
        elif str(predicate) in LABEL_PROPERTIES and shown.lang:
            page.names.append(shown)
        elif str(predicate) == SOURCE:
            page.sources.append(shown)
        elif (
            not every_fact
            and shown.kind == "literal"
            and shown.lang
            and str(predicate) not in LABEL_PROPERTIES
        ):
            texts[str(predicate)].append(shown)
        else:
            outgoing[str(predicate)].append(shown)
    incoming: dict[str, list[Value]] = defaultdict(list)
    for subject_term, predicate in description.subject_predicates(subject):
        incoming[str(predicate)].append(value(subject_term, base, lang))

    def by_label(item: tuple[str, list[Value]]) -> str:
        return labels.label(item[0], lang).casefold()

    def sort_key(shown: Value) -> tuple[bool, str]:
        """Values in the page language (or none) first, then by label."""
        text = labels.label(shown.value, lang) if shown.kind == "iri" else shown.value
        return (shown.lang not in ("", lang), text.casefold())

    page.texts = [
        (p, [said(v) for v in in_language(sorted(values, key=sort_key), lang)])
        for p, values in sorted(
            texts.items(),
            key=lambda item: (TEXTS.index(item[0]) if item[0] in TEXTS else -1, by_label(item)),
        )
    ]

    def shown_values(values: list[Value]) -> list[Value]:
        ordered = sorted(values, key=sort_key)
        return ordered if every_fact else in_language(ordered, lang)

    page.properties = sorted(
        ((p, shown_values(values)) for p, values in outgoing.items()), key=by_label
    )
    page.incoming = sorted(
        (
            (backwards(p, base, lang), sorted(values, key=sort_key))
            for p, values in incoming.items()
        ),
        key=lambda item: item[0].casefold(),
    )
    page.names.sort(key=lambda name: (name.lang != lang, name.value))
    page.types.sort(key=sort_key)
    page.sources.sort(key=sort_key)
    page.identifiers.sort(key=lambda found: (found.scheme, found.code))
    page.terms = sorted({str(s) for s in description.subjects() if str(s).startswith(f"{iri}#")})
    return page


def backwards(predicate: str, base: str, lang: str) -> str:
    """How the link ``predicate`` reads from its object: our words
    (``vocabulary_terms.inverse``), else "linked here as “…”" with its label."""
    words = inverse(predicate, lang, base)
    if words:
        return words
    name = current_labels().label(predicate, lang)
    return f"linked here as “{name}”" if lang == "en" else f"lenker hit som «{name}»"
