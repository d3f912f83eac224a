"""What the stakeholder page shows: which councils engage with it, at which level.

``read_stakeholder(store, iri)`` reads, through the store interface, the stakeholder's
names (``rdfs:label``), the source's other wordings (``skos:altLabel``), its definition,
notes and kinds, and every strategy that engages with it (``ipr:worksTowards``), on one
of its levels or on the strategy itself, with the strategy's council. The queries are the
files in ``queries/stakeholder/`` (``page_queries``); labels are the page's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from iprkg.core.vocabulary import RDF, RDFS, SKOS
from iprkg.engine.results import Row, iri_ref, select
from iprkg.engine.store import ReadOnlyStore
from iprkg.services.focus_area import Naming, Phrase, number
from iprkg.services.page_queries import query

STAKEHOLDER = "ontology#Stakeholder"
"""The class every stakeholder has (after the base); the page names the others."""


@dataclass
class StakeholderFacts:
    iri: str
    names: list[Phrase] = field(default_factory=list)
    other_names: list[Phrase] = field(default_factory=list)
    definitions: list[Phrase] = field(default_factory=list)
    notes: list[Phrase] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    engagements: list[Naming] = field(default_factory=list)
    """Where a strategy engages with it: on ``level``, or on the strategy itself ("")."""

    @property
    def councils(self) -> list[str]:
        return list(dict.fromkeys(engagement.council for engagement in self.engagements))


def texts(rows: list[Row], prop: str) -> list[Phrase]:
    found = {
        Phrase(row["text"].lang, str(row["text"]))
        for row in rows
        if "property" in row and str(row["property"]) == prop
    }
    return sorted(found, key=lambda phrase: (phrase.lang, phrase.text))


def read_stakeholder(store: ReadOnlyStore, iri: str) -> StakeholderFacts | None:
    """Everything the page shows about the stakeholder ``iri``; None if it is not one."""
    subject = iri_ref(iri)
    rows = select(store, query("stakeholder/stakeholder", stakeholder=subject))
    if not rows:
        return None
    facts = StakeholderFacts(iri)
    facts.names = texts(rows, f"{RDFS}label")
    facts.other_names = texts(rows, f"{SKOS}altLabel")
    facts.definitions = texts(rows, f"{SKOS}definition")
    facts.notes = texts(rows, f"{SKOS}note")
    facts.kinds = sorted(
        {
            str(row["text"])
            for row in rows
            if "property" in row
            and str(row["property"]) == f"{RDF}type"
            and not str(row["text"]).endswith(STAKEHOLDER)
        }
    )
    facts.engagements = sorted(
        {
            Naming(
                strategy=str(row["strategy"]),
                council=str(row["council"]),
                level=str(row.get("level", "")),
                position=number(row.get("position")),
            )
            for row in select(store, query("stakeholder/engaged-by", stakeholder=subject))
        },
        key=lambda naming: (naming.council, naming.strategy, naming.position),
    )
    return facts
