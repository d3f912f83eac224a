"""Vocabulary checks: every term a source file uses exists where its namespace says.

SHACL says what a resource must carry; it cannot see a misspelt *optional* property
(``ipr:emphasizesGoal`` is just another triple) or a theme IRI that no authority has
(``los:bosetting`` matches the LOS pattern). These checks can, and they block like a
SHACL violation (docs/validation.md):

1. properties (predicates) and classes (objects of ``rdf:type``) in our namespace,
   ``{base}ontology#``, that the ontology does not define;
2. properties and classes of the vocabularies we use that those vocabularies do not
   define: rdflib's closed term lists (Dublin Core terms, SKOS, ORG, FOAF, PROV, DCAT,
   OWL, RDFS, RDF, XSD, VANN), the SDG ontology read from the external folder, and for
   ELI and the Core Public Organisation Vocabulary, which rdflib lacks and we have no
   file of, the short lists below. Terms of any other vocabulary are left alone;
3. theme IRIs (objects of a SKOS mapping property) in LOS's or the EU data themes'
   namespace that the authority's file does not have;
4. LOS's hierarchy (docs/model.md, "Aligning focus areas with themes", rule 3): a focus
   area that names a LOS sub-theme also names the theme above it.

Checks 3 and 4, and the SDG ontology's terms, need the external folder
(``IPRKG_EXTERNAL``); without it they are skipped and ``skipped`` says why. Only the
ontology and data files are checked (harvested publications are other people's).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import (
    DC,
    DCAT,
    DCTERMS,
    FOAF,
    ORG,
    PROV,
    SKOS,
    VANN,
    XSD,
    DefinedNamespace,
)
from rdflib.term import Node

from iprkg.build.authorities import Themes, authority_of
from iprkg.build.sources import SourceFile, Sources
from iprkg.build.validation import NodeNames, Violation
from iprkg.core.vocabulary import CV as CPOV
from iprkg.core.vocabulary import ELI

SDG_ONTOLOGY = "http://metadata.un.org/sdg/ontology#"
SDG_ONTOLOGY_FILE = "un-sdg-kos/sdgs-ontology.ttl"
"""The UN's SDG ontology, relative to the external folder."""

ELI_TERMS = frozenset(
    [
        "LegalResource",
        "LegalResourceSubdivision",
        "LegalExpression",
        "Format",
        "Work",
        "Expression",
        "Manifestation",
        "WorkSubdivision",
        "ComplexWork",
        "title",
        "title_short",
        "title_alternative",
        "description",
        "number",
        "id_local",
        "date_document",
        "date_publication",
        "first_date_entry_in_force",
        "date_no_longer_in_force",
        "in_force",
        "is_part_of",
        "has_part",
        "is_about",
        "type_document",
        "language",
        "publisher",
        "passed_by",
        "version",
        "version_date",
        "based_on",
        "cites",
        "amends",
        "is_amended_by",
        "repeals",
        "is_realized_by",
        "realizes",
        "is_embodied_by",
        "embodies",
        "related_to",
        "jurisdiction",
    ]
)
"""Terms of the ELI ontology (https://op.europa.eu/en/web/eu-vocabularies/eli) that we
accept: rdflib has no list of them and the external folder no copy of the ontology.
Add a term here only after finding it in the ELI ontology itself."""

CPOV_TERMS = frozenset(["PublicOrganisation", "ContactPoint", "contactPoint"])
"""Terms of the Core Public Organisation Vocabulary (SEMIC) that we accept, for the same
reason as ``ELI_TERMS``."""

DEFINED_NAMESPACES: tuple[tuple[type[DefinedNamespace], str], ...] = (
    (DCTERMS, "DCMI Metadata Terms (dct:)"),
    (DC, "Dublin Core Elements (dc:)"),
    (SKOS, "SKOS"),
    (ORG, "ORG"),
    (FOAF, "FOAF"),
    (PROV, "PROV-O"),
    (DCAT, "DCAT"),
    (OWL, "OWL"),
    (RDFS, "RDF Schema"),
    (RDF, "RDF"),
    (XSD, "XML Schema"),
    (VANN, "VANN"),
)
"""rdflib's closed term lists of the vocabularies we use, and how messages name them."""

MAPPINGS = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)
NAMING = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch)
"""The mappings that mean "the strategy names this theme" (docs/model.md)."""

PROPERTY_TYPES = (
    RDF.Property,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
)
CLASS_TYPES = (OWL.Class, RDFS.Class)


@dataclass(frozen=True)
class Vocabulary:
    """A namespace whose terms we know: its name in messages and its terms' local names."""

    namespace: str
    names: tuple[str, str]
    """How messages name it, in English and in Norwegian."""
    properties: frozenset[str]
    classes: frozenset[str]
    """Where a vocabulary does not say which is which, both hold every term."""

    def defines(self, local: str) -> bool:
        return local in self.properties or local in self.classes


@dataclass(frozen=True)
class VocabularyReport:
    """What the vocabulary checks found, and which checks were skipped and why."""

    violations: list[Violation]
    skipped: str | None = None


def check_vocabulary(
    sources: Sources, lang: str, themes: Themes | None, external: Path | None
) -> VocabularyReport:
    """Every unknown term and theme IRI in the ontology and data files, as violations."""
    vocabularies = known_vocabularies(sources, external)
    names = NodeNames.of(sources)
    dataset = sources.dataset()
    violations: list[Violation] = []
    for file in sources.files:
        if file.graph is None:
            continue
        text = file.path.read_text(encoding="utf-8")
        spotted = Spotter(file, text, sources.base)
        violations += unknown_terms(file.graph, vocabularies, names, spotted, lang)
        if themes is not None:
            violations += unknown_themes(file.graph, themes, names, spotted, lang)
            violations += unclosed_los(file.graph, dataset, themes, names, spotted, lang)
    skipped = None
    if themes is None:
        where = "the external folder" if external is None else str(external)
        skipped = (
            f"theme and SDG ontology checks skipped: no LOS and EU data theme files in {where}; "
            "set IPRKG_EXTERNAL to the folder holding los/ and eu-data-theme/"
        )
    return VocabularyReport(violations, skipped)


def known_vocabularies(sources: Sources, external: Path | None) -> list[Vocabulary]:
    """Our ontology, rdflib's closed vocabularies, the SDG ontology where its file is
    there, ELI and CPOV; longest namespace first."""
    ours = sources.base + "ontology#"
    vocabularies = [
        defined_terms(
            sources.ontology, ours, ("the ontology (ontology/)", "ontologien (ontology/)")
        )
    ]
    for namespace, title in DEFINED_NAMESPACES:
        terms = frozenset(
            [str(term)[len(str(namespace._NS)) :] for term in dir(namespace)]
            + list(namespace._extras)
        )
        vocabularies.append(Vocabulary(str(namespace._NS), (title, title), terms, terms))
    if external is not None and (external / SDG_ONTOLOGY_FILE).is_file():
        sdg = Graph(bind_namespaces="none")
        sdg.parse(external / SDG_ONTOLOGY_FILE, format="turtle")
        sdg_names = ("the UN's SDG ontology", "FNs SDG-ontologi")
        vocabularies.append(defined_terms(sdg, SDG_ONTOLOGY, sdg_names))
    vocabularies.append(Vocabulary(ELI, ("ELI", "ELI"), ELI_TERMS, ELI_TERMS))
    vocabularies.append(Vocabulary(CPOV, ("CPOV", "CPOV"), CPOV_TERMS, CPOV_TERMS))
    return sorted(vocabularies, key=lambda v: -len(v.namespace))


def defined_terms(graph: Graph, namespace: str, names: tuple[str, str]) -> Vocabulary:
    """The properties and classes ``graph`` declares in ``namespace``."""

    def declared(types: tuple[URIRef, ...]) -> frozenset[str]:
        return frozenset(
            str(subject)[len(namespace) :]
            for kind in types
            for subject in graph.subjects(RDF.type, kind)
            if isinstance(subject, URIRef) and str(subject).startswith(namespace)
        )

    return Vocabulary(namespace, names, declared(PROPERTY_TYPES), declared(CLASS_TYPES))


def vocabulary_of(iri: str, vocabularies: list[Vocabulary]) -> Vocabulary | None:
    for vocabulary in vocabularies:
        if iri.startswith(vocabulary.namespace):
            return vocabulary
    return None


def unknown_terms(
    graph: Graph,
    vocabularies: list[Vocabulary],
    names: NodeNames,
    spotted: Spotter,
    lang: str,
) -> Iterator[Violation]:
    """Predicates and classes that their vocabulary does not define, one result each
    (at the first subject that uses them)."""
    seen: set[URIRef] = set()
    for subject, predicate, obj in sorted(graph, key=lambda t: tuple(map(str, t))):
        used: list[tuple[URIRef, bool]] = [(URIRef(str(predicate)), True)]
        if predicate == RDF.type and isinstance(obj, URIRef):
            used.append((obj, False))
        for term, is_property in used:
            if term in seen:
                continue
            vocabulary = vocabulary_of(str(term), vocabularies)
            local = str(term)[len(vocabulary.namespace) :] if vocabulary else ""
            if vocabulary is None or vocabulary.defines(local):
                continue
            seen.add(term)
            pool = vocabulary.properties if is_property else vocabulary.classes
            close = difflib.get_close_matches(local, sorted(pool or vocabulary.classes), 3, 0.6)
            suggestion = [names.iri(vocabulary.namespace + c) for c in close]
            kind = ("property", "egenskap") if is_property else ("class", "klasse")
            written = names(term)
            en = f"{written} is not a {kind[0]} of {vocabulary.names[0]}: " + (
                f"did you mean {' or '.join(suggestion)}?"
                if suggestion
                else "check the spelling, or use a term the vocabulary defines"
            )
            nb = f"{written} er ikke en {kind[1]} i {vocabulary.names[1]}: " + (
                f"mente du {' eller '.join(suggestion)}?"
                if suggestion
                else "sjekk stavingen, eller bruk et begrep vokabularet definerer"
            )
            yield violation(
                subject,
                term if is_property else RDF.type,
                None if is_property else term,
                en if lang != "nb" else nb,
                spotted,
                names,
            )


def unknown_themes(
    graph: Graph, themes: Themes, names: NodeNames, spotted: Spotter, lang: str
) -> Iterator[Violation]:
    """Objects of SKOS mapping properties in a theme namespace that are not themes."""
    for mapping in MAPPINGS:
        for subject, theme in sorted(graph.subject_objects(mapping), key=str_pair):
            authority = authority_of(str(theme))
            if authority is None or themes.get(str(theme)) is not None:
                continue
            close = [names.iri(iri) for iri in themes.suggestions(str(theme))]
            written = names(theme)
            if lang == "nb":
                message = f"{written} finnes ikke i {authority.key}-autoritetens fil" + (
                    f": mente du {' eller '.join(close)}?"
                    if close
                    else ": slå opp temaet i autoriteten og bruk IRI-en derfra"
                )
            else:
                message = f"{written} is not a theme in the {authority.key} authority's file" + (
                    f": did you mean {' or '.join(close)}?"
                    if close
                    else ": look the theme up in the authority and use its IRI"
                )
            yield violation(subject, mapping, theme, message, spotted, names)


def unclosed_los(
    graph: Graph,
    dataset: Graph,
    themes: Themes,
    names: NodeNames,
    spotted: Spotter,
    lang: str,
) -> Iterator[Violation]:
    """A focus area that names a LOS sub-theme but not the theme above it."""
    for mapping in NAMING:
        for subject, theme in sorted(graph.subject_objects(mapping), key=str_pair):
            found = themes.get(str(theme))
            if found is None or found.authority.key != "LOS":
                continue
            for parent in themes.broader_chain(str(theme)):
                if any((subject, naming, URIRef(parent)) in dataset for naming in NAMING):
                    continue
                label = found.label("nb" if lang == "nb" else "en") or found.label("nb") or ""
                written, above = names(theme), names.iri(parent)
                if lang == "nb":
                    message = (
                        f"nevner LOS-undertemaet {written} ({label}), men ikke temaet over det: "
                        f"legg til skos:broadMatch {above}"
                    )
                else:
                    message = (
                        f"names the LOS sub-theme {written} ({label}) but not the theme above "
                        f"it: add skos:broadMatch {above}"
                    )
                yield violation(subject, mapping, theme, message, spotted, names)


def str_pair(pair: tuple[Node, Node]) -> tuple[str, str]:
    return str(pair[0]), str(pair[1])


def violation(
    subject: Node,
    path: URIRef,
    value: Node | None,
    message: str,
    spotted: Spotter,
    names: NodeNames,
) -> Violation:
    """A blocking result at the line where ``value`` (else ``path``) is written."""
    line = spotted.line(value if isinstance(value, URIRef) else path)
    where = spotted.file.name if line is None else f"{spotted.file.name}:{line}"
    return Violation(
        severity="Violation",
        focus=subject,
        result_path=path,
        path=names(path),
        message=message,
        source_shape=None,
        value=None,  # the message names it, as the file writes it
        files=(where,),
    )


class Spotter:
    """Finds the first line of a file where an IRI is written, in any form it may take."""

    def __init__(self, file: SourceFile, text: str, base: str) -> None:
        self.file = file
        self.text = text
        self.base = base
        graph = file.graph
        self.prefixes = [] if graph is None else [(p, str(ns)) for p, ns in graph.namespaces()]

    def line(self, iri: URIRef) -> int | None:
        forms = [re.escape(f"<{iri}>")]
        if str(iri).startswith(self.base):
            forms.append(re.escape(f"<{str(iri)[len(self.base) :]}>"))
        for prefix, namespace in self.prefixes:
            if str(iri).startswith(namespace) and len(str(iri)) > len(namespace):
                local = re.escape(str(iri)[len(namespace) :])
                forms.append(rf"(?<![\w:.-]){re.escape(prefix)}:{local}(?![\w-])")
        if iri == RDF.type:
            forms.append(r"(?<![\w:])a(?=\s)")
        for line_number, line in enumerate(self.text.splitlines(), start=1):
            if line.lstrip().startswith("#"):
                continue
            if any(re.search(form, line) for form in forms):
                return line_number
        return None
