"""The data-quality report: per council, what the data know, what is unknown, what is
uncertain and what rests only on weaker sources, each with what to add, in nb and en.

``read_quality(store, labels)`` asks the queries in ``queries/quality/`` (``page_queries``)
of any store: the served one for the page ``/quality``, or the validated sources for
``iprkg validate --report`` (``source_store``). The report says, for each council:

* **known**: its legal form, founding date, members (and whether that list is complete),
  each strategy with its period, and the focus areas, UN goals and stakeholders each names
  (and whether each list is complete);
* **unknown**: a legal form the sources do not state (``cooperation-form/regionrad``), a
  list said to be neither complete nor incomplete, or cut off, a missing founding date, no
  strategy or no period;
* **uncertain**: what belongs to the council and is marked ``ipr:uncertain true``, with
  its note;
* **weaker**: what belongs to the council and whose every ``dct:source`` is a page of a
  kind under ``source-kind/weaker-source`` (a news item, a third-party copy, a draft).

Every item names things by label and says in plain words what to add (``advice``); the
command line also shows the Turtle to write (``hint``). What is uncertain or rests on
weaker sources but belongs to no council is reported under ``others``. The wording is
``quality_wording``'s (and ``Item``, re-exported here).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import pyoxigraph
from rdflib import Graph

from iprkg.core.formats import N_TRIPLES
from iprkg.engine.oxigraph_store import OxigraphStore
from iprkg.engine.results import Row, Text, select
from iprkg.engine.store import ReadOnlyStore
from iprkg.services.labels import Labels
from iprkg.services.page_queries import query
from iprkg.services.quality_wording import OTHERS, Item, Sayer

KINDS = ("known", "unknown", "uncertain", "weaker")
"""The kinds of item, in the order the report gives them."""
NOT_STATED = "cooperation-form/regionrad"
"""The form of cooperation that says "the sources do not state the legal form" (relative
to the base)."""
MEMBERS = "http://www.w3.org/ns/org#hasMember"
STRATEGY_LISTS = ("ontology#focusArea", "ontology#emphasisesGoal", "ontology#worksTowards")
"""The strategies' lists, in the order the report gives them (relative to the base)."""

DateOf = Callable[[str, str], str]
"""How a date is said: ``date_of(iso, lang)``."""


def as_written(iso: str, lang: str) -> str:
    """A date as the data write it (the command line's default)."""
    return iso


@dataclass
class CouncilQuality:
    """The report on one council (or, as ``QualityReport.others``, on no council)."""

    iri: str
    label: Text
    items: list[Item] = field(default_factory=list)

    def of(self, kind: str) -> list[Item]:
        return [item for item in self.items if item.kind == kind]

    @property
    def known(self) -> list[Item]:
        return self.of("known")

    @property
    def unknown(self) -> list[Item]:
        return self.of("unknown")

    @property
    def uncertain(self) -> list[Item]:
        return self.of("uncertain")

    @property
    def weaker(self) -> list[Item]:
        return self.of("weaker")

    @property
    def to_add(self) -> int:
        """How many items ask for something to be added."""
        return sum(1 for item in self.items if item.advice)


@dataclass
class QualityReport:
    councils: list[CouncilQuality]
    others: CouncilQuality
    """Uncertain items and items on weaker sources that belong to no council."""

    def count(self, kind: str) -> int:
        return sum(len(council.of(kind)) for council in [*self.councils, self.others])


def read_quality(
    store: ReadOnlyStore, labels: Labels, date_of: DateOf = as_written
) -> QualityReport:
    """The data-quality report of the data in ``store``, named by ``labels``."""
    base = store.base_iri
    say = Sayer(labels, date_of)
    councils: dict[str, CouncilQuality] = {}
    for iri, rows in sorted(grouped(select(store, query("quality/councils")), "council").items()):
        council = councils[iri] = CouncilQuality(iri, say.name(iri))
        council.items.extend(say.legal_form(iri, values(rows, "form"), base + NOT_STATED))
        council.items.append(say.founding(iri, values(rows, "created") + values(rows, "founded")))
    lists = {
        (str(row["subject"]), str(row["property"])): row
        for row in select(store, query("quality/lists"))
    }
    for iri, council in councils.items():
        council.items.extend(say.members(iri, lists.get((iri, MEMBERS))))
    strategies = grouped(select(store, query("quality/strategies")), "council")
    for iri, council in councils.items():
        rows = strategies.get(iri, [])
        if not rows:
            council.items.append(say.no_strategy(iri))
        for strategy, periods in sorted(grouped(rows, "strategy").items()):
            council.items.extend(say.strategy(strategy, periods))
            for local in STRATEGY_LISTS:
                council.items.extend(
                    say.strategy_list(strategy, local, lists.get((strategy, base + local)))
                )
    parts: dict[str, list[str]] = defaultdict(list)
    for row in select(store, query("quality/parts")):
        if str(row["council"]) in councils:
            parts[str(row["resource"])].append(str(row["council"]))
    others = CouncilQuality("", OTHERS)
    for item in [*uncertain_items(store, say), *weaker_items(store, say)]:
        for iri in parts.get(item.about) or [""]:
            (councils[iri] if iri else others).items.append(item)
    ordered = sorted(councils.values(), key=lambda council: norwegian(council.label.nb))
    return QualityReport(ordered, others)


def uncertain_items(store: ReadOnlyStore, say: Sayer) -> list[Item]:
    """Every resource marked ``ipr:uncertain true``, with its notes."""
    items = [
        say.uncertain(iri, Text(" ".join(values(rows, "noteNb")), " ".join(values(rows, "noteEn"))))
        for iri, rows in grouped(select(store, query("quality/uncertain")), "resource").items()
    ]
    return sorted(items, key=by_name)


def weaker_items(store: ReadOnlyStore, say: Sayer) -> list[Item]:
    """Every resource that rests only on weaker sources, with those sources."""
    items = [
        say.weaker(iri, sorted({(str(row["source"]), str(row["kind"])) for row in rows}))
        for iri, rows in grouped(select(store, query("quality/weaker")), "resource").items()
    ]
    return sorted(items, key=by_name)


def by_name(item: Item) -> tuple[str, str]:
    """Items in the order of what they say (the names), then of their IRIs."""
    return norwegian(item.said.nb), item.about


def grouped(rows: Iterable[Row], key: str) -> dict[str, list[Row]]:
    """``rows`` by the value of ``key``, in the order first met."""
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(str(row[key]), []).append(row)
    return groups


def values(rows: Iterable[Row], key: str) -> list[str]:
    """The distinct values of ``key`` in ``rows``, sorted."""
    return sorted({str(row[key]) for row in rows if key in row})


def norwegian(text: str) -> str:
    """A sort key putting æ, ø and å after z, in that order, as Norwegian does."""
    return text.casefold().translate({ord("æ"): "{", ord("ø"): "|", ord("å"): "}"})


HEADINGS = {
    "known": Text("Kjent", "Known"),
    "unknown": Text("Ukjent", "Unknown"),
    "uncertain": Text("Usikkert", "Uncertain"),
    "weaker": Text("Bare fra svakere kilder", "Only from weaker sources"),
}
"""The heading of each kind of item."""
WORDS = {
    "add": Text("å gjøre", "to do"),
    "turtle": Text("turtle", "turtle"),
    "note": Text("merknad", "note"),
    "sources": Text("kilder", "sources"),
}


def as_text(report: QualityReport, labels: Labels, lang: str) -> list[str]:
    """The report as readable lines in ``lang``, grouped by council: each thing by label
    and IRI, what to add and the Turtle to write; a summary last."""

    def said(text: Text) -> str:
        return text.en if lang == "en" else text.nb

    lines: list[str] = []
    groups = [*report.councils, *([report.others] if report.others.items else [])]
    for council in groups:
        name = said(council.label)
        lines.append(f"{name} <{council.iri}>" if council.iri else name)
        for kind in KINDS:
            items = council.of(kind)
            if not items:
                continue
            lines.append(f"  {said(HEADINGS[kind])}:")
            for item in items:
                where = f" <{item.about}>" if kind in ("uncertain", "weaker") else ""
                lines.append(f"    - {said(item.said)}{where}")
                if item.note:
                    lines.append(f"      {said(WORDS['note'])}: {said(item.note)}")
                if item.sources:
                    named = ", ".join(
                        f"{labels.label(source, lang)} ({labels.label(kind, lang)}) <{source}>"
                        for source, kind in item.sources
                    )
                    lines.append(f"      {said(WORDS['sources'])}: {named}")
                if item.advice:
                    lines.append(f"      {said(WORDS['add'])}: {said(item.advice)}")
                if item.hint:
                    lines.append(f"      {said(WORDS['turtle'])}: {item.hint}")
        lines.append("")
    lines.append(said(summary(report)))
    return lines


def summary(report: QualityReport) -> Text:
    """How many councils, and how many items of each kind but the known."""
    counts = {kind: report.count(kind) for kind in KINDS}
    return Text(
        f"{len(report.councils)} råd: {counts['unknown']} ukjent, {counts['uncertain']} "
        f"usikkert, {counts['weaker']} bare fra svakere kilder.",
        f"{len(report.councils)} councils: {counts['unknown']} unknown, "
        f"{counts['uncertain']} uncertain, {counts['weaker']} only from weaker sources.",
    )


def as_json(report: QualityReport) -> dict[str, Any]:
    """The report as JSON-ready data: each council (and ``others``) with its items by kind."""

    def group(council: CouncilQuality) -> dict[str, Any]:
        return {
            "iri": council.iri or None,
            "label": asdict(council.label),
            **{kind: [asdict(item) for item in council.of(kind)] for kind in KINDS},
        }

    return {
        "councils": [group(council) for council in report.councils],
        "others": group(report.others),
        "counts": {kind: report.count(kind) for kind in KINDS},
    }


def source_store(graph: Graph, base: str) -> OxigraphStore:
    """``graph`` (the validated sources) as a store the report's queries can ask."""
    store = pyoxigraph.Store()
    content = graph.serialize(format=N_TRIPLES.rdflib_format, encoding="utf-8")
    store.load(content, format=N_TRIPLES.oxigraph_format)
    return OxigraphStore(store, base, f"the sources ({len(store)} triples)")
