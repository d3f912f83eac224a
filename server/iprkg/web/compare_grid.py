"""The comparison as the grid a page shows: rows named in the page's language, grouped by
authority, sorted by name or by how many councils name them, each cell with its status
in words, its symbol, its evidence link and a title.

``compare_page`` lays the page out from it, ``compare_downloads`` writes the grid CSV.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from iprkg.services.comparison import NAMED, SCHEME_ORDER, UNKNOWN, Item, Matrix
from iprkg.services.strategy import SDG_COLOURS
from iprkg.web.context import current_labels
from iprkg.web.templating import resource_url, translate

SYMBOLS = {NAMED: "●", "absent": "–", UNKNOWN: "?"}


def item_label(item: Item, lang: str) -> str:
    """A theme's name in ``lang``; a goal's number and name ("3. God helse …")."""
    name = current_labels().label(item.iri, lang)
    return f"{item.number}. {name}" if item.scheme == "UN" else name


NORWEGIAN_LAST = str.maketrans({"æ": "{0", "ø": "{1", "å": "{2"})
"""Æ, Ø, Å sort after Z, in that order, as in Norwegian."""


def arranged(matrix: Matrix, lang: str, sort: str) -> Matrix:
    """``matrix`` with its rows by scheme, then by name (goals by number) or, with ``sort``
    ``named``, by how many of its councils name them, most first."""

    def key(item: Item) -> tuple[int, int, int, str]:
        named = -matrix.counts(item.iri)[NAMED] if sort == "named" else 0
        name = item_label(item, lang).casefold().translate(NORWEGIAN_LAST)
        return (SCHEME_ORDER.get(item.scheme, 9), named, item.number, name)

    return matrix.reordered(sorted(matrix.items, key=key))


def scheme_heading(scheme: str) -> str:
    """The heading over an authority's rows, in words."""
    headings = {
        "LOS": translate("Tema i LOS (Digdirs felles tema)", "Themes in LOS (Digdir's themes)"),
        "EU": translate("EUs datatema", "EU data themes"),
        "UN": translate("FNs bærekraftsmål", "UN Sustainable Development Goals"),
    }
    return headings.get(scheme, scheme)


def status_name(status: str) -> str:
    """The status in the page language."""
    names = {
        "named": translate("nevnt", "named"),
        "absent": translate("ikke nevnt", "not named"),
        "unknown": translate("ukjent", "unknown"),
    }
    return names.get(status, status)


def named_by(counts: dict[str, int], councils: int) -> str:
    """ "named by 6 of 9 councils (2 unknown)" in the page language."""
    text = translate(
        f"nevnt av {counts[NAMED]} av {councils} regionråd",
        f"named by {counts[NAMED]} of {councils} council{'' if councils == 1 else 's'}",
    )
    if counts[UNKNOWN]:
        text += translate(f" ({counts[UNKNOWN]} ukjent)", f" ({counts[UNKNOWN]} unknown)")
    return text


@dataclass(frozen=True)
class GridCell:
    status: str
    status_text: str
    """The status in the page language."""
    href: str
    title: str
    evidence: tuple[tuple[str, str], ...]
    """(name, URL) of each piece of evidence: the focus areas or the strategy naming it,
    the strategy or council whose list is whole; for unknown, the council."""

    @property
    def symbol(self) -> str:
        return SYMBOLS.get(self.status, "?")


@dataclass(frozen=True)
class GridRow:
    item: Item
    label: str
    href: str
    colour: str
    """The UN goal's colour, or ''."""
    counts: dict[str, int]
    named_by: str
    cells: list[GridCell]


@dataclass(frozen=True)
class GridGroup:
    heading: str
    rows: list[GridRow]


@dataclass(frozen=True)
class GridColumn:
    council: str
    short: str
    full: str
    href: str
    counts: dict[str, int]


@dataclass(frozen=True)
class Grid:
    """A matrix as the page shows it: texts in the page language, links to evidence."""

    kind: str
    columns: list[GridColumn]
    groups: list[GridGroup]
    rows: dict[str, GridRow]
    """Every row by its item's IRI (for side by side)."""


class Names:
    """Labels, URLs and status names of what a grid shows, each worked out once per grid:
    a grid of 600 councils has tens of thousands of cells, most naming the same few IRIs."""

    def __init__(self, lang: str) -> None:
        labels = current_labels()
        self.label = cache(lambda iri: labels.label(iri, lang))
        self.url = cache(resource_url)
        self.status = cache(status_name)
        self.evidence = translate("kilde", "evidence")


def grid_cell(matrix: Matrix, item: Item, label: str, council: str, names: Names) -> GridCell:
    cell = matrix.cell(item.iri, council)
    target = cell.evidence[0] if cell.evidence else council
    evidence_names = [names.label(iri) for iri in cell.evidence]
    status = names.status(cell.status)
    title = f"{names.label(council)} · {label}: {status}"
    if evidence_names:
        title += f" ({names.evidence}: {', '.join(evidence_names)})"
    evidence = tuple(zip(evidence_names, (names.url(iri) for iri in cell.evidence), strict=True))
    return GridCell(cell.status, status, names.url(target), title, evidence)


def grid(matrix: Matrix, lang: str, columns: bool = True) -> Grid:
    """``matrix`` (already arranged) laid out for the page; without ``columns``, its rows
    only, each with how many of the matrix's councils name it (a summary)."""
    names = Names(lang)
    shown = matrix.councils if columns else []
    laid_out = [
        GridColumn(
            council,
            short_name(names.label(council)),
            names.label(council),
            names.url(council),
            matrix.column_counts(council),
        )
        for council in shown
    ]
    groups: list[GridGroup] = []
    rows: dict[str, GridRow] = {}
    for item in matrix.items:
        label = item_label(item, lang)
        counts = matrix.counts(item.iri)
        row = GridRow(
            item,
            label,
            resource_url(item.iri),
            SDG_COLOURS.get(item.number, "") if item.scheme == "UN" else "",
            counts,
            named_by(counts, len(matrix.councils)),
            [grid_cell(matrix, item, label, council, names) for council in shown],
        )
        rows[item.iri] = row
        heading = scheme_heading(item.scheme)
        if not groups or groups[-1].heading != heading:
            groups.append(GridGroup(heading, []))
        groups[-1].rows.append(row)
    return Grid(matrix.kind, laid_out, groups, rows)


def short_name(name: str) -> str:
    """``name`` with the form of cooperation shortened to IPR, as the councils write it
    themselves ("Nome og Midt-Telemark IPR"); the full name stays in the title."""
    return " ".join(LONG_NAMES.sub("IPR", name).split())


LONG_NAMES = re.compile(
    r"\b(interkommunale politiske råd|interkommunalt politisk råd( for)?"
    r"|inter-municipal political council( for)?)\b",
    re.IGNORECASE,
)
"""The form of cooperation spelled out in a council's name; ``IPR`` in column heads."""
