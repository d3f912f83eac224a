"""Expectations about councils read from ``../shared/sources/more-councils.md`` (issue 19):
one ``Council`` per section, the section text by heading, and small readers of the built
dataset. Plain helpers; the tests that use them are tests/build/test_more_councils_*.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

BASE = "https://w3id.org/iprkg/"
IPR = f"{BASE}ontology#"
ORG = "http://www.w3.org/ns/org#"


@dataclass(frozen=True)
class FocusArea:
    """A focus area as the section words it, the concept carrying it and its label there."""

    wording: str
    concept: str
    label: str = ""  # the concept's label when it is not the wording (a reused concept)


@dataclass(frozen=True)
class Council:
    """What a council's section says, as the test's author read it."""

    slug: str
    heading: str  # the start of the section's "## " heading
    member_list: str  # "slug=Name, …" as the section writes the names; "" when unnamed
    form: str  # cooperation-form slug
    form_evidence: str  # the section's words that decide the form
    lists: str  # the section's completeness line
    focus_areas: tuple[FocusArea, ...] = ()
    titles: tuple[str, ...] = ()
    ambitions: tuple[str, ...] = ()
    stakeholders: tuple[str, ...] = ()  # stakeholder slugs, from stakeholder_evidence
    stakeholder_evidence: str = ""
    ended: tuple[str, ...] = ()  # members that are not municipalities of 2024
    uncertain: tuple[str, ...] = ()  # members whose membership is put in doubt
    participants: tuple[str, ...] = ()  # IRIs relative to BASE
    weak_sources: dict[str, str] = field(default_factory=dict)  # URL -> source-kind slug

    @property
    def members(self) -> dict[str, str]:
        pairs = self.member_list.split(", ") if self.member_list else []
        return dict(pair.split("=") for pair in pairs)

    @property
    def focus(self) -> str:
        """ "complete", "partial" or "unknown", from the completeness line."""
        found = re.search(r"focus areas (\w+)", self.lists)
        assert found, f"no focus areas in {self.lists!r}"
        return found.group(1)


def sections_in(path: Path) -> dict[str, str]:
    """The file's "## " sections, keyed by heading."""
    parts = re.split(r"^## ", path.read_text(encoding="utf-8"), flags=re.MULTILINE)[1:]
    return {part.splitlines()[0]: part for part in parts}


def section_of(sections: dict[str, str], council: Council) -> str:
    found = [text for heading, text in sections.items() if heading.startswith(council.heading)]
    assert len(found) == 1, f"no single section headed {council.heading!r} in more-councils.md"
    return found[0]


def iri(path: str) -> URIRef:
    return URIRef(BASE + path)


def texts(graph: Graph, subject: Node, predicate: URIRef) -> set[str]:
    return {str(value) for value in graph.objects(subject, predicate) if isinstance(value, Literal)}


def says(found: set[str], expected: str) -> bool:
    """``expected`` is among ``found``, as written or with its first letter capitalised."""
    return expected in found or expected[:1].upper() + expected[1:] in found


def focus_areas(table: str) -> tuple[FocusArea, ...]:
    """Focus areas from "wording = concept;" pairs (for long wordings, one pair a line)."""
    pairs = [pair.rsplit(" = ", 1) for pair in table.split(";") if pair.strip()]
    return tuple(FocusArea(wording.strip(), concept.strip()) for wording, concept in pairs)
