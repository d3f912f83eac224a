"""Which councils ``/compare`` shows, from its query arguments, and how the form lists them.

The arguments, on the page and on the downloads alike (docs/comparison.md):

* ``council`` (repeatable): a council, by its key (``kongsberg``: the last segment of
  its IRI, where no other council's IRI ends the same way) or by its IRI;
* ``county`` (repeatable): a county (``innlandet``, or its IRI): every council with a
  current member in it (``council-counties.rq``);
* ``q``: a search: the councils whose name, or one of whose members' names, holds the
  words (case and accents aside), in either language;
* ``like``: a council; the columns are then sorted by similarity to it;
* ``sort``: ``named`` puts the rows named by most councils first.

Each of ``council``, ``county`` and ``q`` adds councils: the columns are every council
chosen, every council in a county chosen and every council found; with none of them, all
councils. A value that is not a council or county, or a ``sort`` we do not know, is
ignored, and named in a message; more values than ``MAX_VALUES`` or a search longer than
``MAX_SEARCH`` is a 400, in the page's language.

The form lists each council once, under its county: a council whose members lie in more
than one county under "several counties" (with its counties named), one with no member in
a known county under "county not known" (``Group``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import request

from iprkg.core.errors import BadRequest
from iprkg.services.comparison import Comparison
from iprkg.web.compare_grid import NORWEGIAN_LAST
from iprkg.web.context import current_labels
from iprkg.web.templating import page_language, translate

SORTS = ("name", "named")
"""``?sort=``: by scheme and name (the default), or by how many councils name the row."""
MAX_VALUES = 400
"""At most this many values of one argument (``council``, ``county``): more is a 400."""
MAX_SEARCH = 100
"""At most this many characters in ``q``: more is a 400."""
SHOWN_VALUE = 80
"""A value quoted back in a message is cut to this many characters."""
SEVERAL, UNKNOWN_COUNTY = "several", "none"
"""The keys of the form's groups of councils in more than one county, and in none known."""


def keys_of(iris: list[str]) -> dict[str, str]:
    """IRI -> its key: the last segment where no other IRI ends the same way, else the IRI."""
    ends: dict[str, int] = {}
    for iri in iris:
        end = iri.rstrip("/").rsplit("/", 1)[-1]
        ends[end] = ends.get(end, 0) + 1
    keys = {}
    for iri in iris:
        end = iri.rstrip("/").rsplit("/", 1)[-1]
        keys[iri] = end if end and ends[end] == 1 and end not in iris else iri
    return keys


FOLDED_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})


def folded(text: str) -> str:
    """``text`` for searching: case and accents aside (æ, ø, å as ae, o, a, so that
    "Tromso" finds Tromsø), spaces collapsed."""
    lowered = text.casefold().translate(FOLDED_LETTERS)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return " ".join("".join(char for char in decomposed if not unicodedata.combining(char)).split())


@dataclass(frozen=True)
class Group:
    """The councils of a county in the form (or of several counties, or none known)."""

    key: str
    """The county's key, ``SEVERAL`` or ``UNKNOWN_COUNTY``."""
    name: str
    councils: list[tuple[str, str, str]]
    """(IRI, key, name; with its counties for ``SEVERAL``) per council, by name."""


@dataclass(frozen=True)
class Selection:
    councils: list[str]
    """The councils to show, in column order."""
    chosen: list[str]
    """The councils asked for by ``council`` (IRIs)."""
    counties: list[str]
    """The counties asked for by ``county`` (IRIs)."""
    search: str
    """``q``, as given (spaces collapsed)."""
    found: list[str]
    """The councils the search found."""
    like: str | None
    sort: str
    """``name`` or ``named``."""
    ignored: list[str]
    """Asked-for values that are not councils or counties (or not a sort), cut short."""
    council_keys: dict[str, str]
    county_keys: dict[str, str]

    @property
    def filtered(self) -> bool:
        """True where ``council``, ``county`` or ``q`` chose the columns."""
        return bool(self.chosen or self.counties or self.search)

    def arguments(self, filters: bool = True) -> list[tuple[str, str]]:
        """The selection as query arguments, with the reader's language if chosen; without
        ``council``, ``county`` and ``q`` where ``filters`` is false."""
        arguments: list[tuple[str, str]] = []
        if filters:
            arguments += [("council", self.council_keys[council]) for council in self.chosen]
            arguments += [("county", self.county_keys[county]) for county in self.counties]
            if self.search:
                arguments.append(("q", self.search))
        if self.like:
            arguments.append(("like", self.council_keys[self.like]))
        if self.sort != SORTS[0]:
            arguments.append(("sort", self.sort))
        if request.args.get("lang") in ("nb", "en"):
            arguments.append(("lang", request.args["lang"]))
        return arguments

    def query(self, filters: bool = True, **changes: str) -> str:
        """The selection as a query string, with ``changes`` (e.g. ``sort="named"``)."""
        arguments = [
            (name, value) for name, value in self.arguments(filters) if name not in changes
        ]
        arguments += [(name, value) for name, value in changes.items() if value]
        return urlencode(arguments)

    def key(self, council: str) -> str:
        return self.council_keys.get(council, council)


def values(name: str) -> list[str]:
    """The non-empty values of the argument ``name``; a 400 where there are too many."""
    given = [value.strip() for value in request.args.getlist(name)]
    if len(given) > MAX_VALUES:
        raise BadRequest(
            translate(
                f"For mange verdier for {name} ({len(given)}); høyst {MAX_VALUES}. "
                "Velg et fylke eller færre regionråd.",
                f"Too many values of {name} ({len(given)}); at most {MAX_VALUES}. "
                "Choose a county or fewer councils.",
            )
        )
    return [value for value in given if value]


def resolver(keys: dict[str, str]) -> dict[str, str]:
    """Key or IRI -> IRI."""
    return {**{iri: iri for iri in keys}, **{key: iri for iri, key in keys.items()}}


def shown(value: str) -> str:
    return value if len(value) <= SHOWN_VALUE else value[: SHOWN_VALUE - 1] + "…"


def search_terms() -> str:
    search = " ".join(request.args.get("q", "").split())
    if len(search) > MAX_SEARCH:
        raise BadRequest(
            translate(
                f"Søket er for langt ({len(search)} tegn); høyst {MAX_SEARCH}.",
                f"The search is too long ({len(search)} characters); at most {MAX_SEARCH}.",
            )
        )
    return search


def matches(comparison: Comparison, search: str) -> list[str]:
    """The councils whose name, or a member's name, holds every word of ``search``."""
    labels = current_labels()
    words = folded(search).split()
    found = []
    for council in comparison.councils:
        names = [
            labels.label(iri, lang)
            for iri in (council, *comparison.members.get(council, ()))
            for lang in ("nb", "en")
        ]
        text = folded(" ".join(names))
        if all(word in text for word in words):
            found.append(council)
    return found


def selection(comparison: Comparison) -> Selection:
    """The councils, order and sort asked for (the module's arguments)."""
    council_keys = keys_of(comparison.councils)
    county_keys = keys_of(comparison.all_counties())
    councils, counties = resolver(council_keys), resolver(county_keys)
    ignored: list[str] = []
    chosen: list[str] = []
    for value in values("council"):
        if value in councils:
            chosen.append(councils[value])
        else:
            ignored.append(shown(value))
    chosen_counties: list[str] = []
    for value in values("county"):
        if value in counties:
            chosen_counties.append(counties[value])
        else:
            ignored.append(shown(f"county={value}"))
    chosen, chosen_counties = list(dict.fromkeys(chosen)), list(dict.fromkeys(chosen_counties))
    search = search_terms()
    found = matches(comparison, search) if search else []
    like_value = request.args.get("like", "").strip()
    like = councils.get(like_value) if like_value else None
    if like_value and like is None:
        ignored.append(shown(like_value))
    sort = request.args.get("sort") or SORTS[0]
    if sort not in SORTS:
        ignored.append(shown(f"sort={sort}"))
        sort = SORTS[0]
    if chosen or chosen_counties or search:
        wanted = set(chosen) | set(comparison.in_counties(chosen_counties)) | set(found)
    else:
        wanted = set(comparison.councils)
    return Selection(
        comparison.ordered(wanted, like),
        chosen,
        chosen_counties,
        search,
        found,
        like,
        sort,
        ignored,
        council_keys,
        county_keys,
    )


def groups(comparison: Comparison, chosen: Selection) -> list[Group]:
    """The councils by county for the form: each council once (the module says where)."""
    labels, lang = current_labels(), page_language()
    by_county: dict[str, list[tuple[str, str, str]]] = {}
    several: list[tuple[str, str, str]] = []
    unknown: list[tuple[str, str, str]] = []
    for council in comparison.councils:
        counties = comparison.counties.get(council, ())
        name = labels.label(council, lang)
        if len(counties) == 1:
            by_county.setdefault(counties[0], []).append((council, chosen.key(council), name))
        elif counties:
            where = ", ".join(county_name(county) for county in counties)
            several.append((council, chosen.key(council), f"{name} ({where})"))
        else:
            unknown.append((council, chosen.key(council), name))
    found = [
        Group(chosen.county_keys[county], county_name(county), by_name(by_county[county]))
        for county in comparison.all_counties()
        if county in by_county
    ]
    if several:
        found.append(
            Group(SEVERAL, translate("Flere fylker", "Several counties"), by_name(several))
        )
    if unknown:
        found.append(
            Group(
                UNKNOWN_COUNTY, translate("Fylke ikke kjent", "County not known"), by_name(unknown)
            )
        )
    return found


def county_name(county: str) -> str:
    return current_labels().label(county, page_language())


def by_name(councils: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    return sorted(councils, key=lambda entry: entry[2].casefold().translate(NORWEGIAN_LAST))


def county_counts(comparison: Comparison) -> list[tuple[str, str, str, int]]:
    """(IRI, key, name, how many councils have a member there) per county, by number."""
    keys = keys_of(comparison.all_counties())
    return [
        (county, keys[county], county_name(county), len(comparison.in_counties([county])))
        for county in comparison.all_counties()
    ]
