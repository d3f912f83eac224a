"""The ontology's documentation for browsers: what pyLODE gives, served live from the store.

``/ontology`` is dereferenced by ``resources``, which serves its RDF forms; a browser
asking it for HTML gets ``render_ontology()`` from here: the ontology's metadata, then
each class and property with its labels in nb and en, definition, domain and range,
super-classes and super-properties, and how often the data use it. Each term's section
has the term's local name as its ``id``, so ``…/ontology#Strategy`` lands on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import render_template

from iprkg.engine.results import Text, iri_ref, label_patterns, select, text
from iprkg.engine.store import ReadOnlyStore
from iprkg.web.strategy_pages import current_store, unique

ONTOLOGY_PATH = "ontology"
"""The ontology's IRI, relative to the base; its terms are ``ontology#Term``."""

OWL = "http://www.w3.org/2002/07/owl#"
KINDS = (
    (f"{OWL}Class", "classes", Text("Klasser", "Classes")),
    (f"{OWL}ObjectProperty", "object-properties", Text("Objektegenskaper", "Object properties")),
    (
        f"{OWL}DatatypeProperty",
        "datatype-properties",
        Text("Dataegenskaper", "Datatype properties"),
    ),
)
"""The kinds of term documented, in order: OWL type, section id, heading."""


@dataclass(frozen=True)
class Link:
    """An IRI the page links to, with a label if the store has one."""

    iri: str
    label: Text

    @property
    def curie(self) -> str:
        """``prefix:name`` with the build's prefixes (those of the sources), else the IRI."""
        for prefix, namespace in current_store().prefixes.items():
            if self.iri.startswith(namespace) and len(self.iri) > len(namespace):
                return f"{prefix}:{self.iri[len(namespace) :]}"
        return self.iri


@dataclass
class OntologyTerm:
    iri: str
    name: str
    """The local name, the section's anchor."""
    label: Text
    definition: Text
    kind: str
    domains: list[Link] = field(default_factory=list)
    ranges: list[Link] = field(default_factory=list)
    parents: list[Link] = field(default_factory=list)
    """Super-classes (``rdfs:subClassOf``) or super-properties (``rdfs:subPropertyOf``)."""
    children: list[Link] = field(default_factory=list)
    inverses: list[Link] = field(default_factory=list)
    replaced_by: list[Link] = field(default_factory=list)
    """What replaces a retired term (``dct:isReplacedBy``)."""
    usage: int = 0
    """Classes: resources typed with it; properties: triples using it."""


@dataclass(frozen=True)
class Section:
    id: str
    heading: Text
    terms: list[OntologyTerm]


@dataclass
class Ontology:
    iri: str
    namespace: str
    prefix: str
    title: Text
    description: Text
    version: str
    version_iri: str
    licence: str
    created: str
    modified: str
    creators: list[Link]
    see_also: list[str]
    sections: list[Section]


def render_ontology(iri: str, alternates: Sequence[Any] = ()) -> str | None:
    """The ontology's documentation page (rendered HTML) if ``iri`` is the ontology's
    IRI, else None. ``alternates`` are the page's other serialisations."""
    store = current_store()
    if iri != store.base_iri + ONTOLOGY_PATH:
        return None
    return render_template(
        "ontology/ontology.html", ontology=read_ontology(store), alternates=alternates
    )


def read_ontology(store: ReadOnlyStore) -> Ontology:
    """The ontology's metadata and every term it defines, from ``store``."""
    iri = store.base_iri + ONTOLOGY_PATH
    subject = iri_ref(iri)
    rows = select(
        store,
        f"""PREFIX dct: <http://purl.org/dc/terms/>
PREFIX owl: <{OWL}>
PREFIX vann: <http://purl.org/vocab/vann/>
SELECT * WHERE {{
  BIND ({subject} AS ?ontology)
  OPTIONAL {{ ?ontology dct:title ?titleNb FILTER (LANGMATCHES(LANG(?titleNb), "nb")) }}
  OPTIONAL {{ ?ontology dct:title ?titleEn FILTER (LANGMATCHES(LANG(?titleEn), "en")) }}
  OPTIONAL {{ ?ontology dct:description ?descriptionNb
             FILTER (LANGMATCHES(LANG(?descriptionNb), "nb")) }}
  OPTIONAL {{ ?ontology dct:description ?descriptionEn
             FILTER (LANGMATCHES(LANG(?descriptionEn), "en")) }}
  OPTIONAL {{ ?ontology owl:versionInfo ?version }}
  OPTIONAL {{ ?ontology owl:versionIRI ?versionIri }}
  OPTIONAL {{ ?ontology dct:license ?licence }}
  OPTIONAL {{ ?ontology dct:created ?created }}
  OPTIONAL {{ ?ontology dct:modified ?modified }}
  OPTIONAL {{ ?ontology vann:preferredNamespacePrefix ?prefix }}
  OPTIONAL {{ ?ontology vann:preferredNamespaceUri ?namespace }}
}} LIMIT 1""",
    )
    row = rows[0] if rows else {}
    creators = select(
        store,
        f"""PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?item ?itemNb ?itemEn WHERE {{
  {subject} dct:creator|dct:publisher ?item .
  {label_patterns("item", "item")}
}} ORDER BY ?item""",
    )
    see_also = select(
        store,
        f"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?item WHERE {{ {subject} rdfs:seeAlso ?item }} ORDER BY ?item""",
    )
    return Ontology(
        iri=iri,
        namespace=str(row.get("namespace", f"{iri}#")),
        prefix=str(row.get("prefix", "")),
        title=text(row, "titleNb", "titleEn"),
        description=text(row, "descriptionNb", "descriptionEn"),
        version=str(row.get("version", "")),
        version_iri=str(row.get("versionIri", "")),
        licence=str(row.get("licence", "")),
        created=str(row.get("created", "")),
        modified=str(row.get("modified", "")),
        creators=[
            Link(str(r["item"]), text(r, "itemNb", "itemEn")) for r in unique(creators, "item")
        ],
        see_also=[str(r["item"]) for r in see_also],
        sections=read_sections(store, subject),
    )


def read_sections(store: ReadOnlyStore, ontology: str) -> list[Section]:
    """The terms ``rdfs:isDefinedBy`` the ontology, by kind, each sorted by local name."""
    rows = select(
        store,
        f"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?term ?kind ?labelNb ?labelEn ?definitionNb ?definitionEn WHERE {{
  ?term rdfs:isDefinedBy {ontology} ; a ?kind .
  VALUES ?kind {{ {" ".join(f"<{kind}>" for kind, _, _ in KINDS)} }}
  OPTIONAL {{ ?term rdfs:label ?labelNb FILTER (LANGMATCHES(LANG(?labelNb), "nb")) }}
  OPTIONAL {{ ?term rdfs:label ?labelEn FILTER (LANGMATCHES(LANG(?labelEn), "en")) }}
  OPTIONAL {{ ?term skos:definition ?definitionNb
             FILTER (LANGMATCHES(LANG(?definitionNb), "nb")) }}
  OPTIONAL {{ ?term skos:definition ?definitionEn
             FILTER (LANGMATCHES(LANG(?definitionEn), "en")) }}
}}""",
    )
    terms: dict[str, OntologyTerm] = {}
    for row in unique(rows, "term"):
        iri = str(row["term"])
        terms[iri] = OntologyTerm(
            iri=iri,
            name=local_name(iri),
            label=text(row, "labelNb", "labelEn"),
            definition=text(row, "definitionNb", "definitionEn"),
            kind=str(row["kind"]),
        )
    add_relations(store, ontology, terms)
    add_usage(store, ontology, terms)
    return [
        Section(
            section_id,
            heading,
            sorted(
                (term for term in terms.values() if term.kind == kind),
                key=lambda term: term.name.lower(),
            ),
        )
        for kind, section_id, heading in KINDS
    ]


RELATIONS = (
    ("http://www.w3.org/2000/01/rdf-schema#domain", "domains"),
    ("http://www.w3.org/2000/01/rdf-schema#range", "ranges"),
    ("http://www.w3.org/2000/01/rdf-schema#subClassOf", "parents"),
    ("http://www.w3.org/2000/01/rdf-schema#subPropertyOf", "parents"),
    (f"{OWL}inverseOf", "inverses"),
    ("http://purl.org/dc/terms/isReplacedBy", "replaced_by"),
)


def add_relations(store: ReadOnlyStore, ontology: str, terms: dict[str, OntologyTerm]) -> None:
    """Domain, range, super- and sub-terms and inverses, each with its label if known."""
    rows = select(
        store,
        f"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?term ?relation ?item ?itemNb ?itemEn WHERE {{
  ?term rdfs:isDefinedBy {ontology} ; ?relation ?item .
  VALUES ?relation {{ {" ".join(f"<{relation}>" for relation, _ in RELATIONS)} }}
  FILTER (isIRI(?item))
  {label_patterns("item", "item")}
}} ORDER BY ?term ?relation ?item""",
    )
    slots = dict(RELATIONS)
    for row in unique(rows, "term", "relation", "item"):
        term = terms.get(str(row["term"]))
        if term is None:
            continue
        link = Link(str(row["item"]), text(row, "itemNb", "itemEn"))
        getattr(term, slots[str(row["relation"])]).append(link)
        parent = terms.get(link.iri)
        if slots[str(row["relation"])] == "parents" and parent is not None:
            parent.children.append(Link(term.iri, term.label))


def add_usage(store: ReadOnlyStore, ontology: str, terms: dict[str, OntologyTerm]) -> None:
    """How often the data use each term: instances of a class, triples of a property."""
    rows = select(
        store,
        f"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?term (COUNT(*) AS ?uses) WHERE {{
  ?term rdfs:isDefinedBy {ontology} .
  {{ ?resource a ?term }} UNION {{ ?subject ?term ?object }}
}} GROUP BY ?term""",
    )
    for row in rows:
        term = terms.get(str(row["term"]))
        if term is not None:
            term.usage = int(str(row["uses"]))


def local_name(iri: str) -> str:
    """The part after ``#`` (or the last ``/``): ``…/ontology#Strategy`` → ``Strategy``."""
    return iri.rsplit("#", 1)[-1] if "#" in iri else iri.rstrip("/").rsplit("/", 1)[-1]
