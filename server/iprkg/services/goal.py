"""What the page of a UN Sustainable Development Goal shows.

``read_goal(store, iri, comparison)`` reads, through the store interface, the goal's
number (``skos:notation``), its names (nb ``skos:prefLabel``, en ``skos:altLabel``, as
``data/vocabularies/sdg.ttl`` gives them), the UN's colour (``strategy.SDG_COLOURS``),
its matches elsewhere (Wikidata), and the strategies that emphasise it with their
councils; from the comparison (``comparison.Comparison``, the one statement of "named",
"absent" and "unknown"), which councils name it, which are known not to, and for which
it is unknown. The queries are the files in ``queries/goal/``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from iprkg.core.vocabulary import SKOS
from iprkg.engine.results import iri_ref, select
from iprkg.engine.store import ReadOnlyStore
from iprkg.services.comparison import ABSENT, NAMED, UNKNOWN, Comparison
from iprkg.services.focus_area import Phrase
from iprkg.services.page_queries import query
from iprkg.services.strategy import SDG_COLOURS, goal_number, text_colour

WIKIDATA = "http://www.wikidata.org/entity/"


@dataclass
class GoalFacts:
    iri: str
    number: int
    colour: str
    text_colour: str
    names: list[Phrase] = field(default_factory=list)
    definitions: list[Phrase] = field(default_factory=list)
    matches: list[str] = field(default_factory=list)
    """The goal elsewhere (``skos:exactMatch``): Wikidata's item."""
    strategies: list[tuple[str, str]] = field(default_factory=list)
    """``(strategy, council)`` for each strategy that emphasises the goal."""
    councils: dict[str, list[str]] = field(default_factory=dict)
    """The councils by their status for this goal in the comparison (named, absent,
    unknown)."""

    @property
    def wikidata(self) -> list[tuple[str, str]]:
        """``(Q-number, IRI)`` of each Wikidata match."""
        return [(iri[len(WIKIDATA) :], iri) for iri in self.matches if iri.startswith(WIKIDATA)]


def read_goal(store: ReadOnlyStore, iri: str, comparison: Comparison | None) -> GoalFacts | None:
    """Everything the page shows about the UN goal ``iri``; None if it is not one."""
    subject = iri_ref(iri)
    rows = select(store, query("goal/goal", goal=subject))
    if not rows:
        return None

    def values(local: str) -> list[str]:
        return sorted({str(r["text"]) for r in rows if str(r.get("property", "")) == SKOS + local})

    notation = next(iter(values("notation")), "")
    number = int(notation) if notation.isdigit() else goal_number(iri, None)
    colour = SDG_COLOURS.get(number, "#5A5A5A")
    names = {
        Phrase(row["text"].lang, str(row["text"]))
        for row in rows
        if str(row.get("property", "")) in (f"{SKOS}prefLabel", f"{SKOS}altLabel")
        and row["text"].lang
    }
    facts = GoalFacts(iri, number, colour, text_colour(colour))
    facts.names = sorted(names, key=lambda phrase: (phrase.lang, phrase.text))
    facts.definitions = sorted(
        {
            Phrase(r["text"].lang, str(r["text"]))
            for r in rows
            if str(r.get("property", "")) == f"{SKOS}definition"
        },
        key=lambda phrase: (phrase.lang, phrase.text),
    )
    facts.matches = values("exactMatch")
    facts.strategies = sorted(
        {
            (str(row["strategy"]), str(row["council"]))
            for row in select(store, query("goal/emphasised-by", goal=subject))
        }
    )
    if comparison is not None:
        matrix = comparison.goals
        facts.councils = {status: [] for status in (NAMED, ABSENT, UNKNOWN)}
        for council in matrix.councils:
            facts.councils[matrix.cell(iri, council).status].append(council)
    return facts
