"""What the ontology's documentation page shows: what pyLODE gives, read live from the store.

``read_ontology(store)`` reads the ontology's metadata, then each class and property with
its labels in nb and en, definition, domain and range, super-classes and
super-properties, and how often the data use it. The queries are the files in
``queries/ontology/`` (``page_queries``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from iprkg.engine.results import Text, iri_ref, select, text
from iprkg.engine.store import ReadOnlyStore
from iprkg.services.page_queries import query, unique

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
    curie: str
    """``prefix:name`` with the build's prefixes (those of the sources), else the IRI."""


def linked(iri: str, label: Text, prefixes: Mapping[str, str]) -> Link:
    return Link(iri, label, curie(iri, prefixes))


def curie(iri: str, prefixes: Mapping[str, str]) -> str:
    """``prefix:name`` for ``iri`` with the first of ``prefixes`` it starts with, else ``iri``."""
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


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


def read_ontology(store: ReadOnlyStore) -> Ontology:
    """The ontology's metadata and every term it defines, from ``store``."""
    iri = store.base_iri + ONTOLOGY_PATH
    subject = iri_ref(iri)
    prefixes = store.prefixes
    rows = select(store, query("ontology/ontology", ontology=subject))
    row = rows[0] if rows else {}
    creators = select(store, query("ontology/creators", ontology=subject))
    see_also = select(store, query("ontology/see-also", ontology=subject))
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
            linked(str(r["item"]), text(r, "itemNb", "itemEn"), prefixes)
            for r in unique(creators, "item")
        ],
        see_also=[str(r["item"]) for r in see_also],
        sections=read_sections(store, subject),
    )


def read_sections(store: ReadOnlyStore, ontology: str) -> list[Section]:
    """The terms ``rdfs:isDefinedBy`` the ontology, by kind, each sorted by local name."""
    kinds = " ".join(f"<{kind}>" for kind, _, _ in KINDS)
    rows = select(store, query("ontology/terms", ontology=ontology, kinds=kinds))
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
    relations = " ".join(f"<{relation}>" for relation, _ in RELATIONS)
    rows = select(store, query("ontology/relations", ontology=ontology, relations=relations))
    slots, prefixes = dict(RELATIONS), store.prefixes
    for row in unique(rows, "term", "relation", "item"):
        term = terms.get(str(row["term"]))
        if term is None:
            continue
        link = linked(str(row["item"]), text(row, "itemNb", "itemEn"), prefixes)
        getattr(term, slots[str(row["relation"])]).append(link)
        parent = terms.get(link.iri)
        if slots[str(row["relation"])] == "parents" and parent is not None:
            parent.children.append(linked(term.iri, term.label, prefixes))


def add_usage(store: ReadOnlyStore, ontology: str, terms: dict[str, OntologyTerm]) -> None:
    """How often the data use each term: instances of a class, triples of a property."""
    rows = select(store, query("ontology/usage", ontology=ontology))
    for row in rows:
        term = terms.get(str(row["term"]))
        if term is not None:
            term.usage = int(str(row["uses"]))


def local_name(iri: str) -> str:
    """The part after ``#`` (or the last ``/``): ``…/ontology#Strategy`` → ``Strategy``."""
    return iri.rsplit("#", 1)[-1] if "#" in iri else iri.rstrip("/").rsplit("/", 1)[-1]
