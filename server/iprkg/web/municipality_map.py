"""The map of Norway's municipalities on a page: inline SVG, no script, no tiles.

``map_svg(statuses, legend, caption)`` draws the build's map (``services.municipality_map``)
with each municipality coloured by the status the caller gives it (by IRI; the legend's
last entry for the others), as a link to its page with a ``<title>`` naming it and its
status in the page language; a legend, the attribution the licence asks for ("©
Kartverket") and, in a ``<details>``, a table with the same facts for those who cannot
see the map. Municipalities the caller names that are not on the 2024 map (merged before
2024) are listed in text under it. Where the build has no map, it draws nothing.

``council_map(council)`` is the council page's map; ``item_map(matrix, item)`` the map of
one row of the comparison (docs/map.md says what each colour means). What is read from
the store for the map is read once per store (the data are immutable).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from flask import render_template
from markupsafe import Markup

from iprkg.artefact.map_file import MunicipalMap
from iprkg.engine.query_cache import uncached
from iprkg.engine.results import Text
from iprkg.engine.store import ReadOnlyStore
from iprkg.services import municipality_map as statuses_of
from iprkg.services.comparison import Matrix
from iprkg.services.municipality_map import Membership
from iprkg.web.context import current_labels, current_store
from iprkg.web.templating import page_language, resource_url


@dataclass(frozen=True)
class Legend:
    """A status as the legend says it (``nb``, ``en``) and as a municipality's title says
    it (``title_nb``, ``title_en``); drawn with the CSS class ``map-{key}``."""

    key: str
    nb: str
    en: str
    title_nb: str
    title_en: str


COUNCIL_LEGEND = (
    Legend(statuses_of.MEMBER, "Medlem", "Member", "medlem", "member"),
    Legend(
        statuses_of.UNCERTAIN,
        "Medlem, men kildene er uenige",
        "Member, but the sources disagree",
        "medlem, men kildene er uenige",
        "member, but the sources disagree",
    ),
    Legend(
        statuses_of.FORMER, "Tidligere medlem", "Former member", "tidligere medlem", "former member"
    ),
    Legend(
        statuses_of.OTHER, "Andre kommuner", "Other municipalities", "ikke medlem", "not a member"
    ),
)
ITEM_LEGEND = (
    Legend(
        statuses_of.ITEM_NAMED,
        "Nevnt av et råd kommunen er med i",
        "Named by a council it belongs to",
        "nevnt av et råd kommunen er med i",
        "named by a council it belongs to",
    ),
    Legend(
        statuses_of.ITEM_NOT_NAMED,
        "Ikke nevnt: rådenes lister er fullstendige",
        "Not named: its councils' lists are complete",
        "ikke nevnt, og rådene kommunen er med i har fullstendige lister",
        "not named, and the lists of the councils it belongs to are complete",
    ),
    Legend(
        statuses_of.ITEM_UNKNOWN,
        "Ukjent",
        "Unknown",
        "ukjent: et råd kommunen er med i har ingen fullstendig liste",
        "unknown: a council it belongs to has no complete list",
    ),
    Legend(
        statuses_of.NO_COUNCIL,
        "Ingen råd kjent",
        "No council known",
        "ingen råd kjent",
        "no council known",
    ),
)


@dataclass(frozen=True)
class MapData:
    """What the map needs from the store: the map, IRIs by number, every membership."""

    map: MunicipalMap
    iris: dict[str, str]
    memberships: list[Membership]


@dataclass(frozen=True)
class Area:
    """A municipality as the template draws it."""

    number: str
    name: str
    county: str
    d: str
    url: str
    status: Legend


@dataclass(frozen=True)
class Elsewhere:
    """A municipality the caller coloured that is not on the 2024 map."""

    name: str
    url: str
    status: Legend


_read: WeakKeyDictionary[ReadOnlyStore, MapData | None] = WeakKeyDictionary()


def map_data() -> MapData | None:
    """The map and what it needs from this app's store; None where the build has no map."""
    store = current_store()
    if store not in _read:
        kept = uncached(store)  # read once and kept here, not in the answer cache too
        found = statuses_of.read_map(kept)
        _read[store] = (
            None
            if found is None
            else MapData(
                found,
                statuses_of.municipality_numbers(kept),
                statuses_of.read_memberships(kept),
            )
        )
    return _read[store]


def said(text: Text) -> str:
    return text.en if page_language() == "en" else text.nb


def title_said(status: Legend) -> str:
    return status.title_en if page_language() == "en" else status.title_nb


def map_svg(
    statuses: Mapping[str, str],
    legend: Sequence[Legend],
    caption: Text,
    ident: str = "map",
    focus: bool = False,
) -> Markup:
    """The map, each municipality coloured by its status in ``statuses`` (IRI -> a key of
    ``legend``; the last entry for the others), with its legend, attribution and table;
    empty where the build has no map. ``ident`` makes the element ids unique on a page;
    with ``focus`` the map shows the municipalities not of the last status and their
    neighbourhood (``focused``), and draws only those in view (the table has them all)."""
    data = map_data()
    if data is None:
        return Markup("")
    by_key = {entry.key: entry for entry in legend}
    other = legend[-1]
    lang = page_language()
    labels = current_labels()
    areas = []
    for area in data.map.areas:
        iri = data.iris.get(area.number, "")
        areas.append(
            Area(
                number=area.number,
                name=labels.label(iri, lang) if iri else area.name,
                county=data.map.counties.get(area.county, area.county),
                d=area.d,
                url=resource_url(iri) if iri else "",
                status=by_key.get(statuses.get(iri, ""), other) if iri else other,
            )
        )
    view_box = data.map.view_box
    if focus:
        view_box = focused(data.map, [a for a in areas if a.status is not other])
    left, top, width, height = view_box
    in_view = [
        area
        for area, (x0, y0, x1, y1) in zip(areas, (a.bounds for a in data.map.areas), strict=True)
        if x1 >= left and x0 <= left + width and y1 >= top and y0 <= top + height
    ]
    drawn = set(data.iris.values())
    elsewhere = sorted(
        (
            Elsewhere(labels.label(iri, lang), resource_url(iri), by_key[status])
            for iri, status in statuses.items()
            if iri not in drawn and status in by_key and status != other.key
        ),
        key=lambda e: (legend.index(e.status), e.name.casefold()),
    )
    order = {entry.key: index for index, entry in enumerate(legend)}
    table = sorted(areas, key=lambda a: (order[a.status.key], a.name.casefold(), a.number))
    counts = {entry.key: sum(1 for a in areas if a.status is entry) for entry in legend}
    return Markup(
        render_template(
            "_municipality_map.html",
            ident=ident,
            map=data.map,
            view_box=view_box,
            areas=in_view,
            table=table,
            elsewhere=elsewhere,
            legend=legend,
            counts=counts,
            caption=said(caption),
            title_of=lambda area: f"{area.name}: {title_said(area.status)}",
        )
    )


FOCUS_MARGIN = 0.6
"""Around the focused municipalities, this share of their extent on each side."""
FOCUS_SIDE = 300
"""The least width and height of a focused map, in the map's units (km)."""


def focused(municipal_map: MunicipalMap, areas: Sequence[Area]) -> tuple[int, int, int, int]:
    """A viewBox around ``areas`` (the whole map if none), inside the map's own."""
    whole = municipal_map.view_box
    bounds = [a.bounds for a in municipal_map.areas if a.number in {b.number for b in areas}]
    if not bounds:
        return whole
    x0, y0 = min(b[0] for b in bounds), min(b[1] for b in bounds)
    x1, y1 = max(b[2] for b in bounds), max(b[3] for b in bounds)
    side = max(x1 - x0, y1 - y0, FOCUS_SIDE / (1 + 2 * FOCUS_MARGIN))
    side = min(round(side * (1 + 2 * FOCUS_MARGIN)), whole[2], whole[3])
    left = min(max(whole[0], (x0 + x1) // 2 - side // 2), whole[0] + whole[2] - side)
    top = min(max(whole[1], (y0 + y1) // 2 - side // 2), whole[1] + whole[3] - side)
    return left, top, side, side


def council_map(council: str, title: Text) -> Markup:
    """The council page's map: its members, uncertain and former members, the others."""
    data = map_data()
    if data is None:
        return Markup("")
    statuses = statuses_of.council_statuses(data.memberships, council)
    caption = Text(f"Medlemmene av {title.nb} på kartet", f"The members of {title.en} on the map")
    return map_svg(statuses, COUNCIL_LEGEND, caption, ident="council-map", focus=True)


def item_map(matrix: Matrix, item: str, title: Text, ident: str = "compare-map") -> Markup:
    """The map of one row of ``matrix`` (a theme or goal): which councils name it, by the
    municipalities that belong to them (``services.municipality_map.item_statuses``)."""
    data = map_data()
    if data is None:
        return Markup("")
    statuses = item_statuses_now(data, matrix, item)
    caption = Text(f"Hvem nevner {title.nb}?", f"Who names {title.en}?")
    return map_svg(statuses, ITEM_LEGEND, caption, ident=ident)


def item_statuses_now(data: MapData, matrix: Matrix, item: str) -> dict[str, str]:
    """The statuses ``item_map`` colours by: every municipality on the map and every
    current member of a council."""
    councils = statuses_of.councils_of(data.memberships)
    municipalities: Iterable[str] = sorted(set(data.iris.values()) | set(councils))
    return statuses_of.item_statuses(matrix, item, councils, municipalities)
