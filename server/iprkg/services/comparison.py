"""Councils compared: the theme and goal matrices and how similar councils are.

The matrices are the answers of the comparison queries in ``queries/compare/``
(``theme-matrix.rq``, ``goal-matrix.rq``), run through the store interface once per app
(the data are immutable; ``web.context`` keeps the answer): one query per matrix, never
one per council, so that hundreds of councils cost a few queries.
The queries are the single statement of what "named", "absent" and "unknown" mean
(docs/comparison.md); this module only arranges their rows: rows are themes or goals,
columns are councils, and each cell has a status and its evidence (the focus areas that
map to the theme, the strategy naming the goal, the strategy or council whose list is
complete). ``list-completeness.rq`` says, per council, whether its list of focus areas or
goals is known to be whole or cut off, for the page's sentence on how far the data go;
``council-counties.rq`` gives each council's members and their counties, for choosing
councils by county. How similar two councils are (the Jaccard index of
``similar-councils.rq``) is computed here from the matrices, when asked: that query pairs
every council with every other, which grows with the square of their number.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from math import floor
from pathlib import Path

from iprkg.core.errors import QueryFailed
from iprkg.engine.results import Row, select
from iprkg.engine.store import ReadOnlyStore

QUERIES_FOLDER = Path("queries") / "compare"
"""The comparison queries, relative to the project root (``IPRKG_ROOT``)."""

NAMED, ABSENT, UNKNOWN = "named", "absent", "unknown"
STATUSES = (NAMED, ABSENT, UNKNOWN)
"""A cell's status, as the queries give it."""

LOS_PREFIX = "https://psi.norge.no/los/"
EU_PREFIX = "http://publications.europa.eu/resource/authority/data-theme/"
SCHEME_ORDER = {"LOS": 0, "EU": 1, "UN": 2}
LISTS = {"ontology#focusArea": "themes", "ontology#emphasisesGoal": "goals"}
"""The list (``ipr:completeList``/``ipr:incompleteList`` object, by its end: the base IRI
is a setting) each matrix depends on."""
COMPLETE, INCOMPLETE = "complete", "incomplete"

SIDES = ("both", "only_a", "only_b", "a_unknown_b", "b_unknown_a", "unknown")
"""Side by side, how an item stands for two councils: named by both; by A only (B known
not to name it); by B only; named by A, unknown for B; named by B, unknown for A; named by
neither, unknown for one or both. Items that both are known not to name are left out."""


@dataclass(frozen=True)
class Item:
    """A row of a matrix: a LOS or EU theme, or a UN goal."""

    iri: str
    scheme: str
    """``LOS``, ``EU`` or ``UN``."""
    number: int = 0
    """The goal's number (1–17); 0 for a theme."""

    @property
    def code(self) -> str:
        """A short name that needs no label: the goal's number, the theme's last segment."""
        return str(self.number) if self.number else self.iri.rstrip("/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Cell:
    """One council x theme or goal."""

    status: str
    evidence: tuple[str, ...] = ()
    """Named: the focus areas mapping to the theme, or the strategy naming the goal.
    Absent: the strategy (or council) whose list is complete. Unknown: none."""
    strategies: tuple[str, ...] = ()
    """The strategies naming it (themes), or whose list is complete."""


@dataclass(frozen=True)
class Similarity:
    shared: int
    union: int
    jaccard: float


@dataclass
class Matrix:
    """Rows (themes or goals) x columns (councils), each cell with its status."""

    kind: str
    """``themes`` or ``goals``."""
    items: list[Item]
    councils: list[str]
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)
    lists: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    """(council, ``complete`` or ``incomplete``) -> the council or strategies saying that
    the council's list (of focus areas, or of goals) is whole, or cut off."""

    def cell(self, item: str, council: str) -> Cell:
        return self.cells.get((item, council), Cell(UNKNOWN))

    def restricted(self, councils: Sequence[str]) -> Matrix:
        """The same matrix with only ``councils``, in that order."""
        kept = [council for council in councils if council in self.councils]
        return Matrix(self.kind, self.items, kept, self.cells, self.lists)

    def reordered(self, items: Sequence[Item]) -> Matrix:
        """The same matrix with its rows in the order of ``items``."""
        return Matrix(self.kind, list(items), self.councils, self.cells, self.lists)

    def counts(self, item: str) -> dict[str, int]:
        """How many of this matrix's councils have each status for ``item``."""
        counted = dict.fromkeys(STATUSES, 0)
        for council in self.councils:
            counted[self.cell(item, council).status] += 1
        return counted

    def column_counts(self, council: str) -> dict[str, int]:
        """How many of this matrix's items have each status for ``council``."""
        counted = dict.fromkeys(STATUSES, 0)
        for item in self.items:
            counted[self.cell(item.iri, council).status] += 1
        return counted

    def with_data(self) -> list[str]:
        """The councils about which this matrix knows something: a cell named or absent,
        or a list known to be whole."""
        return [
            council
            for council in self.councils
            if (council, COMPLETE) in self.lists
            or any(self.cell(item.iri, council).status != UNKNOWN for item in self.items)
        ]

    def stated(self, completeness: str) -> list[str]:
        """The councils whose list is known to be ``complete`` or ``incomplete``."""
        return [council for council in self.councils if (council, completeness) in self.lists]

    def side_by_side(self, a: str, b: str) -> dict[str, list[Item]]:
        """The items grouped by how they stand for councils ``a`` and ``b`` (``SIDES``)."""
        groups: dict[str, list[Item]] = {side: [] for side in SIDES}
        for item in self.items:
            first, second = self.cell(item.iri, a).status, self.cell(item.iri, b).status
            if first == NAMED and second == NAMED:
                groups["both"].append(item)
            elif first == NAMED:
                groups["only_a" if second == ABSENT else "a_unknown_b"].append(item)
            elif second == NAMED:
                groups["only_b" if first == ABSENT else "b_unknown_a"].append(item)
            elif UNKNOWN in (first, second):
                groups["unknown"].append(item)
        return groups


@dataclass
class Comparison:
    """Everything the comparison page and its downloads show."""

    councils: list[str]
    """Every council, by IRI (sorted)."""
    themes: Matrix
    goals: Matrix
    counties: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Council -> the counties its current members lie in (``council-counties.rq``),
    sorted by county number; a council with no member in a known county is left out."""
    members: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Council -> its current members (``org:hasMember``), for searching by name."""
    county_numbers: dict[str, str] = field(default_factory=dict)
    """County -> its number (``skos:notation``), which orders the counties."""

    @cached_property
    def named(self) -> dict[str, frozenset[str]]:
        """Council -> the themes and goals it names (both matrices)."""
        found: dict[str, set[str]] = {council: set() for council in self.councils}
        for matrix in (self.themes, self.goals):
            for (item, council), cell in matrix.cells.items():
                if cell.status == NAMED and council in found:
                    found[council].add(item)
        return {council: frozenset(items) for council, items in found.items()}

    def similarity(self, council: str, other: str) -> Similarity:
        """The Jaccard index of what ``council`` and ``other`` name, rounded to three
        decimals as ``similar-councils.rq`` does (0 when both name nothing)."""
        mine, theirs = self.named.get(council, frozenset()), self.named.get(other, frozenset())
        shared, union = len(mine & theirs), len(mine | theirs)
        jaccard = floor(Fraction(1000 * shared, union) + Fraction(1, 2)) / 1000 if union else 0.0
        return Similarity(shared, union, jaccard)

    def similar_to(self, council: str) -> list[tuple[str, Similarity]]:
        """The other councils, most similar to ``council`` first (then by IRI)."""
        others = [
            (other, self.similarity(council, other)) for other in self.councils if other != council
        ]
        return sorted(others, key=lambda pair: (-pair[1].jaccard, -pair[1].shared, pair[0]))

    def ordered(self, councils: Iterable[str], like: str | None) -> list[str]:
        """``councils`` in IRI order, or, with ``like``, that council first and the rest
        by their similarity to it."""
        chosen = set(councils)
        if like is None:
            return [council for council in self.councils if council in chosen]
        ranked = [like] + [other for other, _ in self.similar_to(like)]
        return [council for council in ranked if council in chosen]

    def all_counties(self) -> list[str]:
        """Every county some council has a member in, by county number (then IRI)."""
        found = {county for counties in self.counties.values() for county in counties}
        return sorted(found, key=lambda county: (self.county_numbers.get(county, ""), county))

    def in_counties(self, counties: Iterable[str]) -> list[str]:
        """The councils with a member in any of ``counties``, in IRI order."""
        wanted = set(counties)
        return [
            council for council in self.councils if wanted & set(self.counties.get(council, ()))
        ]


def read_query(folder: Path, name: str) -> str:
    path = folder / f"{name}.rq"
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise QueryFailed(f"the comparison query {name}.rq is not installed") from error


def read_comparison(store: ReadOnlyStore, folder: Path) -> Comparison:
    """Run the four comparison queries in ``folder`` against ``store``, once each."""
    goal_rows = select(store, read_query(folder, "goal-matrix"))
    theme_rows = select(store, read_query(folder, "theme-matrix"))
    list_rows = select(store, read_query(folder, "list-completeness"))
    county_rows = select(store, read_query(folder, "council-counties"))
    councils = sorted(
        {str(row["council"]) for row in goal_rows + theme_rows}
        | {str(row["council"]) for row in county_rows}
    )
    themes = theme_matrix(theme_rows, councils)
    goals = goal_matrix(goal_rows, councils)
    themes.lists, goals.lists = (
        list_statements(list_rows, "themes"),
        list_statements(list_rows, "goals"),
    )
    counties, members, numbers = council_counties(county_rows)
    return Comparison(councils, themes, goals, counties, members, numbers)


def council_counties(
    rows: list[Row],
) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]], dict[str, str]]:
    """Council -> counties, council -> members, county -> number, from
    ``council-counties.rq``."""
    counties: dict[str, set[str]] = {}
    members: dict[str, set[str]] = {}
    numbers: dict[str, str] = {}
    for row in rows:
        council = str(row["council"])
        if "member" in row:
            members.setdefault(council, set()).add(str(row["member"]))
        if "county" in row:
            county = str(row["county"])
            counties.setdefault(council, set()).add(county)
            if "countyNumber" in row:
                numbers.setdefault(county, str(row["countyNumber"]))

    def by_number(county: str) -> tuple[str, str]:
        return (numbers.get(county, ""), county)

    return (
        {council: tuple(sorted(found, key=by_number)) for council, found in counties.items()},
        {council: tuple(sorted(found)) for council, found in members.items()},
        numbers,
    )


def list_statements(rows: list[Row], kind: str) -> dict[tuple[str, str], tuple[str, ...]]:
    """(council, completeness) -> who says so, for the list ``kind`` depends on."""
    found: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        if LISTS.get(str(row["list"]).rsplit("/", 1)[-1]) != kind:
            continue
        stated = found.setdefault((str(row["council"]), str(row["completeness"])), [])
        if str(row["statedOn"]) not in stated:
            stated.append(str(row["statedOn"]))
    return {key: tuple(value) for key, value in found.items()}


def goal_matrix(rows: list[Row], councils: list[str]) -> Matrix:
    items: dict[str, Item] = {}
    cells: dict[tuple[str, str], Cell] = {}
    for row in rows:
        goal = str(row["goal"])
        items.setdefault(goal, Item(goal, "UN", int(str(row["goalNumber"]))))
        evidence = (str(row["evidence"]),) if "evidence" in row else ()
        cells[(goal, str(row["council"]))] = Cell(str(row["status"]), evidence, evidence)
    ordered = sorted(items.values(), key=lambda item: (item.number, item.iri))
    return Matrix("goals", ordered, councils, cells)


def theme_matrix(rows: list[Row], councils: list[str]) -> Matrix:
    items: dict[str, Item] = {}
    evidence: dict[tuple[str, str], list[str]] = {}
    strategies: dict[tuple[str, str], list[str]] = {}
    statuses: dict[tuple[str, str], str] = {}
    for row in rows:
        theme, council = str(row["theme"]), str(row["council"])
        items.setdefault(theme, Item(theme, str(row["scheme"])))
        key = (theme, council)
        statuses[key] = str(row["status"])
        if "evidence" in row and str(row["evidence"]) not in evidence.setdefault(key, []):
            evidence[key].append(str(row["evidence"]))
        if "strategy" in row and str(row["strategy"]) not in strategies.setdefault(key, []):
            strategies[key].append(str(row["strategy"]))
    cells = {
        key: Cell(
            status,
            tuple(evidence.get(key, ()) or strategies.get(key, ())),
            tuple(strategies.get(key, ())),
        )
        for key, status in statuses.items()
    }
    ordered = sorted(items.values(), key=lambda item: (SCHEME_ORDER.get(item.scheme, 9), item.iri))
    return Matrix("themes", ordered, councils, cells)
