"""The mends: upstream SHACL rules of the DCAT profiles that contradict their own
specification or another profile, changed in memory before a catalogue is validated
(``iprkg.services.dcat_profiles``), never in the shared files. Each says which rule, why,
and the evidence; docs/harvesting.md lists them, and a mend that no longer changes
anything is reported stale (upstream fixed the rule: remove the mend).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCAT, DCTERMS, SH, XSD
from rdflib.term import Node

DCATAP_TYPO = "http://data.europa.eu/r5r"
DCATAP = "http://data.europa.eu/r5r/"
DATA_THEME = "http://publications.europa.eu/resource/authority/data-theme"
LOS_SCHEME = "https://psi.norge.no/los/ontologi/tema"
PLANNED_AVAILABILITY = "http://publications.europa.eu/resource/authority/planned-availability"


@dataclass(frozen=True)
class Mend:
    """One upstream rule changed in memory before validating."""

    key: str
    """Named in docs/harvesting.md."""
    profiles: tuple[str, ...]
    rule: str
    why: str
    apply: Callable[[Graph], int]
    """Changes the shapes graph; answers how many rules it changed (0 = mend is stale)."""


# ---------------------------------------------------------------- the mends


def rename_iris(renames: dict[str, str]) -> Callable[[Graph], int]:
    """Replace IRIs (exactly, or ``DCATAP_TYPO`` followed by a term) everywhere."""

    def renamed(node: Node) -> Node:
        if not isinstance(node, URIRef):
            return node
        value = str(node)
        if value in renames:
            return URIRef(renames[value])
        if (
            DCATAP_TYPO in renames
            and value.startswith(DCATAP_TYPO)
            and value[len(DCATAP_TYPO) : len(DCATAP_TYPO) + 1].isalpha()
        ):
            return URIRef(DCATAP + value[len(DCATAP_TYPO) :])
        return node

    def apply(shapes: Graph) -> int:
        changed = 0
        for triple in list(shapes):
            mended = tuple(renamed(node) for node in triple)
            if mended != triple:
                shapes.remove(triple)
                shapes.add(mended)  # type: ignore[arg-type]
                changed += 1
        return changed

    return apply


PER_VALUE = (SH.node, SH["or"], SH.pattern, SH["in"], SH["class"])


def at_least_one_value(paths: Sequence[URIRef]) -> Callable[[Graph], int]:
    """A vocabulary rule on every value of ``paths`` becomes a rule that at least one
    value is from the vocabulary (``sh:qualifiedValueShape`` with ``sh:qualifiedMinCount
    1``); a ``sh:maxCount 1`` beside it goes."""

    def apply(shapes: Graph) -> int:
        changed = 0
        for shape in set(shapes.subjects(SH.path, None)):
            if shapes.value(shape, SH.path) not in paths:
                continue
            constraints = [(p, o) for p in PER_VALUE for o in shapes.objects(shape, p)]
            if not constraints:
                continue
            qualified = BNode()
            for predicate, value in constraints:
                shapes.remove((shape, predicate, value))
                shapes.add((qualified, predicate, value))
            shapes.add((shape, SH.qualifiedValueShape, qualified))
            shapes.set((shape, SH.qualifiedMinCount, Literal(1)))
            shapes.remove((shape, SH.maxCount, Literal(1)))
            changed += 1
        return changed

    return apply


def also_allow(path: URIRef, patterns: Sequence[str]) -> Callable[[Graph], int]:
    """A ``sh:or`` of ``sh:pattern``\\ s on ``path`` also accepts ``patterns``."""

    def apply(shapes: Graph) -> int:
        changed = 0
        for shape in set(shapes.subjects(SH.path, path)):
            for alternatives in list(shapes.objects(shape, SH["or"])):
                members = Collection(shapes, alternatives)
                if not all((m, SH.pattern, None) in shapes for m in members):
                    continue
                for pattern in patterns:
                    member = BNode()
                    shapes.add((member, SH.pattern, Literal(pattern)))
                    members.append(member)
                changed += 1
        return changed

    return apply


def replace_pattern(old: str, new: str) -> Callable[[Graph], int]:
    """Every ``sh:pattern old`` becomes ``sh:pattern new``."""

    def apply(shapes: Graph) -> int:
        found = list(shapes.subjects(SH.pattern, Literal(old)))
        for shape in found:
            shapes.set((shape, SH.pattern, Literal(new)))
        return len(found)

    return apply


def also_datatype(path: URIRef, old: URIRef, new: URIRef) -> Callable[[Graph], int]:
    """A ``sh:datatype old`` on ``path`` also accepts ``new`` (``sh:or`` of both)."""

    def apply(shapes: Graph) -> int:
        changed = 0
        for shape in set(shapes.subjects(SH.path, path)):
            if (shape, SH.datatype, old) not in shapes:
                continue
            shapes.remove((shape, SH.datatype, old))
            members: list[Node] = []
            for datatype in (old, new):
                member = BNode()
                shapes.add((member, SH.datatype, datatype))
                members.append(member)
            alternatives = BNode()
            Collection(shapes, alternatives, members)
            shapes.add((shape, SH["or"], alternatives))
            changed += 1
        return changed

    return apply


def drop_node_rule(path: URIRef, rule_name: str) -> Callable[[Graph], int]:
    """Remove ``sh:node`` ``…#rule_name`` (or ``…/rule_name``) from property shapes on
    ``path``."""

    def apply(shapes: Graph) -> int:
        changed = 0
        for shape in set(shapes.subjects(SH.path, path)):
            for rule in list(shapes.objects(shape, SH.node)):
                if str(rule).endswith(("#" + rule_name, "/" + rule_name)):
                    shapes.remove((shape, SH.node, rule))
                    changed += 1
        return changed

    return apply


NO3 = ("DCAT-AP-NO 3.0", "DCAT-AP-NO 3.0 (modular shapes)")
MENDS = (
    Mend(
        "dcatap-namespace",
        NO3,
        "The prefix dcatap: is declared without its trailing slash, so dcatap:availability "
        "and dcatap:applicableLegislation become http://data.europa.eu/r5ravailability …",
        "The DCAT-AP namespace is http://data.europa.eu/r5r/ (DCAT-AP 3.0.1, and the "
        "availability shapes of DCAT-AP-NO 3.0 itself, which name dcatap:availability).",
        rename_iris({DCATAP_TYPO: DCATAP}),
    ),
    Mend(
        "misspelt-terms",
        ("DCAT-AP-NO 3.0",),
        "sh:targetSUbjectOf, sh:MinCount, cv:hasLegalResouce and rov:Attribution are not "
        "terms of SHACL, CPSV or PROV.",
        "SHACL defines sh:targetSubjectsOf and sh:minCount; CPSV-AP cv:hasLegalResource; "
        "the shape's own message names prov:Attribution.",
        rename_iris(
            {
                f"{SH}targetSUbjectOf": f"{SH}targetSubjectsOf",
                f"{SH}MinCount": f"{SH}minCount",
                "http://data.europa.eu/m8g/hasLegalResouce": "http://data.europa.eu/m8g/hasLegalResource",
                "http://www.w3.org/ns/rov#Attribution": "http://www.w3.org/ns/prov#Attribution",
            }
        ),
    ),
    Mend(
        "at-least-one-from-the-vocabulary",
        (*NO3, "DCAT-AP-NO 2.0", "DCAT-AP 3.0.1"),
        "Rules that every dcat:theme and every dct:spatial come from the EU tables (and, "
        "in DCAT-AP-NO 3.0, at most one dcat:theme) are checked as: at least one value "
        "comes from them.",
        "The rules' own messages say 'at least one value' (min. 1 verdi); DCAT-AP's "
        "conformance section: the listed controlled vocabularies MUST be used, additional "
        "vocabularies MAY be used; DCAT-AP-NO gives dcat:theme cardinality 1..n and names "
        "LOS for Norwegian themes.",
        at_least_one_value((DCAT.theme, DCTERMS.spatial)),
    ),
    Mend(
        "theme-taxonomies",
        ("DCAT-AP-NO 3.0", "DCAT-AP-NO 2.0"),
        "dcat:themeTaxonomy 'should be from EuroVoc' also accepts the EU data themes and LOS.",
        "The same profiles make the EU data themes mandatory for dcat:theme, and DCAT-AP "
        "3.0.1 asks a catalogue to list that table as a theme taxonomy: a catalogue cannot "
        "follow both unless the data themes count.",
        also_allow(DCAT.themeTaxonomy, (f"^{DATA_THEME}$", f"^{LOS_SCHEME}$")),
    ),
    Mend(
        "iana-media-types",
        ("DCAT-AP-NO 3.0 (modular shapes)",),
        "dcat:mediaType, dcat:compressFormat and dcat:packageFormat must match "
        "^https://www.w3.org/ns/iana/media-types/application/*, which excludes text/turtle "
        "and the IRIs harvesters use.",
        "data.norge.no's own reference data (fdk-reference-data media-types.ttl) and "
        "DCAT-AP 3.0.1 name media types https://www.iana.org/assignments/media-types/…; "
        "IANA registers types other than application/ (text/turtle, RFC 4180's text/csv).",
        replace_pattern(
            "^https://www.w3.org/ns/iana/media-types/application/*",
            "^(https://www[.]w3[.]org/ns/iana/|https?://www[.]iana[.]org/assignments/)media-types/",
        ),
    ),
    Mend(
        "planned-availability",
        ("DCAT-AP-NO 3.0",),
        "dcatap:availability must come from http://data.europa.eu/r5r/availability/1.0.",
        "That is DCAT-AP 2's vocabulary; the modular shapes of DCAT-AP-NO 3.0 and DCAT-AP "
        "3.0.1 name the EU Planned Availability table "
        "(http://publications.europa.eu/resource/authority/planned-availability), which "
        "data.norge.no's reference data holds.",
        rename_iris(
            {
                f"{prefix}data.europa.eu/r5r/availability/1.0": PLANNED_AVAILABILITY
                for prefix in ("http://", "https://")
            }
        ),
    ),
    Mend(
        "spdx-namespace",
        ("DCAT-AP 3.0.1",),
        "spdx:algorithm must match ^https://spdx.org/rdf/terms, which no SPDX term does.",
        "The SPDX namespace is http://spdx.org/rdf/terms# (DCAT-AP 3.0.1's own prefix "
        "declaration); DCAT-AP-NO requires spdx:checksumAlgorithm_sha1 in it.",
        replace_pattern("^https://spdx.org/rdf/terms", "^https?://spdx.org/rdf/terms"),
    ),
    Mend(
        "byte-size-datatype",
        ("DCAT-AP-NO 2.0",),
        "dcat:byteSize must be xsd:decimal; it also accepts xsd:nonNegativeInteger.",
        "DCAT 3 (and DCAT-AP-NO 3.0, DCAT-AP 3.0.1) type byte sizes xsd:nonNegativeInteger, "
        "a type XML Schema derives from xsd:decimal, so the value is a decimal as 2.0 "
        "asks; SHACL's sh:datatype compares datatype IRIs only.",
        also_datatype(DCAT.byteSize, XSD.decimal, XSD.nonNegativeInteger),
    ),
    Mend(
        "eu-corporate-bodies",
        ("DCAT-AP 3.0.1",),
        "Every dct:publisher is asked to be in the EU corporate bodies table.",
        "DCAT-AP 3.0.1's usage note for that table: it is for EU institutions and a few "
        "international organisations; other publishers use national, regional or local "
        "identifiers. Our publisher is neither.",
        drop_node_rule(DCTERMS.publisher, "CorporateBodyRestriction"),
    ),
)
