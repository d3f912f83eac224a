"""What the municipality page shows: the councils it belongs to, its numbers over time.

``read_municipality(store, labels, iri)`` reads the municipality's names and notes, its
county (``ipr:inCounty``), when it ended and what replaced it (where the data say), the
councils it is a member of (with its roles and periods), takes part in or founded, its
municipality numbers (kommunenummer) with the years each was valid, its organisation
number, its Wikidata item, its homepage, its sources and the attribution their licences
ask for (``cc:attributionName`` of a source, "© Kartverket" for the municipalities of
2024). The queries are the files in ``queries/municipality/``; names come from the app's
``Labels``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from iprkg.core.vocabulary import DCAT, DCT, FOAF, RDF, SKOS
from iprkg.engine.results import Text, iri_ref, select
from iprkg.engine.store import ReadOnlyStore
from iprkg.services.council import (
    IPR_LOCAL,
    Identifier,
    Named,
    facts_of,
    identifiers,
    named,
    plain_note,
    texts,
    values,
)
from iprkg.services.labels import Labels
from iprkg.services.page_queries import query

CC = "http://creativecommons.org/ns#"
HOW = ("member", "participant", "founder")
"""How a municipality is tied to a council, in the order the page lists them."""


@dataclass
class Tie:
    """A council and how the municipality belongs to it."""

    council: Named
    how: str
    """``member``, ``participant`` or ``founder`` (the template says it in words)."""
    roles: list[Named] = field(default_factory=list)
    periods: list[tuple[str, str]] = field(default_factory=list)
    date: str = ""


@dataclass(frozen=True)
class Number:
    iri: str
    notation: str
    start: str
    end: str


@dataclass
class Municipality:
    iri: str
    title: Text
    other_names: list[Text]
    created: str
    ended: str
    """``dcat:endDate``: the last day it was a municipality ('' while it is one)."""
    successors: list[Named]
    """``dct:isReplacedBy``: what took over, where a source says."""
    counties: list[Named]
    notes: list[Text]
    councils: list[Tie]
    numbers: list[Number]
    organisation_numbers: list[str]
    identifiers: list[Identifier]
    homepages: list[str]
    sources: list[Named]
    attributions: list[tuple[Named, str]]
    """A source and what its licence asks to be said, e.g. "© Kartverket"."""


def read_municipality(store: ReadOnlyStore, labels: Labels, iri: str) -> Municipality | None:
    """Everything the page shows about the municipality ``iri``; None if it is not one."""
    ipr = f"{store.base_iri}{IPR_LOCAL}"
    facts = facts_of(store, iri)
    if f"{ipr}Municipality" not in values(facts, f"{RDF}type"):
        return None
    subject = iri_ref(iri)
    ties: dict[tuple[str, str], Tie] = {}
    for row in select(store, query("municipality/councils", member=subject)):
        council, how = str(row["council"]), str(row["how"])
        tie = ties.setdefault((council, how), Tie(named(labels, council), how))
        role = row.get("role")
        if role is not None and str(role) not in {r.iri for r in tie.roles}:
            tie.roles.append(named(labels, str(role)))
        period = (str(row.get("start", "")), str(row.get("end", "")))
        if any(period) and period not in tie.periods:
            tie.periods.append(period)
        tie.date = tie.date or str(row.get("date", ""))
    for tie in ties.values():  # rows come in the store's order: make it the same anywhere
        tie.roles.sort(key=lambda role: (role.label.nb.casefold(), role.iri))
        tie.periods.sort()
    numbers = [
        Number(
            str(row["number"]),
            str(row.get("notation", "")),
            str(row.get("start", "")),
            str(row.get("end", "")),
        )
        for row in select(store, query("municipality/numbers", municipality=subject))
    ]
    sources = values(facts, f"{DCT}source")
    return Municipality(
        iri=iri,
        title=Text(labels.label(iri, "nb"), labels.label(iri, "en")),
        other_names=[
            name for name in texts(facts, f"{SKOS}altLabel") if name.nb != labels.label(iri, "nb")
        ],
        created=next(iter(values(facts, f"{DCT}created")), ""),
        ended=next(iter(values(facts, f"{DCAT}endDate")), ""),
        successors=[named(labels, s) for s in values(facts, f"{DCT}isReplacedBy")],
        counties=[named(labels, county) for county in values(facts, f"{ipr}inCounty")],
        notes=[plain_note(note) for note in texts(facts, f"{SKOS}note")],
        councils=sorted(
            ties.values(),
            key=lambda tie: (HOW.index(tie.how), tie.council.label.nb.casefold(), tie.council.iri),
        ),
        numbers=numbers,
        organisation_numbers=values(facts, f"{ipr}organisationNumber"),
        identifiers=identifiers(facts),
        homepages=values(facts, f"{FOAF}homepage"),
        sources=[named(labels, source) for source in sources],
        attributions=[
            (named(labels, source), name)
            for source in sources
            for name in attribution(store, source)
        ],
    )


def attribution(store: ReadOnlyStore, source: str) -> list[str]:
    """The ``cc:attributionName`` of ``source``, if it has one."""
    return values(facts_of(store, source), f"{CC}attributionName")
