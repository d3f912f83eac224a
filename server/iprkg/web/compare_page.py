"""The comparison page at ``/compare``: the matrices as tables, in the page's language.

Two matrices, themes x councils and goals x councils (``comparison``), as HTML tables
whose first column (the theme or goal, with how many councils name it) stays in view
while the councils scroll sideways inside the table's own box, so the page works without
JavaScript and on a phone. Every cell is a link to its evidence with a title; named,
absent and unknown differ by fill, pattern and symbol, never by colour alone. Themes are
grouped by their authority (LOS, the EU data themes), each named by its label. Under each
heading, a sentence says how far the data go: how many councils the matrix knows anything
about, and whose lists are known to be whole or cut off.

Parameters, on the page and on the downloads alike (``compare_downloads``):

* ``council`` (repeatable): the councils to show, by IRI; none means all;
* ``like``: a council's IRI; the columns are then sorted by similarity to it
  (``similar-councils.rq``: Jaccard over the themes and goals named);
* ``sort``: ``named`` puts the rows named by most councils first; without it rows go by
  scheme and name (goals by number);
* ``a`` and ``b`` (the page only): two councils side by side.

An IRI that is not a council, or a ``sort`` we do not know, is ignored and named in a
message on the page; the downloads answer 400 for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Blueprint, Response, render_template, request

from iprkg.core.errors import BadRequest, NotFound
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
from iprkg.web.context import current_context, current_labels
from iprkg.web.templating import Alternate, page_language, resource_url, translate

blueprint = Blueprint("compare", __name__)

MATRICES = ("themes", "goals")
SORTS = ("name", "named")
"""``?sort=``: by scheme and name (the default), or by how many councils name the row."""


@dataclass(frozen=True)
class Selection:
    councils: list[str]
    """The councils to show, in column order."""
    chosen: list[str]
    """The councils asked for (empty: all)."""
    like: str | None
    sort: str
    """``name`` or ``named``."""
    ignored: list[str]
    """Asked-for values that are not councils (or not a sort)."""

    def arguments(self) -> list[tuple[str, str]]:
        """The selection as query arguments (with the reader's language, if chosen)."""
        arguments = [("council", council) for council in self.chosen]
        if self.like:
            arguments.append(("like", self.like))
        if self.sort != SORTS[0]:
            arguments.append(("sort", self.sort))
        if request.args.get("lang") in ("nb", "en"):
            arguments.append(("lang", request.args["lang"]))
        return arguments

    def query(self, **changes: str) -> str:
        """The selection as a query string, with ``changes`` (e.g. ``sort="named"``)."""
        arguments = [(name, value) for name, value in self.arguments() if name not in changes]
        arguments += [(name, value) for name, value in changes.items() if value]
        return urlencode(arguments)


def selection(comparison: Comparison) -> Selection:
    """The councils, order and sort asked for by ``?council=``, ``?like=`` and ``?sort=``."""
    known = set(comparison.councils)
    asked = request.args.getlist("council")
    chosen = [council for council in dict.fromkeys(asked) if council in known]
    ignored = [council for council in asked if council not in known]
    like = request.args.get("like") or None
    if like is not None and like not in known:
        ignored.append(like)
        like = None
    sort = request.args.get("sort") or SORTS[0]
    if sort not in SORTS:
        ignored.append(f"sort={sort}")
        sort = SORTS[0]
    councils = comparison.ordered(chosen or comparison.councils, like)
    return Selection(councils, chosen, like, sort, ignored)


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
    comparison: Comparison, lang: str, sort: str
) -> tuple[SideBySide | None, list[str]]:
    """Councils ``?a=`` and ``?b=`` side by side, and what was wrong with the request."""
    a, b = request.args.get("a") or "", request.args.get("b") or ""
    if not a and not b:
        return None, []
    known = set(comparison.councils)
    problems = [value for value in (a, b) if value and value not in known]
    if problems or not a or not b or a == b:
        return None, problems or ["a=b" if a == b else "a" if not a else "b"]
    sides: dict[str, list[Side]] = {}
    for kind in MATRICES:
        matrix = arranged(getattr(comparison, kind).restricted([a, b]), lang, sort)
        pair = grid(matrix, lang)
        groups = matrix.side_by_side(a, b)
        sides[kind] = [Side(key, [pair.rows[item.iri] for item in groups[key]]) for key in SIDES]
    names = (
        short_name(current_labels().label(a, lang)),
        short_name(current_labels().label(b, lang)),
    )
    return SideBySide(a, b, names, sides), []


def downloads(chosen: Selection) -> dict[str, list[Alternate]]:
    """The downloads of each matrix, with the page's selection."""
    query = chosen.query()
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


@blueprint.route("/compare")
def compare_page() -> str:
    """The matrices, the selection form, side by side, similarity and the downloads."""
    comparison = current_context().comparison
    chosen = selection(comparison)
    lang = page_language()
    matrices = {
        kind: arranged(getattr(comparison, kind).restricted(chosen.councils), lang, chosen.sort)
        for kind in MATRICES
    }
    grids = {kind: grid(matrix, lang) for kind, matrix in matrices.items()}
    pair, pair_problems = side_by_side(comparison, lang, chosen.sort)
    return render_template(
        "compare/compare.html",
        comparison=comparison,
        selection=chosen,
        matrices=matrices,
        grids=grids,
        coverage={kind: coverage(matrix, lang) for kind, matrix in matrices.items()},
        pair=pair,
        pair_problems=pair_problems,
        pair_a=request.args.get("a", ""),
        pair_b=request.args.get("b", ""),
        similar=comparison.similar_to(chosen.like) if chosen.like else [],
        downloads=downloads(chosen),
        statuses=STATUSES,
        sides=SIDES,
        alternates=[],
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
    comparison = current_context().comparison
    chosen = selection(comparison)
    if chosen.ignored:
        raise BadRequest(
            f"not a council or sort here: {', '.join(chosen.ignored)}; "
            "give council and like as a council's IRI, and sort as name or named"
        )
    lang = page_language()
    matrix = arranged(getattr(comparison, kind).restricted(chosen.councils), lang, chosen.sort)
    laid_out = grid(matrix, lang)
    if is_grid:
        return Response(grid_csv(laid_out), mimetype="text/csv")
    records = cell_records(matrix, laid_out)
    if extension == "csv":
        return Response(long_csv(records), mimetype="text/csv")
    return Response(long_json(kind, laid_out, records), mimetype="application/json")
