"""Norway's municipalities and counties of 2024, read from Kartverket's data.

Every municipality of Norway is a resource (docs/model.md, "Municipalities and
counties"). Their 2024 numbers (kommunenummer), names and counties come from a copy of
Kartverket's division of 2024 in the external reference folder (the ``IPRKG_EXTERNAL``
setting, ``kommuner-2024/Kommuner-S.geojson`` and ``Fylker-S.geojson``; CC BY 4.0,
"© Kartverket"). Only the features' properties are read here; their geometry is the
map's (``kommunenummer`` and ``kommunenavn`` of a municipality, ``fylkesnummer``,
``name`` and ``fylkesnavn`` of a county). A municipality's county is the one whose
number begins its own.

``load_division`` answers ``None`` where the folder lacks the files, so that a clone
without it still builds (with a note), and raises ``DivisionError`` naming the file
where one is there but broken. ``slug`` makes a municipality's IRI from its name by the
rule of docs/model.md; ``municipality_iris`` joins the division to the data, where two
municipalities keep older IRIs by stating their 2024 number.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, SKOS

FOLDER = "kommuner-2024"
MUNICIPALITIES_FILE = f"{FOLDER}/Kommuner-S.geojson"
COUNTIES_FILE = f"{FOLDER}/Fylker-S.geojson"
"""The files, relative to the external folder."""
YEAR_START = "2024-01-01"
"""The first day of the division: a number valid on or after it is a 2024 number."""
TRANSLITERATION = str.maketrans({"æ": "a", "ø": "o", "å": "a", "ŋ": "n", "đ": "d"})
"""Letters the IRI rule spells out; other accents are dropped by decomposition."""


class DivisionError(Exception):
    """A file of the division is there but cannot be read; the build stops and names it."""


@dataclass(frozen=True)
class County:
    """A county of 2024."""

    number: str
    """The fylkesnummer, two digits."""
    name: str
    """The short name (``Troms``), which the county's IRI is made from."""
    official_name: str
    """The name with its Sami and Kven forms where it has them (``Troms - Romsa - Tromssa``)."""

    @property
    def slug(self) -> str:
        return slug(self.name)


@dataclass(frozen=True)
class Municipality:
    """A municipality of 2024."""

    number: str
    """The kommunenummer, four digits."""
    name: str
    """The official name, every language form of it (``Deatnu - Tana``)."""
    county: County
    slug: str
    """The last segment of its IRI by the rule (names used twice add the county)."""


@dataclass(frozen=True)
class Division:
    """Kartverket's municipalities and counties of 2024, and the files they come from."""

    municipalities: tuple[Municipality, ...]
    counties: tuple[County, ...]
    files: tuple[Path, ...]

    def by_number(self) -> dict[str, Municipality]:
        return {municipality.number: municipality for municipality in self.municipalities}


def slug(name: str) -> str:
    """``name`` as an IRI segment: lower case, æ ø å as a o a, other accents dropped
    (á→a, š→s, ŋ→n, đ→d), every run of other characters one ``-``."""
    lowered = name.lower().translate(TRANSLITERATION)
    plain = "".join(
        char for char in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(char)
    )
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def load_division(external: Path) -> Division | None:
    """The division of 2024 from ``external``; None if a file is absent."""
    paths = (external / MUNICIPALITIES_FILE, external / COUNTIES_FILE)
    if not all(path.is_file() for path in paths):
        return None
    stamps = tuple((path.stat().st_mtime_ns, path.stat().st_size) for path in paths)
    return read_division(paths, stamps)


@lru_cache(maxsize=4)
def read_division(paths: tuple[Path, ...], _stamps: tuple[tuple[int, int], ...]) -> Division:
    municipality_path, county_path = paths
    counties = {
        county.number: county
        for county in (
            County(
                number=text(props, "fylkesnummer", r"[0-9]{2}", county_path),
                name=text(props, "name", r".*\S.*", county_path),
                official_name=str(props.get("fylkesnavn") or props["name"]),
            )
            for props in properties(county_path)
        )
    }
    found: list[tuple[str, str, County]] = []
    for props in properties(municipality_path):
        number = text(props, "kommunenummer", r"[0-9]{4}", municipality_path)
        name = str(props.get("kommunenavn") or text(props, "name", r".*\S.*", municipality_path))
        county = counties.get(number[:2])
        if county is None:
            raise DivisionError(
                f"{municipality_path}: municipality {number} ({name}) lies in county "
                f"{number[:2]}, which {county_path.name} does not have; is this the right file?"
            )
        found.append((number, name, county))
    twice = {name for name, count in Counter(name for _, name, _ in found).items() if count > 1}
    numbers = Counter(number for number, _, _ in found)
    if repeated := sorted(number for number, count in numbers.items() if count > 1):
        raise DivisionError(f"{municipality_path}: kommunenummer {repeated[0]} is there twice")
    municipalities = tuple(
        Municipality(
            number,
            name,
            county,
            f"{slug(name)}-{county.slug}" if name in twice else slug(name),
        )
        for number, name, county in sorted(found)
    )
    return Division(municipalities, tuple(sorted(counties.values(), key=lambda c: c.number)), paths)


def properties(path: Path) -> list[dict[str, Any]]:
    """The properties of every feature of the GeoJSON file ``path``."""
    try:
        collection = json.loads(path.read_bytes())
    except (ValueError, UnicodeDecodeError) as error:
        raise DivisionError(
            f"{path}: not JSON ({error}); restore the file from its ORIGIN or point "
            "IPRKG_EXTERNAL at a good copy"
        ) from error
    features = collection.get("features") if isinstance(collection, dict) else None
    if not isinstance(features, list) or not features:
        raise DivisionError(f"{path}: not a GeoJSON FeatureCollection with features")
    found = []
    for position, feature in enumerate(features, start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(props, dict):
            raise DivisionError(f"{path}: feature {position} has no properties")
        found.append(props)
    return found


def text(props: dict[str, Any], key: str, pattern: str, path: Path) -> str:
    """The property ``key``, a string matching ``pattern``, or a DivisionError."""
    value = props.get(key)
    if not isinstance(value, str) or not re.fullmatch(pattern, value):
        raise DivisionError(f"{path}: a feature's {key} is {value!r}, not as Kartverket writes it")
    return value


def current_numbers(data: Graph, ipr: str) -> dict[str, set[URIRef]]:
    """Notation -> the municipalities of ``data`` that state it as a number valid in 2024
    or later (a number with no end date, or one ending on or after 2024-01-01)."""
    stated: dict[str, set[URIRef]] = {}
    for municipality, number in data.subject_objects(URIRef(f"{ipr}municipalityNumber")):
        end = data.value(number, DCAT.endDate)
        notation = data.value(number, SKOS.notation)
        if notation is None or not isinstance(municipality, URIRef):
            continue
        if end is None or str(end) >= YEAR_START:
            stated.setdefault(str(notation), set()).add(municipality)
    return stated


def municipality_iris(division: Division, data: Graph, base: str) -> dict[str, URIRef]:
    """Kommunenummer -> the municipality's IRI: the one municipality in ``data`` that
    states the number as valid in 2024, else ``{base}municipality/{slug}``."""
    stated = current_numbers(data, f"{base}ontology#")
    iris = {}
    for municipality in division.municipalities:
        claimants = stated.get(municipality.number, set())
        iris[municipality.number] = (
            next(iter(claimants))
            if len(claimants) == 1
            else URIRef(f"{base}municipality/{municipality.slug}")
        )
    return iris


def county_iri(county: County, base: str) -> URIRef:
    return URIRef(f"{base}county/{county.slug}")
