"""What the level page shows: one level of a strategy, titled with its strategy.

``read_level(store, labels, iri)`` reads the level's own name and its strategy's (the
title is both: "Regionalt nivå — Strategi for … 2022-2035", as ``Labels`` names a level
everywhere), the council whose strategy it is, the level of government, the stakeholders
and focus areas at that level (compound focus areas with their parts, as on the strategy
page: ``strategy.read_stakeholders`` and ``read_focus_areas``), the strategy's levels in
order for moving between them, and the sources. The query is ``queries/level/level.rq``.
"""

from __future__ import annotations

from dataclasses import dataclass

from iprkg.core.vocabulary import DCT
from iprkg.engine.results import Text, iri_ref, select
from iprkg.engine.store import ReadOnlyStore
from iprkg.services.council import Named, facts_of, named, values
from iprkg.services.labels import Labels
from iprkg.services.page_queries import query
from iprkg.services.strategy import FocusArea, Labelled, read_focus_areas, read_stakeholders


@dataclass
class Level:
    iri: str
    title: Text
    """The level's name with its strategy's."""
    own_label: Text
    strategy: Named
    council: Named | None
    government: Named | None
    stakeholders: list[Labelled]
    focus_areas: list[FocusArea]
    levels: list[Named]
    """The strategy's levels in order (this one among them)."""
    sources: list[Named]


def read_level(store: ReadOnlyStore, labels: Labels, iri: str) -> Level | None:
    """Everything the page shows about the strategy level ``iri``; None if it is not one."""
    subject = iri_ref(iri)
    rows = select(store, query("level/level", level=subject))
    if not rows:
        return None
    first = rows[0]
    siblings: list[str] = []
    for row in rows:
        sibling = str(row.get("sibling", ""))
        if sibling and sibling not in siblings:
            siblings.append(sibling)
    owner = f"VALUES ?owner {{ {subject} }}"
    council, government = first.get("council"), first.get("government")
    return Level(
        iri=iri,
        title=Text(labels.label(iri, "nb"), labels.label(iri, "en")),
        own_label=Text(labels.own_label(iri, "nb"), labels.own_label(iri, "en")),
        strategy=named(labels, str(first["strategy"])),
        council=named(labels, str(council)) if council is not None else None,
        government=named(labels, str(government)) if government is not None else None,
        stakeholders=read_stakeholders(store, owner).get(iri, []),
        focus_areas=read_focus_areas(store, owner).get(iri, []),
        levels=[
            Named(s, Text(labels.own_label(s, "nb"), labels.own_label(s, "en"))) for s in siblings
        ],
        sources=[named(labels, s) for s in values(facts_of(store, iri), f"{DCT}source")],
    )
