"""The map of Norway's municipalities: Kartverket's 2024 boundaries, checked, projected,
simplified and written as one small file of SVG paths (``artefact.map_file``).

Read from the external folder (``settings.external``): ``kommuner-2024/Kommuner-S.geojson``
(357 municipalities: ``kommunenummer``, ``kommunenavn``, a Polygon or MultiPolygon each) and
``kommuner-2024/Fylker-S.geojson`` (15 counties: ``fylkesnummer``, ``fylkesnavn``). Both are
checked before anything is drawn (``read_features``): at most ``MAX_FILE_BYTES`` each, a
FeatureCollection of Polygons and MultiPolygons, every position two finite numbers inside
Norway's range (``LONGITUDES``, ``LATITUDES``), every ring closed and of four positions or
more, at most ``MAX_FEATURE_VERTICES`` per feature and ``MAX_VERTICES`` per file, numbers of
the right form and none twice. A file that fails stops the build (``MapGeometryError``),
naming the file and the feature; the last good build stays published.

The counties file gives the counties' numbers and names; the lines drawn between counties
are the municipalities' own borders where the two sides lie in different counties, so they
meet the municipalities exactly (``map_topology``). Without the folder (or without
``kommuner-2024/`` in it) the build goes on without a map, and says so; pages then show none.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from iprkg.artefact.manifest import sha256
from iprkg.artefact.map_file import MAP_FORMAT, MAP_NAME
from iprkg.build.map_topology import PROJECTION, Feature, Ring, draw
from iprkg.build.municipalities import COUNTIES_FILE, MUNICIPALITIES_FILE
from iprkg.build.sources import SourceError

ATTRIBUTION = "© Kartverket"
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
MAX_FILE_BYTES = 20_000_000
"""The largest source file read (the 2024 files are 1.3 MB and 0.6 MB)."""
MAX_VERTICES = 400_000
"""The most positions in one file (the 2024 municipalities have about 31,000)."""
MAX_FEATURE_VERTICES = 40_000
"""The most positions in one feature (the largest 2024 municipality has a few thousand)."""
LONGITUDES = (3.0, 33.0)
LATITUDES = (57.0, 72.0)
"""Norway's mainland and coast, in degrees east and north (WGS 84, as GeoJSON has them)."""
MUNICIPALITY_NUMBER = re.compile(r"[0-9]{4}")
COUNTY_NUMBER = re.compile(r"[0-9]{2}")


class MapGeometryError(SourceError):
    """A map source file is there but malformed or too large; the message names the file
    and the feature."""


@dataclass(frozen=True)
class MapFile:
    """The map file and its manifest entry (``map``)."""

    content: bytes
    entry: dict[str, Any]


def make_map(external: Path, progress: Callable[[str], None]) -> MapFile | None:
    """The map file drawn from the files in ``external``; None (and a line through
    ``progress``) where the folder lacks them; MapGeometryError for a malformed one."""
    paths = [external / MUNICIPALITIES_FILE, external / COUNTIES_FILE]
    if not all(path.is_file() for path in paths):
        progress(
            f"no municipality map in {external} ({MUNICIPALITIES_FILE}, {COUNTIES_FILE}): "
            "building without a map (set IPRKG_EXTERNAL to the folder that has them)"
        )
        return None
    progress("drawing the map of the municipalities…")
    municipalities = read_features(paths[0], MUNICIPALITIES_FILE, "kommunenummer", "kommunenavn")
    counties = read_features(paths[1], COUNTIES_FILE, "fylkesnummer", "fylkesnavn")
    county_names = {county.number: county.name for county in counties}
    for feature in municipalities:
        if feature.number[:2] not in county_names:
            raise MapGeometryError(
                f"{MUNICIPALITIES_FILE}: {describe(feature)}: its county "
                f"{feature.number[:2]} is not in {COUNTIES_FILE}"
            )
    drawing = draw(municipalities)
    document = {
        "format": MAP_FORMAT,
        "attribution": ATTRIBUTION,
        "licence": LICENCE,
        "projection": PROJECTION,
        "view_box": list(drawing.view_box),
        "municipalities": [
            {
                "number": f.number,
                "name": f.name,
                "county": f.number[:2],
                "d": drawing.paths[f.number],
            }
            for f in sorted(municipalities, key=lambda f: f.number)
        ],
        "counties": dict(sorted(county_names.items())),
        "county_borders": drawing.county_borders,
    }
    content = (json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
    entry = {
        "path": MAP_NAME,
        "media_type": "application/json",
        "bytes": len(content),
        "sha256": sha256(content),
        "format": MAP_FORMAT,
        "municipalities": len(municipalities),
        "counties": len(counties),
        "vertices": drawing.vertices,
        "projection": PROJECTION,
        "attribution": ATTRIBUTION,
        "licence": LICENCE,
        "sources": [
            {"path": name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
            for name, path in zip((MUNICIPALITIES_FILE, COUNTIES_FILE), paths, strict=True)
        ],
    }
    progress(
        f"map: {len(municipalities)} municipalities, {drawing.vertices} points, "
        f"{len(content) // 1000} kB"
    )
    return MapFile(content, entry)


def describe(feature: Feature | None, index: int = 0, number: str = "") -> str:
    """How a message names a feature: "feature 12 (4216 Birkenes)"."""
    if feature is not None:
        return f"feature {feature.index} ({feature.number} {feature.name})"
    return f"feature {index}" + (f" ({number})" if number else "")


def read_features(path: Path, name: str, number_key: str, name_key: str) -> list[Feature]:
    """The features of the GeoJSON file at ``path`` (called ``name`` in messages), each
    checked (see the module): MapGeometryError naming the file and feature if one fails."""

    def fail(message: str) -> MapGeometryError:
        return MapGeometryError(f"{name}: {message}")

    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise fail(f"{size} bytes, more than the {MAX_FILE_BYTES} a map source may have")
        document = json.loads(path.read_bytes())
    except OSError as error:
        raise fail(f"cannot be read: {error}") from error
    except ValueError as error:
        raise fail(f"not JSON: {error}") from error
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise fail("not a GeoJSON FeatureCollection")
    items = document.get("features")
    if not isinstance(items, list) or not items:
        raise fail("holds no features")
    features: list[Feature] = []
    seen: set[str] = set()
    total = 0
    for index, item in enumerate(items, start=1):
        properties = item.get("properties") if isinstance(item, dict) else None
        properties = properties if isinstance(properties, dict) else {}
        number = properties.get(number_key)
        pattern = MUNICIPALITY_NUMBER if number_key == "kommunenummer" else COUNTY_NUMBER
        if not isinstance(number, str) or not pattern.fullmatch(number):
            raise fail(f"{describe(None, index)}: {number_key} {number!r} is not {pattern.pattern}")
        if number in seen:
            raise fail(f"{describe(None, index, number)}: {number_key} {number} is there twice")
        seen.add(number)
        label = properties.get(name_key) or properties.get("name")
        if not isinstance(label, str) or not label.strip():
            raise fail(f"{describe(None, index, number)}: no {name_key}")
        where = f"{describe(None, index, number)} {label}"
        polygons = read_geometry(item.get("geometry"), partial(fail_at, fail, where))
        vertices = sum(len(ring) for polygon in polygons for ring in polygon)
        if vertices > MAX_FEATURE_VERTICES:
            raise fail(
                f"{where}: {vertices} points, "
                f"more than the {MAX_FEATURE_VERTICES} a feature may have"
            )
        total += vertices
        if total > MAX_VERTICES:
            raise fail(f"more than {MAX_VERTICES} points (at {where})")
        features.append(Feature(index, number, label.strip(), polygons))
    return features


def fail_at(fail: Callable[[str], MapGeometryError], where: str, message: str) -> MapGeometryError:
    return fail(f"{where}: {message}")


def read_geometry(geometry: object, fail: Callable[[str], MapGeometryError]) -> list[list[Ring]]:
    """The polygons of a Polygon or MultiPolygon, each a list of rings (outer first), each
    ring its positions as (longitude, latitude) without the closing repeat."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        kind = geometry.get("type") if isinstance(geometry, dict) else type(geometry).__name__
        raise fail(f"geometry {kind!r} is not a Polygon or MultiPolygon")
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list) or not coordinates:
        raise fail("geometry has no coordinates")
    raw = [coordinates] if geometry["type"] == "Polygon" else coordinates
    polygons: list[list[Ring]] = []
    for p, polygon in enumerate(raw, start=1):
        if not isinstance(polygon, list) or not polygon:
            raise fail(f"polygon {p} has no rings")
        rings: list[Ring] = []
        for r, ring in enumerate(polygon, start=1):
            where = f"ring {r} of polygon {p}"
            if not isinstance(ring, list) or len(ring) < 4:
                raise fail(f"{where} has fewer than four positions")
            positions = [position_of(point, partial(fail_at, fail, where)) for point in ring]
            if positions[0] != positions[-1]:
                raise fail(f"{where} is not closed (its last position is not its first)")
            rings.append(positions[:-1])
        polygons.append(rings)
    return polygons


def position_of(point: object, fail: Callable[[str], MapGeometryError]) -> tuple[float, float]:
    """A checked (longitude, latitude)."""
    if not isinstance(point, list) or len(point) not in (2, 3):
        raise fail(f"position {point!r} is not [longitude, latitude]")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in point):
        raise fail(f"position {point!r} is not numeric")
    lon, lat = float(point[0]), float(point[1])
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise fail(f"position {point!r} is not finite")
    if not (LONGITUDES[0] <= lon <= LONGITUDES[1] and LATITUDES[0] <= lat <= LATITUDES[1]):
        raise fail(
            f"position {point!r} lies outside Norway ({LONGITUDES[0]:g}–{LONGITUDES[1]:g}° E, "
            f"{LATITUDES[0]:g}–{LATITUDES[1]:g}° N)"
        )
    return lon, lat
