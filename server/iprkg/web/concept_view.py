"""What the focus-area, stakeholder and goal pages share (not a blueprint): texts in the
page's language, notes in plain words, and where strategies name something, grouped by
council and strategy with each level in the strategy's order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from iprkg.services.focus_area import Naming, Phrase
from iprkg.services.labels import LANGUAGE_TAGS
from iprkg.services.plain_notes import plain
from iprkg.web.context import current_labels, current_store
from iprkg.web.dates import readable_date
from iprkg.web.templating import page_language


@dataclass
class Place:
    """Where in a strategy: a level (or the strategy itself, ""), and through which compound
    focus area ("" for the thing itself)."""

    level: str
    level_label: str
    via: str = ""


@dataclass
class StrategyPlaces:
    strategy: str
    places: list[Place] = field(default_factory=list)


@dataclass
class CouncilPlaces:
    council: str
    label: str
    strategies: list[StrategyPlaces] = field(default_factory=list)


def label(iri: str) -> str:
    return current_labels().label(iri, page_language())


def by_label(iris: Iterable[str]) -> list[str]:
    """``iris`` once each, sorted by their labels in the page language."""
    return sorted(dict.fromkeys(iris), key=lambda iri: (label(iri).casefold(), iri))


def in_language(phrases: Sequence[Phrase]) -> list[Phrase]:
    """The phrases in the page language (a Bokmål page: nb, then no, then nn); else those
    without a language; else all of them."""
    lang = page_language()
    for tag in LANGUAGE_TAGS.get(lang, (lang,)):
        chosen = [phrase for phrase in phrases if phrase.lang.split("-")[0] == tag]
        if chosen:
            return chosen
    untagged = [phrase for phrase in phrases if not phrase.lang]
    return untagged or list(phrases)


def other_languages(phrases: Sequence[Phrase]) -> list[Phrase]:
    """The phrases not in the page language (names in the other languages)."""
    shown = set(in_language(phrases))
    return [phrase for phrase in phrases if phrase not in shown]


def plain_notes(phrases: Sequence[Phrase]) -> list[str]:
    """The notes in the page language, their machine names said in words."""
    base, lang = current_store().base_iri, page_language()
    return [
        plain(phrase.text, label, base, lambda day: readable_date(day, lang))
        for phrase in in_language(phrases)
    ]


def grouped(namings: Sequence[Naming]) -> list[CouncilPlaces]:
    """``namings`` by council (by label), then strategy, each level in its position."""
    labels, lang = current_labels(), page_language()
    councils: dict[str, CouncilPlaces] = {}
    for naming in sorted(namings, key=lambda n: (n.strategy, n.position, n.level, n.via)):
        entry = councils.setdefault(
            naming.council, CouncilPlaces(naming.council, label(naming.council))
        )
        if not entry.strategies or entry.strategies[-1].strategy != naming.strategy:
            entry.strategies.append(StrategyPlaces(naming.strategy))
        level_label = labels.own_label(naming.level, lang) if naming.level else ""
        entry.strategies[-1].places.append(Place(naming.level, level_label, naming.via))
    return sorted(councils.values(), key=lambda entry: (entry.label.casefold(), entry.council))
