"""What the strategy page shows: a strategy that reads like the strategy, in nb and en.

``read_strategy(store, iri)`` reads, through the store interface, the title, the council
and its purpose, the period, the levels in order with their stakeholders and focus areas
(compound ones with their parts), the focus areas and stakeholders the strategy names
itself rather than on a level (a strategy without levels, such as Sognarådet's), the
premises and ambitions in order, the emphasised UN goals in the UN's colours, and the
sources. It works for any council's strategy. The queries are the files in
``queries/strategy/`` (``page_queries``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from iprkg.engine.results import Row, Term, Text, iri_ref, select, text
from iprkg.engine.store import ReadOnlyStore
from iprkg.services.page_queries import query, unique

SDG_COLOURS: dict[int, str] = {
    1: "#E5243B",
    2: "#DDA63A",
    3: "#4C9F38",
    4: "#C5192D",
    5: "#FF3A21",
    6: "#26BDE2",
    7: "#FCC30B",
    8: "#A21942",
    9: "#FD6925",
    10: "#DD1367",
    11: "#FD9D24",
    12: "#BF8B2E",
    13: "#3F7E44",
    14: "#0A97D9",
    15: "#56C02B",
    16: "#00689D",
    17: "#19486A",
}
"""The official colour of each UN Sustainable Development Goal, by goal number.

Source: the United Nations' "Sustainable Development Goals: Guidelines for the use of the
SDG logo including the colour wheel, and 17 icons" (the SDG brand guidelines), colour
codes in hex.
"""

SDG_GOAL_PREFIX = "http://metadata.un.org/sdg/"


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of ``#RRGGBB``."""
    channels = []
    for at in (1, 3, 5):
        value = int(colour[at : at + 2], 16) / 255
        linear = value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
        channels.append(linear)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two ``#RRGGBB`` colours (1 to 21)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)))[::-1]
    return (lighter + 0.05) / (darker + 0.05)


def text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with ``background`` (always >= 4.5:1)."""
    black, white = "#000000", "#FFFFFF"
    return (
        white if contrast_ratio(white, background) >= contrast_ratio(black, background) else black
    )


@dataclass(frozen=True)
class Labelled:
    """A resource with its display label in nb and en."""

    iri: str
    label: Text
    note: Text = field(default_factory=Text)
    """Another name (a stakeholder's ``skos:altLabel``: the source's wording or the full
    name)."""


@dataclass
class FocusArea:
    iri: str
    label: Text
    parts: list[Labelled] = field(default_factory=list)


@dataclass
class Level:
    iri: str
    position: int
    label: Text
    government_level: str
    stakeholders: list[Labelled] = field(default_factory=list)
    focus_areas: list[FocusArea] = field(default_factory=list)


@dataclass(frozen=True)
class Goal:
    iri: str
    number: int
    name: Text
    colour: str
    text_colour: str


@dataclass
class Strategy:
    iri: str
    title: Text
    council: Labelled
    purpose: Text
    period: Text
    start: str
    end: str
    goals_statement: Text
    document: Labelled | None
    document_size: str
    levels: list[Level]
    focus_areas: list[FocusArea]
    """Focus areas the strategy names itself, not on one of its levels."""
    stakeholders: list[Labelled]
    """Stakeholders the strategy names itself, not on one of its levels."""
    premises: list[Labelled]
    ambitions: list[Labelled]
    goals: list[Goal]
    sources: list[Labelled]


def read_strategy(store: ReadOnlyStore, iri: str) -> Strategy | None:
    """Everything the page shows about the strategy ``iri``; None if it is not one."""
    subject = iri_ref(iri)
    rows = select(store, query("strategy/strategy", strategy=subject))
    if not rows:
        return None
    row = rows[0]
    council = row.get("council")
    document = row.get("document")
    return Strategy(
        iri=iri,
        title=text(row, "titleNb", "titleEn"),
        council=Labelled(str(council), text(row, "councilNb", "councilEn"))
        if council
        else Labelled("", Text()),
        purpose=text(row, "purposeNb", "purposeEn"),
        period=text(row, "periodNb", "periodEn"),
        start=str(row.get("start", "")),
        end=str(row.get("end", "")),
        goals_statement=text(row, "goalsNb", "goalsEn"),
        document=Labelled(str(document), text(row, "documentNb", "documentEn"))
        if document
        else None,
        document_size=str(row.get("size", "")),
        levels=read_levels(store, subject),
        focus_areas=read_focus_areas(store, f"VALUES ?owner {{ {subject} }}").get(iri, []),
        stakeholders=read_stakeholders(store, f"VALUES ?owner {{ {subject} }}").get(iri, []),
        premises=read_ordered(store, subject, "hasPremise"),
        ambitions=read_ordered(store, subject, "hasAmbition"),
        goals=read_goals(store, subject),
        sources=read_sources(store, subject),
    )


def read_levels(store: ReadOnlyStore, subject: str) -> list[Level]:
    """The strategy's levels in order, each with its stakeholders and focus areas."""
    levels: dict[str, Level] = {}
    for row in select(store, query("strategy/levels", strategy=subject)):
        iri = str(row["level"])
        levels.setdefault(
            iri,
            Level(
                iri=iri,
                position=position(row),
                label=text(row, "levelNb", "levelEn"),
                government_level=str(row.get("government", "")),
            ),
        )
    owners = f"{subject} ipr:hasLevel ?owner ."
    for owner, stakeholders in read_stakeholders(store, owners).items():
        levels[owner].stakeholders.extend(stakeholders)
    for owner, areas in read_focus_areas(store, owners).items():
        levels[owner].focus_areas.extend(areas)
    return list(levels.values())


def read_stakeholders(store: ReadOnlyStore, owners: str) -> dict[str, list[Labelled]]:
    """The stakeholders (``ipr:worksTowards``) of each ``?owner`` that the graph pattern
    ``owners`` binds (the strategy's levels, or the strategy itself), by owner."""
    rows = select(store, query("strategy/stakeholders", owners=owners))
    found: dict[str, list[Labelled]] = {}
    for row in unique(rows, "owner", "item"):
        stakeholder = Labelled(
            str(row["item"]), text(row, "itemNb", "itemEn"), note=text(row, "altNb", "altEn")
        )
        found.setdefault(str(row["owner"]), []).append(stakeholder)
    return found


def read_focus_areas(store: ReadOnlyStore, owners: str) -> dict[str, list[FocusArea]]:
    """The focus areas (``ipr:focusArea``), compound ones with their parts, of each
    ``?owner`` that the graph pattern ``owners`` binds, by owner."""
    rows = select(store, query("strategy/focus-areas", owners=owners))
    found: dict[str, list[FocusArea]] = {}
    for row in unique(rows, "owner", "item", "part"):
        focus_areas = found.setdefault(str(row["owner"]), [])
        if not focus_areas or focus_areas[-1].iri != str(row["item"]):
            focus_areas.append(FocusArea(str(row["item"]), text(row, "itemNb", "itemEn")))
        if "part" in row:
            part = Labelled(str(row["part"]), text(row, "partNb", "partEn"))
            focus_areas[-1].parts.append(part)
    return found


def read_ordered(store: ReadOnlyStore, subject: str, link: str) -> list[Labelled]:
    """The premises or ambitions (``link``) in the order of their ``ipr:position``."""
    rows = select(store, query("strategy/ordered", strategy=subject, link=link))
    return [
        Labelled(str(row["item"]), text(row, "itemNb", "itemEn")) for row in unique(rows, "item")
    ]


def read_goals(store: ReadOnlyStore, subject: str) -> list[Goal]:
    """The emphasised UN goals by number, each with its name and the UN's colour."""
    rows = select(store, query("strategy/goals", strategy=subject))
    goals = []
    for row in unique(rows, "goal"):
        number = goal_number(str(row["goal"]), row.get("notation"))
        colour = SDG_COLOURS.get(number, "#5A5A5A")
        goals.append(
            Goal(
                str(row["goal"]), number, text(row, "nameNb", "nameEn"), colour, text_colour(colour)
            )
        )
    return sorted(goals, key=lambda goal: (goal.number, goal.iri))


def read_sources(store: ReadOnlyStore, subject: str) -> list[Labelled]:
    """What the strategy and its parts cite as their sources (``dct:source``)."""
    rows = select(store, query("strategy/sources", strategy=subject))
    return [
        Labelled(str(row["item"]), text(row, "itemNb", "itemEn")) for row in unique(rows, "item")
    ]


def position(row: Row) -> int:
    value = row.get("position")
    return int(value.value) if value is not None and value.value.isdigit() else 0


def goal_number(iri: str, notation: Term | None) -> int:
    """The goal's number: its ``skos:notation``, else the last segment of the UN's IRI."""
    for candidate in (str(notation or ""), iri.removeprefix(SDG_GOAL_PREFIX)):
        if candidate.isdigit():
            return int(candidate)
    return 0
