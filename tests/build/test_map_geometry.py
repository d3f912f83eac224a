"""The map of the municipalities: drawn from Kartverket's files, small, listed in the
manifest and verified like every file of the artefact; a malformed or huge source stops the
build naming the file and the feature, and a build without the files has no map."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest

from iprkg.artefact.manifest import MANIFEST_NAME, read_manifest
from iprkg.artefact.map_file import MAP_NAME, parse_map
from iprkg.build.build import build
from iprkg.build.map_geometry import (
    MAX_FEATURE_VERTICES,
    MapGeometryError,
    make_map,
    read_features,
)
from iprkg.build.map_topology import (
    CENTRAL_MERIDIAN,
    MIN_AREA,
    TOLERANCE,
    UNITS_PER_KM,
    Feature,
    draw,
    project,
)
from iprkg.build.municipalities import COUNTIES_FILE, MUNICIPALITIES_FILE
from support.project import PROJECT_ROOT, project_settings

MAX_MAP_BYTES = 300_000
"""The map goes inline into pages: it must stay small (docs/map.md)."""
SQUARE = [[10.0, 60.0], [10.2, 60.0], [10.2, 60.1], [10.0, 60.1], [10.0, 60.0]]


def feature(number: str, name: str, coordinates: Any, kind: str = "Polygon") -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"id": number, "kommunenummer": number, "name": name, "kommunenavn": name},
        "geometry": {"type": kind, "coordinates": coordinates},
    }


def write(folder: Path, name: str, features: list[dict[str, Any]]) -> Path:
    path = folder / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def external_folder(tmp_path: Path, municipalities: list[dict[str, Any]]) -> Path:
    (tmp_path / "kommuner-2024").mkdir(parents=True)
    write(tmp_path, MUNICIPALITIES_FILE, municipalities)
    county = {
        "type": "Feature",
        "properties": {"id": "03", "fylkesnummer": "03", "name": "Oslo", "fylkesnavn": "Oslo"},
        "geometry": {"type": "Polygon", "coordinates": [SQUARE]},
    }
    write(tmp_path, COUNTIES_FILE, [county])
    return tmp_path


def test_the_map_of_2024_is_small_and_whole(external_dir: Path) -> None:
    drawn = make_map(external_dir, lambda _: None)
    assert drawn is not None
    assert len(drawn.content) < MAX_MAP_BYTES, f"{len(drawn.content)} bytes"
    municipal_map = parse_map(drawn.content)
    assert len(municipal_map.areas) == drawn.entry["municipalities"] == 357
    assert len(municipal_map.counties) == drawn.entry["counties"] == 15
    assert municipal_map.attribution == "© Kartverket"
    assert all(area.d.startswith("M") and area.d.endswith("z") for area in municipal_map.areas)
    _, _, width, height = municipal_map.view_box
    for area in municipal_map.areas:  # every municipality drawn, inside the viewBox
        left, top, right, bottom = area.bounds
        assert 0 <= left < right <= width and 0 <= top < bottom <= height, area.name
    assert {area.county for area in municipal_map.areas} == set(municipal_map.counties)
    assert drawn.entry["sha256"] == hashlib.sha256(drawn.content).hexdigest()


def test_the_map_is_byte_reproducible(external_dir: Path) -> None:
    first, second = make_map(external_dir, print), make_map(external_dir, print)
    assert first is not None and second is not None
    assert first.content == second.content


def test_shared_borders_are_drawn_once_for_both_sides() -> None:
    """Two squares sharing an edge with extra points on it: both draw the same edge."""
    edge = [[10.1, 60.0 + k / 100] for k in range(11)]
    west = [[10.0, 60.0], *edge, [10.0, 60.1], [10.0, 60.0]]
    east = [[10.2, 60.0], [10.2, 60.1], *edge[::-1], [10.2, 60.0]]
    features = [
        Feature(1, "0301", "West", [[[(x, y) for x, y in west[:-1]]]]),
        Feature(2, "3201", "East", [[[(x, y) for x, y in east[:-1]]]]),
    ]
    drawing = draw(features)
    points = {number: set(absolute(d)) for number, d in drawing.paths.items()}
    shared = points["0301"] & points["3201"]
    assert len(shared) >= 2  # the edge's ends, in both
    assert drawing.county_borders  # 03 and 32 differ: their border is a county border


def absolute(d: str) -> list[tuple[int, int]]:
    found = []
    for ring in d.split("M")[1:]:
        start, _, moves = ring.rstrip("z").partition("l")
        x, y = (int(n) for n in start.split())
        found.append((x, y))
        steps = [int(n) for n in re.findall(r"-?[0-9]+", moves)]
        for dx, dy in zip(steps[::2], steps[1::2], strict=True):
            x, y = x + dx, y + dy
            found.append((x, y))
    return found


def test_the_projection_keeps_north_up_and_scale_near_one() -> None:
    x0, y0 = project((15.0, 65.0))
    x1, y1 = project((15.0, 66.0))
    assert x0 == x1 == 0.0 and 110 < y1 - y0 < 112  # a degree of latitude, about 111 km
    east = project((16.0, 65.0))[0]
    assert 46 < east < 48  # a degree of longitude at 65° N, about 47 km


BROKEN = [
    pytest.param(
        [feature("0301", "Oslo", [SQUARE], kind="LineString")],
        ["feature 1 (0301) Oslo", "'LineString' is not a Polygon or MultiPolygon"],
        id="not-a-polygon",
    ),
    pytest.param(
        [feature("0301", "Oslo", [[*SQUARE[:-1], [10.0, 60.05]]])],
        ["feature 1 (0301) Oslo", "ring 1 of polygon 1 is not closed"],
        id="ring-not-closed",
    ),
    pytest.param(
        [feature("0301", "Oslo", [[[10.0, "60"], *SQUARE[1:]]])],
        ["feature 1 (0301) Oslo", "is not numeric"],
        id="not-numeric",
    ),
    pytest.param(
        [feature("0301", "Oslo", [[[-70.0, 60.0], *SQUARE[1:-1], [-70.0, 60.0]]])],
        ["feature 1 (0301) Oslo", "lies outside Norway"],
        id="outside-norway",
    ),
    pytest.param(
        [feature("0301", "Oslo", [SQUARE]), feature("0301", "Oslo igjen", [SQUARE])],
        ["feature 2 (0301)", "is there twice"],
        id="number-twice",
    ),
    pytest.param(
        [feature("301", "Oslo", [SQUARE])],
        ["feature 1", "kommunenummer '301'"],
        id="bad-number",
    ),
    pytest.param(
        [
            feature(
                "0301",
                "Oslo",
                [[[10.0 + k / 10**6, 60.0] for k in range(MAX_FEATURE_VERTICES)] + SQUARE[1:]],
            )
        ],
        ["feature 1 (0301) Oslo", f"more than the {MAX_FEATURE_VERTICES} a feature may have"],
        id="huge-feature",
    ),
]


@pytest.mark.parametrize(("features", "said"), BROKEN)
def test_malformed_geometry_is_named(tmp_path: Path, features: Any, said: list[str]) -> None:
    folder = external_folder(tmp_path, features)
    with pytest.raises(MapGeometryError) as raised:
        make_map(folder, lambda _: None)
    assert str(raised.value).startswith(MUNICIPALITIES_FILE)
    for words in said:
        assert words in str(raised.value)


def test_a_file_that_is_not_json_is_named(tmp_path: Path) -> None:
    folder = external_folder(tmp_path, [feature("0301", "Oslo", [SQUARE])])
    (folder / COUNTIES_FILE).write_text("{not json")
    with pytest.raises(MapGeometryError, match=f"^{COUNTIES_FILE}: not JSON"):
        make_map(folder, lambda _: None)


def test_a_huge_file_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = external_folder(tmp_path, [feature("0301", "Oslo", [SQUARE])])
    monkeypatch.setattr("iprkg.build.map_geometry.MAX_FILE_BYTES", 100)
    with pytest.raises(MapGeometryError, match="more than the 100 a map source may have"):
        read_features(folder / MUNICIPALITIES_FILE, MUNICIPALITIES_FILE, "kommunenummer", "x")


def test_broken_geometry_fails_the_build_and_keeps_the_last_good_one(
    tiny_project: Path, tmp_path: Path
) -> None:
    folder = external_folder(tmp_path / "external", [feature("0301", "Oslo", [SQUARE])])
    settings = project_settings(tiny_project, external=folder)
    build(settings)
    manifest = read_manifest(settings.dist)
    entry = manifest["map"]
    content = (settings.dist / MAP_NAME).read_bytes()
    assert entry["sha256"] == hashlib.sha256(content).hexdigest()
    assert entry["sources"][0]["path"] == MUNICIPALITIES_FILE
    before = (settings.dist / MANIFEST_NAME).read_bytes()
    write(folder, MUNICIPALITIES_FILE, [feature("0301", "Oslo", [SQUARE[:-1]])])
    with pytest.raises(MapGeometryError, match="feature 1"):
        build(settings)
    assert (settings.dist / MANIFEST_NAME).read_bytes() == before


def test_without_the_files_the_build_has_no_map(tiny_project: Path, tmp_path: Path) -> None:
    said: list[str] = []
    settings = project_settings(tiny_project, external=tmp_path / "nowhere")
    build(settings, progress=said.append)
    assert "map" not in read_manifest(settings.dist)
    assert not (settings.dist / MAP_NAME).exists()
    assert any("building without a map" in line for line in said)


def test_the_docs_say_the_numbers_the_code_uses() -> None:
    text = (PROJECT_ROOT / "docs" / "map.md").read_text(encoding="utf-8")
    for said in (
        f"tolerance of {TOLERANCE:g} km",
        f"smaller than {MIN_AREA:g} km²",
        f"central meridian at {CENTRAL_MERIDIAN:g}° E",
        f"under {MAX_MAP_BYTES // 1000} KB",
        f"1 unit = {1 / UNITS_PER_KM:g} km",
    ):
        assert said in text, f"docs/map.md should say {said!r}"
