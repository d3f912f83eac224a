"""What the focus-area page shows: where strategies name the focus area, its themes, its parts.

``read_focus_area(store, iri)`` reads, through the store interface, the focus area's names,
definition and notes; the strategies that name it, at which of their levels (or on the
strategy itself), and whether they name it themselves or as part of a compound focus area;
the themes of LOS and the EU data themes it is mapped to (docs/model.md: the mappings that
count as naming the theme, and those only related); its parts, or the compound focus areas
it is a part of; and the joint meetings that discussed it. The queries are the files in
``queries/focus-area/`` (``page_queries``). Labels are the page's (``labels``): the reader
gives IRIs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from iprkg.core.vocabulary import SKOS
from iprkg.engine.results import Row, iri_ref, select
from iprkg.engine.store import ReadOnlyStore
from iprkg.services.comparison import EU_PREFIX, LOS_PREFIX
from iprkg.services.page_queries import query

COUNTED = ("exactMatch", "closeMatch", "broadMatch")
"""Mappings by which a focus area names a theme: they count in the comparison."""
RELATED = ("relatedMatch", "narrowMatch")
"""Mappings published but not counted."""


@dataclass(frozen=True)
class Phrase:
    """A text in one language, as the data give it."""

    lang: str
    text: str


@dataclass(frozen=True)
class Naming:
    """A strategy naming the focus area: on ``level`` (or on the strategy itself, "") and
    through the compound focus area ``via`` (or the area itself, "")."""

    strategy: str
    council: str
    level: str = ""
    position: int = 0
    via: str = ""


@dataclass(frozen=True)
class ThemeLink:
    theme: str
    mapping: str
    """The SKOS mapping's local name (the page says it in words)."""
    scheme: str
    """``LOS`` or ``EU`` (or ``""`` for a theme of neither)."""

    @property
    def counted(self) -> bool:
        return self.mapping in COUNTED


@dataclass
class FocusAreaFacts:
    iri: str
    compound: bool
    names: list[Phrase] = field(default_factory=list)
    other_names: list[Phrase] = field(default_factory=list)
    definitions: list[Phrase] = field(default_factory=list)
    notes: list[Phrase] = field(default_factory=list)
    namings: list[Naming] = field(default_factory=list)
    themes: list[ThemeLink] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    wholes: list[str] = field(default_factory=list)
    meetings: list[tuple[str, str]] = field(default_factory=list)
    """``(meeting IRI, its date as given)``."""

    @property
    def councils(self) -> list[str]:
        """The councils whose strategies name the focus area, once each."""
        return list(dict.fromkeys(naming.council for naming in self.namings))


def phrases(rows: list[Row], local: str) -> list[Phrase]:
    wanted = f"{SKOS}{local}"
    found = [
        Phrase(row["text"].lang, str(row["text"]))
        for row in rows
        if "property" in row and str(row["property"]) == wanted
    ]
    return sorted(set(found), key=lambda phrase: (phrase.lang, phrase.text))


def scheme_of(theme: str) -> str:
    return "LOS" if theme.startswith(LOS_PREFIX) else "EU" if theme.startswith(EU_PREFIX) else ""


def number(term: object) -> int:
    text = str(term or "")
    return int(text) if text.isdigit() else 0


def read_focus_area(store: ReadOnlyStore, iri: str) -> FocusAreaFacts | None:
    """Everything the page shows about the focus area ``iri``; None if it is not one."""
    area = iri_ref(iri)
    rows = select(store, query("focus-area/focus-area", area=area))
    if not rows:
        return None
    facts = FocusAreaFacts(iri, compound=str(rows[0]["compound"]) == "true")
    facts.names = phrases(rows, "prefLabel")
    facts.other_names = phrases(rows, "altLabel")
    facts.definitions = phrases(rows, "definition") + phrases(rows, "scopeNote")
    facts.notes = phrases(rows, "note")
    facts.namings = sorted(
        {
            Naming(
                strategy=str(row["strategy"]),
                council=str(row["council"]),
                level=str(row.get("level", "")),
                position=number(row.get("position")),
                via="" if str(row["named"]) == iri else str(row["named"]),
            )
            for row in select(store, query("focus-area/named-by", area=area))
        },
        key=lambda naming: (naming.council, naming.strategy, naming.position, naming.via),
    )
    facts.themes = sorted(
        {
            ThemeLink(str(row["theme"]), mapping, scheme_of(str(row["theme"])))
            for row in select(store, query("focus-area/themes", area=area))
            if (mapping := str(row["mapping"]).removeprefix(SKOS))
        },
        key=lambda link: (not link.counted, link.scheme != "LOS", link.theme),
    )
    for row in select(store, query("focus-area/parts", area=area)):
        if "part" in row:
            facts.parts.append(str(row["part"]))
        if "whole" in row:
            facts.wholes.append(str(row["whole"]))
    facts.parts.sort()
    facts.wholes.sort()
    facts.meetings = [
        (str(row["meeting"]), str(row.get("date", "")))
        for row in select(store, query("focus-area/meetings", area=area))
    ]
    return facts
