"""Drawing checked municipalities (``map_geometry``) as SVG paths: projection, shared
borders simplified once, integers in a fixed viewBox.

Projection: a spherical transverse Mercator with its central meridian at 15° E (the
meridian of UTM zone 33), which keeps shapes right (it is conformal) and scale within half
a per cent over mainland Norway, from 4.6° E to 31.1° E. Units: ``UNITS_PER_KM`` per
kilometre, rounded to integers; north is up.

Simplification keeps neighbours together: every ring is cut at its *nodes* (a position
where the set of municipalities sharing it changes, or that three or more share), so a
border between two municipalities is the same run of positions in both; each run is
simplified once (Douglas-Peucker, ``TOLERANCE`` units, in one canonical direction) and
both sides use the result. Rings that end up smaller than ``MIN_AREA`` square units are
left out (small islands), but a municipality always keeps its largest ring; one too small
to draw becomes a small square where it lies (``MIN_SIDE``), so every municipality can be
seen and clicked. The lines between counties are the runs whose two sides lie in different
counties (the kommunenummer's first two digits).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

Point = tuple[float, float]
Ring = list[Point]
"""Positions (longitude, latitude) of a closed ring, without the closing repeat."""
Place = Callable[[Point], tuple[int, int]]
"""Projected units -> integer positions in the viewBox."""

PROJECTION = "transverse Mercator (sphere), central meridian 15° E, 1 unit = 1 km"
EARTH_RADIUS_KM = 6371.0
CENTRAL_MERIDIAN = 15.0
UNITS_PER_KM = 1.0
TOLERANCE = 1.2
"""Douglas-Peucker tolerance in units (km): no drawn border is further than this from the source."""
MIN_AREA = 6.0
"""Rings smaller than this (square units) are left out, but a municipality's largest."""
MIN_SIDE = 3
"""The side of the square drawn for a municipality too small to draw (units)."""
MARGIN = 4


@dataclass(frozen=True)
class Feature:
    """A checked feature: its place in the file (from 1), number, name and polygons."""

    index: int
    number: str
    name: str
    polygons: list[list[Ring]]


@dataclass(frozen=True)
class Drawing:
    view_box: tuple[int, int, int, int]
    paths: dict[str, str]
    """kommunenummer -> SVG path data."""
    county_borders: str
    vertices: int
    """Points drawn, in all paths."""


def project(point: Point) -> Point:
    """(longitude, latitude) in degrees -> (x east, y north) in units."""
    lon, lat = math.radians(point[0] - CENTRAL_MERIDIAN), math.radians(point[1])
    x = EARTH_RADIUS_KM * math.atanh(math.cos(lat) * math.sin(lon))
    y = EARTH_RADIUS_KM * math.atan2(math.tan(lat), math.cos(lon))
    return x * UNITS_PER_KM, y * UNITS_PER_KM


def kept(points: Sequence[Point], tolerance: float) -> list[int]:
    """Douglas-Peucker: the indices of ``points`` kept (the ends always)."""
    last = len(points) - 1
    keep = {0, last}
    stack = [(0, last)]
    while stack:
        first, end = stack.pop()
        farthest, distance = 0, tolerance
        for i in range(first + 1, end):
            d = segment_distance(points[i], points[first], points[end])
            if d > distance:
                farthest, distance = i, d
        if farthest:
            keep.add(farthest)
            stack += [(first, farthest), (farthest, end)]
    return sorted(keep)


def segment_distance(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = dx * dx + dy * dy
    t = (
        0.0
        if length == 0
        else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length))
    )
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


class Topology:
    """The municipalities' positions, who shares each, and the runs simplified so far."""

    def __init__(self, features: Sequence[Feature]) -> None:
        self.users: dict[Point, frozenset[int]] = {}
        sharing: dict[Point, set[int]] = defaultdict(set)
        for feature in features:
            for polygon in feature.polygons:
                for ring in polygon:
                    for point in ring:
                        sharing[point].add(feature.index)
        self.users = {point: frozenset(users) for point, users in sharing.items()}
        self.projected = {point: project(point) for point in sharing}
        self.runs: dict[tuple[Point, ...], list[Point]] = {}
        """A run in its canonical direction -> its simplified positions (projected)."""

    def runs_of(self, ring: Ring) -> list[tuple[Point, ...]]:
        """``ring`` cut at its nodes into runs, each from one node to the next (the first
        and last position of a run are nodes; a ring without one is a run of its own,
        from its least position round to it again)."""
        n = len(ring)
        users = [self.users[point] for point in ring]
        nodes = [
            i
            for i in range(n)
            if len(users[i]) > 2 or users[i] != users[i - 1] or users[i] != users[(i + 1) % n]
        ]
        if not nodes:
            start = ring.index(min(ring))
            return [tuple(ring[start:] + ring[: start + 1])]
        runs = []
        for at, node in enumerate(nodes):
            end = nodes[(at + 1) % len(nodes)]
            span = end - node if end > node else end + n - node
            runs.append(tuple(ring[(node + k) % n] for k in range(span + 1)))
        return runs

    def simplified(self, run: tuple[Point, ...]) -> list[Point]:
        """The run simplified, the same for both sides of a border."""
        backwards = run[-1] < run[0]
        canonical = run[::-1] if backwards else run
        if canonical not in self.runs:
            points = [self.projected[point] for point in canonical]
            if canonical[0] == canonical[-1]:  # a whole ring: keep its farthest point too
                far = max(range(len(points)), key=lambda i: math.dist(points[0], points[i]))
                indices = kept(points[: far + 1], TOLERANCE)
                indices += [far + i for i in kept(points[far:], TOLERANCE)[1:]]
            else:
                indices = kept(points, TOLERANCE)
            self.runs[canonical] = [points[i] for i in indices]
        found = self.runs[canonical]
        return found[::-1] if backwards else found


def area(ring: Sequence[tuple[int, int]]) -> float:
    return (
        abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, [*ring[1:], ring[0]], strict=True)))
        / 2
    )


def draw(features: Sequence[Feature]) -> Drawing:
    """The municipalities as SVG paths in one viewBox, and the lines between counties."""
    topology = Topology(features)
    xs = [x for x, _ in topology.projected.values()]
    ys = [y for _, y in topology.projected.values()]
    left, top = min(xs) - MARGIN, max(ys) + MARGIN

    def place(point: Point) -> tuple[int, int]:
        return round(point[0] - left), round(top - point[1])

    paths: dict[str, str] = {}
    vertices = 0
    for feature in features:
        rings: list[list[tuple[int, int]]] = []
        largest: tuple[float, list[tuple[int, int]], Ring] | None = None
        for polygon in feature.polygons:
            for ring in polygon:
                points: list[tuple[int, int]] = []
                for run in topology.runs_of(ring):
                    for point in topology.simplified(run)[:-1]:
                        placed = place(point)
                        if not points or points[-1] != placed:
                            points.append(placed)
                while len(points) > 1 and points[0] == points[-1]:
                    points.pop()
                size = area(points) if len(points) > 2 else 0.0
                if size >= MIN_AREA:
                    rings.append(points)
                source_size = area([place(topology.projected[p]) for p in ring])
                if largest is None or source_size > largest[0]:
                    largest = (source_size, points, ring)
        if not rings and largest is not None:
            rings.append(square(largest[2], topology, place))
        vertices += sum(len(ring) for ring in rings)
        paths[feature.number] = path_data(rings)
    width = round(max(xs) - min(xs)) + 2 * MARGIN
    height = round(max(ys) - min(ys)) + 2 * MARGIN
    return Drawing(
        (0, 0, width, height), paths, county_borders(features, topology, place), vertices
    )


def square(ring: Ring, topology: Topology, place: Place) -> list[tuple[int, int]]:
    """A ``MIN_SIDE`` square at the middle of ``ring`` (a municipality too small to draw)."""
    xs = [place(topology.projected[p])[0] for p in ring]
    ys = [place(topology.projected[p])[1] for p in ring]
    x, y = round(sum(xs) / len(xs)) - MIN_SIDE // 2, round(sum(ys) / len(ys)) - MIN_SIDE // 2
    return [(x, y), (x + MIN_SIDE, y), (x + MIN_SIDE, y + MIN_SIDE), (x, y + MIN_SIDE)]


def county_borders(features: Sequence[Feature], topology: Topology, place: Place) -> str:
    """The runs between municipalities of different counties, each once, as one path."""
    county = {feature.index: feature.number[:2] for feature in features}
    lines: dict[tuple[Point, ...], list[tuple[int, int]]] = {}
    for feature in features:
        for polygon in feature.polygons:
            for ring in polygon:
                for run in topology.runs_of(ring):
                    inner = run[1] if len(run) > 2 else run[0]
                    shared = (
                        topology.users[run[0]] & topology.users[inner] & topology.users[run[-1]]
                    )
                    canonical = run[::-1] if run[-1] < run[0] else run
                    if len({county[i] for i in shared}) > 1 and canonical not in lines:
                        points = [place(p) for p in topology.simplified(canonical)]
                        lines[canonical] = [
                            p for i, p in enumerate(points) if not i or p != points[i - 1]
                        ]
    return " ".join(
        path_data([line], close=False) for _, line in sorted(lines.items()) if len(line) > 1
    )


def path_data(rings: Sequence[Sequence[tuple[int, int]]], close: bool = True) -> str:
    """``M x y l dx dy …z`` for each ring: relative moves keep the numbers short."""
    parts = []
    for ring in rings:
        numbers = [ring[0][0], ring[0][1]]
        for a, b in pairwise(ring):
            numbers += [b[0] - a[0], b[1] - a[1]]
        text = f"M{numbers[0]} {numbers[1]}l"
        for i, number in enumerate(numbers[2:]):
            text += ("" if i == 0 or number < 0 else " ") + str(number)
        parts.append(text + ("z" if close else ""))
    return "".join(parts)
