"""The search index: every labelled resource of the built graph, as one SQLite file.

What is indexed: each IRI with a label (``vocabulary.LABEL_PROPERTIES``), by its labels,
its alternative labels (``skos:altLabel``) and its descriptions and notes (``NOTES``),
in nb, nn and en (and literals without a language); its kind, from its ``rdf:type``
(``KINDS``, the first that fits; the themes of LOS and the EU table are themes
whatever their type); whether it is retired (``dct:isReplacedBy``, ``owl:deprecated``).
The index holds the stems of these texts (``engine.search_words``) for SQLite FTS5,
and the texts themselves for snippets; ``engine.search`` reads it. The schema is
``engine.search.SCHEMA``.

The file is byte-reproducible: rows are written in a fixed order into an in-memory
database, which is then vacuumed and serialised, so the same graph gives the same bytes
(with the same SQLite version, which the manifest's ``search`` entry names).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rdflib import Graph, Literal, URIRef

from iprkg.artefact.manifest import sha256
from iprkg.build.authorities import authority_of
from iprkg.core.vocabulary import DCT, FOAF, LABEL_PROPERTIES, ORG, OWL, RDF, RDFS, SKOS
from iprkg.engine.search import FORMAT_VERSION, INDEX_NAME, SCHEMA
from iprkg.engine.search_words import stems

LANGUAGES = ("nb", "nn", "en", "")
"""Literals indexed: these languages, and those without a language tag."""
ALT_LABEL = f"{SKOS}altLabel"
NOTES = (
    f"{DCT}description",
    f"{SKOS}definition",
    f"{SKOS}scopeNote",
    f"{SKOS}note",
    f"{RDFS}comment",
)
SDG_GOAL = "http://metadata.un.org/sdg/ontology#Goal"
ELI = "http://data.europa.eu/eli/ontology#"
CV = "http://data.europa.eu/m8g/"


@dataclass(frozen=True)
class Kind:
    """A kind of resource as search names it: a slug for ``?kind=``, nb and en names."""

    slug: str
    nb: str
    en: str
    classes: tuple[str, ...] = ()
    """Local names in the ontology (``ipr:``), or full IRIs."""


KINDS = (
    Kind("council", "regionråd", "regional council", ("RegionalCouncil",)),
    Kind("municipality", "kommune", "municipality", ("Municipality",)),
    Kind("strategy", "strategi", "strategy", ("Strategy",)),
    Kind("level", "strateginivå", "strategy level", ("StrategyLevel",)),
    Kind("focus-area", "fokusområde", "focus area", ("FocusArea", "CompoundFocusArea")),
    Kind("stakeholder", "aktør", "stakeholder", ("Stakeholder",)),
    Kind("goal", "bærekraftsmål", "sustainable development goal", (SDG_GOAL,)),
    Kind("theme", "tema", "theme"),
    Kind("class", "klasse", "class", (f"{OWL}Class", f"{RDFS}Class")),
    Kind("membership", "medlemskap", "membership", (f"{ORG}Membership",)),
    Kind(
        "property",
        "egenskap",
        "property",
        (f"{OWL}ObjectProperty", f"{OWL}DatatypeProperty", f"{RDF}Property"),
    ),
    Kind(
        "organisation",
        "organisasjon",
        "organisation",
        (
            f"{ORG}Organization",
            f"{ORG}FormalOrganization",
            f"{FOAF}Organization",
            f"{CV}PublicOrganisation",
        ),
    ),
    Kind(
        "document",
        "dokument",
        "document",
        (f"{FOAF}Document", f"{ELI}LegalResource", f"{ELI}LegalResourceSubdivision"),
    ),
    Kind("concept", "begrep", "concept", (f"{SKOS}Concept", f"{SKOS}ConceptScheme")),
)
"""The kinds, the first that fits naming a resource (a focus area is also a
``skos:Concept``, but a focus area first). A resource of another class of the ontology
than the first ``SPECIFIC`` kinds name takes that class's own name (from its labels)
before the generic kinds (class, concept …) are tried; anything else is ``OTHER``."""
SPECIFIC = 8
"""The kinds before the first generic one: a resource of another class of the ontology
is of that kind rather than of a generic kind."""
THEME = KINDS[SPECIFIC - 1]
OTHER = Kind("other", "annet", "other")


@dataclass(frozen=True)
class Document:
    """One resource as indexed."""

    iri: str
    kind: Kind
    retired: bool
    texts: tuple[tuple[str, str, str], ...]
    """``(field, lang, value)``: field ``label``, ``alt`` or ``note``."""


def class_iris(kind: Kind, ontology: str) -> set[str]:
    return {name if ":" in name else ontology + name for name in kind.classes}


def kind_of(iri: str, types: set[str], graph: Graph, ontology: str) -> Kind:
    """The kind of the resource ``iri`` of rdf:types ``types`` (see ``KINDS``)."""
    if authority_of(iri) is not None:
        return THEME
    for kind in KINDS[:SPECIFIC]:
        if types & class_iris(kind, ontology):
            return kind
    for cls in sorted(t for t in types if t.startswith(ontology)):
        names = dict(literals(graph, URIRef(cls), f"{RDFS}label"))
        local = cls[len(ontology) :]
        words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).lower()
        slug = words.replace(" ", "-")
        return Kind(slug, names.get("nb", words), names.get("en", words))
    for kind in KINDS[SPECIFIC:]:
        if types & class_iris(kind, ontology):
            return kind
    return OTHER


def literals(graph: Graph, iri: URIRef, prop: str) -> list[tuple[str, str]]:
    """``(lang, text)`` of ``iri``'s literals of ``prop`` in ``LANGUAGES``, sorted."""
    found = {
        (obj.language or "", " ".join(str(obj).split()))
        for obj in graph.objects(iri, URIRef(prop))
        if isinstance(obj, Literal) and (obj.language or "") in LANGUAGES
    }
    order = {lang: n for n, lang in enumerate(LANGUAGES)}
    return sorted(found, key=lambda pair: (order[pair[0]], pair[1]))


def documents(graph: Graph, base: str) -> list[Document]:
    """Every IRI of ``graph`` with a label in ``LANGUAGES``, sorted by IRI."""
    ontology = f"{base}ontology#"
    names = [p for p in LABEL_PROPERTIES if p != ALT_LABEL]
    found: list[Document] = []
    subjects = {s for s in graph.subjects() if isinstance(s, URIRef)}
    for subject in sorted(subjects, key=str):
        texts: list[tuple[str, str, str]] = []
        for prop in names:
            texts += [("label", lang, value) for lang, value in literals(graph, subject, prop)]
        if not texts:
            continue
        texts += [("alt", lang, value) for lang, value in literals(graph, subject, ALT_LABEL)]
        for prop in NOTES:
            texts += [("note", lang, value) for lang, value in literals(graph, subject, prop)]
        types = {str(t) for t in graph.objects(subject, URIRef(f"{RDF}type"))}
        retired = (subject, URIRef(f"{DCT}isReplacedBy"), None) in graph or (
            subject,
            URIRef(f"{OWL}deprecated"),
            Literal(True),
        ) in graph
        unique = tuple(dict.fromkeys(texts))
        found.append(
            Document(str(subject), kind_of(str(subject), types, graph, ontology), retired, unique)
        )
    return found


def index_bytes(docs: Iterable[Document]) -> bytes:
    """The SQLite file holding ``docs`` (see the module and ``engine.search.SCHEMA``)."""
    connection = sqlite3.connect(":memory:")
    try:
        for statement in SCHEMA:
            connection.execute(statement)
        connection.execute("INSERT INTO about VALUES ('format', ?)", (FORMAT_VERSION,))
        kinds: dict[str, Kind] = {}
        for number, doc in enumerate(docs, start=1):
            kinds.setdefault(doc.kind.slug, doc.kind)
            connection.execute(
                "INSERT INTO resource VALUES (?, ?, ?, ?)",
                (number, doc.iri, doc.kind.slug, int(doc.retired)),
            )
            connection.executemany(
                "INSERT INTO text VALUES (?, ?, ?, ?)", [(number, *text) for text in doc.texts]
            )
            labels = {" ".join(stems(v)) for f, _, v in doc.texts if f in ("label", "alt")}
            connection.executemany(
                "INSERT INTO name VALUES (?, ?)", [(number, key) for key in sorted(labels) if key]
            )
            columns = [
                " ".join(" ".join(stems(v)) for f, _, v in doc.texts if f == name)
                for name in ("label", "alt", "note")
            ]
            connection.execute(
                "INSERT INTO words (rowid, label, alt, note) VALUES (?, ?, ?, ?)",
                (number, *columns),
            )
        for slug, kind in sorted(kinds.items()):
            connection.executemany(
                "INSERT INTO kind VALUES (?, ?, ?)", [(slug, "nb", kind.nb), (slug, "en", kind.en)]
            )
        connection.commit()
        connection.execute("INSERT INTO words (words) VALUES ('optimize')")
        connection.commit()
        connection.execute("VACUUM")
        return connection.serialize()
    finally:
        connection.close()


def make_search_index(graph: Graph, base: str) -> tuple[bytes, dict[str, Any]]:
    """The index of ``graph`` and its manifest entry (``search``)."""
    docs = documents(graph, base)
    content = index_bytes(docs)
    entry = {
        "path": INDEX_NAME,
        "media_type": "application/vnd.sqlite3",
        "bytes": len(content),
        "sha256": sha256(content),
        "resources": len(docs),
        "engine": f"SQLite {sqlite3.sqlite_version} FTS5",
        "format": FORMAT_VERSION,
    }
    return content, entry
