"""The comparison page at ``/compare``: the matrices as tables, in the page's language.

Two matrices, themes x councils and goals x councils (``comparison``), as HTML tables
whose first column (the theme or goal, with how many councils name it) stays in view
while the councils scroll sideways inside the table's own box, so the page works without
JavaScript and on a phone. Every cell is a link to its evidence with a title; named,
absent and unknown differ by fill, pattern and symbol, never by colour alone. Themes are
grouped by their authority (LOS, the EU data themes), each named by its label. Under each
heading, a sentence says how far the data go: how many councils the matrix knows anything
about, and whose lists are known to be whole or cut off.

Which councils are the columns (``council``, ``county``, ``q``), their order (``like``)
and the rows' order (``sort``) are read by ``compare_selection``; ``a`` and ``b`` (the page
only) put two councils side by side. On the page a value that is not a council or county
is ignored and named in a message; the downloads answer 400 for it. The downloads follow
the filter they are given: the page links both to every council's grid and, when the
columns are filtered, to the grid of the councils shown.

A map of the municipalities (``map_svg``, drawn by ``web.municipality_map``) has its place
in the template; the view passes None until it is drawn here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, Response, render_template, request
from markupsafe import Markup

from iprkg.core.errors import BadRequest, NotFound
from iprkg.engine.results import Text
from iprkg.services.comparison import (
    COMPLETE,
    INCOMPLETE,
    SIDES,
    STATUSES,
    Comparison,
    Matrix,
)
from iprkg.web.compare_downloads import cell_records, grid_csv, long_csv, long_json
from iprkg.web.compare_grid import GridRow, arranged, grid, short_name
from iprkg.web.compare_selection import (
    MAX_VALUES,
    Selection,
    county_counts,
    groups,
    resolver,
    selection,
    shown,
)
from iprkg.web.context import current_context, current_labels
from iprkg.web.municipality_map import item_map
from iprkg.web.templating import Alternate, page_language, resource_url, translate

blueprint = Blueprint("compare", __name__)

MATRICES = ("themes", "goals")
WARM_PATHS = (
    "/compare",
    *(f"/compare/{kind}{form}" for kind in MATRICES for form in ("-grid.csv", ".csv", ".json")),
)
"""The page and downloads every visitor starts from, made as the server starts."""
MAX_COLUMNS = 100
"""The most councils a grid shows side by side; with more chosen (at first, every
council of the country), each matrix shows its rows with how many councils name each,
and the page asks for a county, a search or ticks (the downloads hold every cell)."""


@dataclass(frozen=True)
class Stated:
    """A council whose list is known to be whole or cut off, and where the data say so."""

    council: str
    name: str
    """Its name, short (``short_name``)."""
    href: str


@dataclass(frozen=True)
class Coverage:
    """How far a matrix's data go, for its sentence on the page."""

    councils: int
    with_data: int
    complete: list[Stated]
    incomplete: list[Stated]

    @property
    def unstated(self) -> int:
        return self.councils - len(self.complete) - len(self.incomplete)


def coverage(matrix: Matrix, lang: str) -> Coverage:
    labels = current_labels()

    def stated(completeness: str) -> list[Stated]:
        return [
            Stated(
                council,
                short_name(labels.label(council, lang)),
                resource_url(matrix.lists[(council, completeness)][0]),
            )
            for council in matrix.stated(completeness)
        ]

    complete = stated(COMPLETE)
    incomplete = [
        entry
        for entry in stated(INCOMPLETE)
        if entry.council not in {whole.council for whole in complete}
    ]
    return Coverage(len(matrix.councils), len(matrix.with_data()), complete, incomplete)


@dataclass(frozen=True)
class Overall:
    """How far the data go for every council, whatever the filter: the page's summary."""

    councils: int
    themes: int
    """Councils naming at least one theme through a focus area."""
    goals: int
    """Councils naming at least one UN goal."""
    complete_themes: int
    """Councils whose list of focus areas is known to be whole."""
    complete_goals: int
    counties: int
    """Counties with at least one council's member."""


def overall(comparison: Comparison) -> Overall:
    def naming(matrix: Matrix) -> int:
        named = {council for (_, council), cell in matrix.cells.items() if cell.status == "named"}
        return len(named & set(comparison.councils))

    return Overall(
        len(comparison.councils),
        naming(comparison.themes),
        naming(comparison.goals),
        len(comparison.themes.stated(COMPLETE)),
        len(comparison.goals.stated(COMPLETE)),
        len(comparison.all_counties()),
    )


@dataclass(frozen=True)
class Side:
    key: str
    """One of ``comparison.SIDES``."""
    rows: list[GridRow]


@dataclass(frozen=True)
class SideBySide:
    a: str
    b: str
    names: tuple[str, str]
    """Their names, short (``short_name``)."""
    sides: dict[str, list[Side]]
    """Per matrix, the groups of ``SIDES`` with their rows (empty groups included)."""


def side_by_side(
    comparison: Comparison, chosen: Selection, lang: str
) -> tuple[SideBySide | None, list[str]]:
    """Councils ``?a=`` and ``?b=`` side by side, and what was wrong with the request."""
    a_asked, b_asked = (request.args.get(name, "").strip() for name in ("a", "b"))
    if not a_asked and not b_asked:
        return None, []
    known = resolver(chosen.council_keys)
    a, b = known.get(a_asked, ""), known.get(b_asked, "")
    problems = [shown(value) for value in (a_asked, b_asked) if value and value not in known]
    if problems or not a or not b or a == b:
        return None, problems or ["a=b" if a == b else "a" if not a else "b"]
    sides: dict[str, list[Side]] = {}
    for kind in MATRICES:
        matrix = arranged(getattr(comparison, kind).restricted([a, b]), lang, chosen.sort)
        pair = grid(matrix, lang)
        groups = matrix.side_by_side(a, b)
        sides[kind] = [Side(key, [pair.rows[item.iri] for item in groups[key]]) for key in SIDES]
    names = (
        short_name(current_labels().label(a, lang)),
        short_name(current_labels().label(b, lang)),
    )
    return SideBySide(a, b, names, sides), []


def asked_council(chosen: Selection, name: str) -> str:
    """The council ``?a=`` or ``?b=`` names (by key or IRI), or ""."""
    return resolver(chosen.council_keys).get(request.args.get(name, "").strip(), "")


def downloads(chosen: Selection, filters: bool) -> dict[str, list[Alternate]]:
    """The downloads of each matrix, with the page's order and sort, and its filter
    (``council``, ``county``, ``q``) where ``filters`` is true; else of every council."""
    query = chosen.query(filters)
    suffix = f"?{query}" if query else ""
    root = f"{request.script_root}/compare"
    return {
        kind: [
            Alternate(
                "text/csv",
                f"{root}/{kind}-grid.csv{suffix}",
                translate("CSV, rutenettet som på sida", "CSV, the grid as on the page"),
            ),
            Alternate(
                "text/csv",
                f"{root}/{kind}.csv{suffix}",
                translate("CSV, én linje per rute", "CSV, one line per cell"),
            ),
            Alternate("application/json", f"{root}/{kind}.json{suffix}", "JSON"),
        ]
        for kind in MATRICES
    }


def kept(make: Callable[[], str]) -> bytes:
    """The body ``make`` gives for this request, made once per server
    (``web.kept_pages``): it depends on the path, the arguments and the page language."""
    arguments = "&".join(f"{k}={v}" for k, v in sorted(request.args.items(multi=True)))
    key = f"{request.script_root}{request.path}?{arguments}|{page_language()}"
    return current_context().kept_pages.body(key, lambda: make().encode("utf-8"))


@blueprint.route("/compare")
def compare_page() -> Response:
    """The matrices, the selection form, side by side, similarity and the downloads,
    made once per server for each selection and language (``kept``)."""
    body = kept(rendered_page)
    return Response(body, content_type="text/html; charset=utf-8")


def rendered_page() -> str:
    comparison = current_context().comparison
    chosen = selection(comparison)
    lang = page_language()
    matrices = {
        kind: arranged(getattr(comparison, kind).restricted(chosen.councils), lang, chosen.sort)
        for kind in MATRICES
    }
    too_many = len(chosen.councils) > MAX_COLUMNS
    grids = {kind: grid(matrix, lang, columns=not too_many) for kind, matrix in matrices.items()}
    pair, pair_problems = side_by_side(comparison, chosen, lang)
    return render_template(
        "compare/compare.html",
        comparison=comparison,
        selection=chosen,
        groups=groups(comparison, chosen),
        counties=county_counts(comparison),
        overall=overall(comparison),
        max_values=MAX_VALUES,
        matrices=matrices,
        grids=grids,
        too_many=too_many,
        max_columns=MAX_COLUMNS,
        coverage={kind: coverage(matrix, lang) for kind, matrix in matrices.items()},
        pair=pair,
        pair_problems=pair_problems,
        pair_a=asked_council(chosen, "a"),
        pair_b=asked_council(chosen, "b"),
        similar=comparison.similar_to(chosen.like) if chosen.like else [],
        downloads=downloads(chosen, filters=False),
        filtered_downloads=downloads(chosen, filters=True) if chosen.filtered else None,
        map_svg=chosen_map(comparison, chosen.councils),
        map_item=request.args.get("map", ""),
        statuses=STATUSES,
        sides=SIDES,
        alternates=[],
    )


def chosen_map(comparison: Comparison, councils: list[str]) -> Markup:
    """The map of the row ``?map=`` names (a theme or goal of the matrices), for the
    councils shown; nothing without it; 400 for anything else."""
    asked = request.args.get("map", "")
    if not asked:
        return Markup("")
    for kind in MATRICES:
        matrix = getattr(comparison, kind)
        if any(item.iri == asked for item in matrix.items):
            labels = current_labels()
            title = Text(labels.label(asked, "nb"), labels.label(asked, "en"))
            return item_map(matrix.restricted(councils), asked, title)
    raise BadRequest(
        translate(
            "Kartet kan bare vise et tema eller et bærekraftsmål fra tabellene på siden: "
            "velg et i lista over kartet.",
            "The map can show only a theme or a goal from the tables on the page: choose one "
            "in the list above the map.",
        )
    )


DOWNLOADS = {"csv": "text/csv", "json": "application/json"}


@blueprint.route("/compare/<name>.<extension>")
def download(name: str, extension: str) -> Response:
    """A matrix as the grid CSV (``themes-grid.csv``), one line per cell (``themes.csv``)
    or JSON, with the page's selection and sort (``compare_downloads``)."""
    kind = name.removesuffix("-grid")
    is_grid = name.endswith("-grid")
    if kind not in MATRICES or extension not in DOWNLOADS or (is_grid and extension != "csv"):
        raise NotFound(
            f"no such download: /compare/{name}.{extension}; there are "
            + ", ".join(f"{kind}-grid.csv, {kind}.csv, {kind}.json" for kind in MATRICES)
        )

    def made() -> str:  # on a kept body, no comparison is made here at all
        comparison = current_context().comparison
        chosen = selection(comparison)
        if chosen.ignored:
            raise BadRequest(
                translate(
                    "ikke et regionråd, fylke eller en sortering her: "
                    f"{', '.join(chosen.ignored)}; gi council og like som et regionråds "
                    "nøkkel eller IRI, county som et fylkes nøkkel eller IRI, og sort som name "
                    "eller named",
                    f"not a council, county or sort here: {', '.join(chosen.ignored)}; "
                    "give council and like as a council's key or IRI, county as a county's "
                    "key or IRI, and sort as name or named",
                )
            )
        lang = page_language()
        matrix = arranged(getattr(comparison, kind).restricted(chosen.councils), lang, chosen.sort)
        laid_out = grid(matrix, lang)
        if is_grid:
            return grid_csv(laid_out)
        records = cell_records(matrix, laid_out)
        return long_csv(records) if extension == "csv" else long_json(kind, laid_out, records)

    response = Response(kept(made), mimetype=DOWNLOADS[extension])
    response.vary.add("Accept-Language")  # the names are in the page language
    return response
