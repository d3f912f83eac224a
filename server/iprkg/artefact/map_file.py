"""The map file of a build: Norway's municipalities as SVG paths, read as the pages need it.

The build writes it (``iprkg.build.map_geometry``) from Kartverket's 2024 municipalities
when the external folder holds them, and lists it in the manifest under ``map``; the store
hands it over like any other file of the artefact (``ReadOnlyStore.published_file``),
checked against the manifest's sha256 when the store opened (``artefact.published_files``).
``parse_map`` reads its JSON: a ``viewBox`` (``view_box``), one SVG path per municipality
by kommunenummer, the counties by fylkesnummer and the lines between counties. docs/map.md
describes the format.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

MAP_NAME = "iprkg-map.json"
"""The map file's name in ``dist`` and in the manifest's ``map`` entry."""
MAP_FORMAT = 1
"""The version of the file's layout; ``parse_map`` refuses any other."""
PATH_DATA = re.compile(r"[Mlz0-9 -]+")
NUMBER = re.compile(r"-?[0-9]+")
"""What a path's ``d`` is made of: moves, relative lines, closes and integers."""


@dataclass(frozen=True)
class MapArea:
    """One municipality on the map."""

    number: str
    """Its 2024 kommunenummer (four digits)."""
    name: str
    """Its name in Kartverket's file."""
    county: str
    """The fylkesnummer of its county (the kommunenummer's first two digits)."""
    d: str
    """Its outline: SVG path data in the map's ``view_box``."""

    @property
    def bounds(self) -> tuple[int, int, int, int]:
        """(left, top, right, bottom) of the outline, in the map's units."""
        xs, ys = [], []
        for ring in self.d.split("M")[1:]:
            start, _, moves = ring.rstrip("z").partition("l")
            x, y = (int(n) for n in start.split())
            xs.append(x)
            ys.append(y)
            steps = [int(n) for n in NUMBER.findall(moves)]
            for dx, dy in zip(steps[::2], steps[1::2], strict=True):
                x, y = x + dx, y + dy
                xs.append(x)
                ys.append(y)
        return min(xs), min(ys), max(xs), max(ys)


@dataclass(frozen=True)
class MunicipalMap:
    view_box: tuple[int, int, int, int]
    areas: tuple[MapArea, ...]
    """By kommunenummer."""
    counties: dict[str, str]
    """fylkesnummer -> the county's name in Kartverket's file."""
    county_borders: str
    """SVG path data: the borders between municipalities of different counties."""
    attribution: str
    """What the licence asks to be shown with the map ("© Kartverket")."""


def parse_map(content: bytes) -> MunicipalMap:
    """The map in ``content``; ValueError if it is not a map file of ``MAP_FORMAT``."""
    document = json.loads(content)
    if not isinstance(document, dict) or document.get("format") != MAP_FORMAT:
        raise ValueError(f"{MAP_NAME}: not a map file of format {MAP_FORMAT}")
    x, y, width, height = (int(value) for value in document["view_box"])
    areas = tuple(
        MapArea(str(a["number"]), str(a["name"]), str(a["county"]), path_data(a["d"]))
        for a in document["municipalities"]
    )
    counties = {str(number): str(name) for number, name in document["counties"].items()}
    return MunicipalMap(
        view_box=(x, y, width, height),
        areas=areas,
        counties=counties,
        county_borders=path_data(document["county_borders"]),
        attribution=str(document["attribution"]),
    )


def path_data(value: object) -> str:
    """``value`` if it is path data as the build writes it, else ValueError."""
    if not isinstance(value, str) or not PATH_DATA.fullmatch(value or " "):
        raise ValueError(f"{MAP_NAME}: a path holds more than moves, lines and numbers")
    return value
