"""What the map of the municipalities shows: the build's map file, which municipality each
area is, the councils each belongs to, and a status per municipality.

``read_map`` opens the map file of the build (``artefact.map_file``; None where the build
has none). ``municipality_numbers`` says which municipality of the data has each 2024
kommunenummer (``?m ipr:municipalityNumber/skos:notation "NNNN"``, a number not ended
before 2024). ``read_memberships`` reads every council's members (``queries/map/``).

Two colourings are defined here, as plain functions, so that a test can hold them against
their sources:

* ``council_statuses``: on a council's page, each municipality is a *member* (the council
  states ``org:hasMember``, or a membership of it has no end), an *uncertain* member (such
  a membership is marked ``ipr:uncertain``), a *former* member (only memberships that have
  ended), or *other*;
* ``item_statuses``: on /compare, for one row of the theme or goal matrix, each
  municipality is *named* if any council it is a current member of names the theme or goal
  (its cell is "named"); else *not named* if every such council is known not to name it
  (each cell "absent": its list is complete); else *unknown* (some such council's list is
  not known to be complete); and *no council* if it is a current member of no council
  among the matrix's columns. docs/map.md says the same for readers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from iprkg.artefact.map_file import MAP_NAME, MunicipalMap, parse_map
from iprkg.engine.results import select
from iprkg.engine.store import ReadOnlyStore
from iprkg.services.comparison import ABSENT, NAMED, Matrix
from iprkg.services.page_queries import query

MEMBER, UNCERTAIN, FORMER, OTHER = "member", "uncertain", "former", "other"
COUNCIL_STATUSES = (MEMBER, UNCERTAIN, FORMER, OTHER)
"""A municipality on a council's page, in the legend's order."""
ITEM_NAMED, ITEM_NOT_NAMED, ITEM_UNKNOWN, NO_COUNCIL = "named", "not-named", "unknown", "no-council"
ITEM_STATUSES = (ITEM_NAMED, ITEM_NOT_NAMED, ITEM_UNKNOWN, NO_COUNCIL)
"""A municipality for one row of the comparison, in the legend's order."""


@dataclass(frozen=True)
class Membership:
    """What the data say of one municipality (or other member) in one council."""

    council: str
    member: str
    current: bool
    """The council states it as a member (``org:hasMember``) or a membership has no end."""
    ended: str
    """The latest end of its memberships ("" if none has one)."""
    uncertain: bool


def read_map(store: ReadOnlyStore) -> MunicipalMap | None:
    """The build's map; None where the build has none (built without the external
    folder, or other data) or it cannot be read (the page then shows no map)."""
    content = store.published_file(MAP_NAME)
    if content is None:
        return None
    try:
        return parse_map(content)
    except (ValueError, KeyError, TypeError):
        return None


def municipality_numbers(store: ReadOnlyStore) -> dict[str, str]:
    """2024 kommunenummer -> the municipality's IRI (the least IRI, were two to share one)."""
    found: dict[str, str] = {}
    for row in select(store, query("map/numbers")):
        number, iri = str(row["notation"]), str(row["municipality"])
        if number not in found or iri < found[number]:
            found[number] = iri
    return found


def read_memberships(store: ReadOnlyStore) -> list[Membership]:
    """Every council's members, by council and member."""
    seen: dict[tuple[str, str], dict[str, object]] = {}
    for row in select(store, query("map/members")):
        key = (str(row["council"]), str(row["member"]))
        found = seen.setdefault(key, {"current": False, "open": False, "ended": "", "doubt": False})
        if "current" in row:
            found["current"] = True
        elif "end" in row:
            found["ended"] = max(str(found["ended"]), str(row["end"]))
        else:
            found["open"] = True
        if "uncertain" in row and str(row["uncertain"]) in ("true", "1"):
            found["doubt"] = True
    return [
        Membership(
            council,
            member,
            current=bool(found["current"] or found["open"]),
            ended=str(found["ended"]),
            uncertain=bool(found["doubt"]),
        )
        for (council, member), found in sorted(seen.items())
    ]


def council_statuses(memberships: Iterable[Membership], council: str) -> dict[str, str]:
    """Each member of ``council`` -> ``member``, ``uncertain`` or ``former`` (the module
    says which); the others are ``other``."""
    statuses: dict[str, str] = {}
    for membership in memberships:
        if membership.council != council:
            continue
        if membership.current:
            statuses[membership.member] = UNCERTAIN if membership.uncertain else MEMBER
        else:
            statuses.setdefault(membership.member, FORMER)
    return statuses


def councils_of(memberships: Iterable[Membership]) -> dict[str, list[str]]:
    """Each member -> the councils it is a current member of, sorted."""
    councils: dict[str, list[str]] = {}
    for membership in memberships:
        if membership.current:
            councils.setdefault(membership.member, []).append(membership.council)
    return {member: sorted(found) for member, found in councils.items()}


def item_status(matrix: Matrix, item: str, councils: Iterable[str]) -> str:
    """How a municipality in ``councils`` stands for the row ``item`` (the module says how)."""
    statuses = [matrix.cell(item, c).status for c in councils if c in matrix.councils]
    if not statuses:
        return NO_COUNCIL
    if NAMED in statuses:
        return ITEM_NAMED
    if all(status == ABSENT for status in statuses):
        return ITEM_NOT_NAMED
    return ITEM_UNKNOWN


def item_statuses(
    matrix: Matrix, item: str, councils: Mapping[str, Iterable[str]], municipalities: Iterable[str]
) -> dict[str, str]:
    """Each of ``municipalities`` -> its status for the row ``item`` of ``matrix``,
    ``councils`` being each one's current councils (``councils_of``)."""
    return {iri: item_status(matrix, item, councils.get(iri, ())) for iri in municipalities}
