"""The council page's map in a real browser (headless Debian Chromium driven by Playwright,
as ``test_pages_in_browser.py``), at 390 px and 1366 px, in nb and en: no sideways scroll,
the map drawn and in view, its municipalities reachable by keyboard (a focused link names
its municipality), the attribution to Kartverket shown, and the table behind its summary.

The server is a real ``iprkg serve`` of a copy of the project's sources, built with the
external folder (the map needs Kartverket's files; without them the test skips).
"""

from __future__ import annotations

import json
import shutil
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from iprkg.build.build import build
from iprkg.build.sources import KINDS
from support.browser import PHONE, Tab
from support.live import live
from support.project import PROJECT_ROOT, project_settings

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDTHS = {"390": PHONE, "1366": {"width": 1366, "height": 900}}
BIGGEST = """PREFIX ipr: <https://w3id.org/iprkg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?council (COUNT(?member) AS ?members) WHERE {
  ?council a ipr:RegionalCouncil ; org:hasMember ?member .
} GROUP BY ?council ORDER BY DESC(?members) ?council LIMIT 1"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, external_dir: Path) -> Iterator[str]:
    """``iprkg serve`` of a copy of the project built with the external folder; its root."""
    root = tmp_path_factory.mktemp("map") / "project"
    root.mkdir()
    for kind in KINDS:
        if (PROJECT_ROOT / kind).is_dir():
            shutil.copytree(PROJECT_ROOT / kind, root / kind)
    settings = project_settings(root, external=external_dir)
    build(settings)
    with live(["--workers", "1"], settings={"IPRKG_DIST": str(settings.dist)}) as running:
        yield running.url.removesuffix("/sparql")


@pytest.fixture(scope="module")
def council_path(server: str) -> str:
    """The page of the council with the most members."""
    url = f"{server}/sparql?{urllib.parse.urlencode({'query': BIGGEST})}"
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        rows = json.load(answer)["results"]["bindings"]
    assert rows, "the data hold no council with members"
    return "/" + rows[0]["council"]["value"].removeprefix("https://w3id.org/iprkg/")


def opened(tab: Tab, url: str) -> Any:
    """``tab``'s page at ``url``, which must answer 200."""
    response = tab.page.goto(url)
    assert response is not None and response.status == 200, url
    return tab.page


def drawn(page: Any, scope: str) -> tuple[int, dict[str, float] | None]:
    """How far the page scrolls sideways, and the box of the map in ``scope`` scrolled
    into view."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    svg = page.locator(f"{scope} svg.map")
    svg.scroll_into_view_if_needed()
    return overflow, svg.bounding_box()


def attributed(page: Any, scope: str) -> bool:
    """Whether the attribution to Kartverket in ``scope`` is shown."""
    attribution = page.locator(f"{scope} .map-attribution")
    return attribution.is_visible() and "© Kartverket" in attribution.inner_text()


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_council_map_reads_well(
    browser: Any, server: str, council_path: str, width: str, lang: str
) -> None:
    url = f"{server}{council_path}" + ("?lang=en" if lang == "en" else "")
    tab = Tab(browser, WIDTHS[width])
    try:
        page = opened(tab, url)
        overflow, box = drawn(page, "figure.municipality-map")
        links = page.locator("figure.municipality-map svg.map a")
        count = links.count()
        members = page.locator("figure.municipality-map svg.map a.map-member").count()
        links.first.focus()
        focused = page.evaluate(
            "document.activeElement.closest('svg.map') !== null"
            " && document.activeElement.tagName.toLowerCase() === 'a'"
        )
        title = page.evaluate("document.activeElement.querySelector('title').textContent")
        shown = attributed(page, "")
        page.locator("details.map-table summary").click()
        rows = page.locator("details.map-table tbody tr").count()
        table_visible = page.locator("details.map-table table").is_visible()
        overflow_after = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    finally:
        tab.close()
    problems = []
    if overflow > 0 or overflow_after > 0:
        problems.append(f"{max(overflow, overflow_after)}px wider than {width}px")
    if box is None or box["width"] < 200 or box["height"] < 200:
        problems.append(f"the map is not drawn large enough: {box}")
    elif box["x"] < 0 or box["x"] + box["width"] > WIDTHS[width]["width"] + 1:
        problems.append(f"the map sticks out of the page: {box}")
    if count == 0 or members == 0:
        problems.append(f"{count} links on the map, {members} members")
    if not focused:
        problems.append("a municipality on the map cannot take the focus")
    if not title or ":" not in title:
        problems.append(f"the focused municipality's title says {title!r}")
    if not shown:
        problems.append("no visible attribution to Kartverket")
    if rows != 357 or not table_visible:
        problems.append(f"the table shows {rows} rows (visible: {table_visible})")
    if tab.errors:
        problems.append("errors: " + "; ".join(tab.errors))
    assert not problems, f"{url} at {width}px in {lang}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_compare_map_is_chosen_and_reads_well(
    browser: Any, server: str, width: str, lang: str
) -> None:
    """On /compare a reader picks a theme in the form and gets its map, with the same
    reading as on a council page: no sideways scroll, in view, attributed."""
    url = f"{server}/compare" + ("?lang=en" if lang == "en" else "")
    tab = Tab(browser, WIDTHS[width])
    try:
        page = opened(tab, url)
        choice = page.locator("select#map-item")
        value = choice.locator("option").nth(1).get_attribute("value")
        choice.select_option(value)
        with page.expect_navigation():
            page.locator("form.map-choice button").click()
        overflow, box = drawn(page, "#map")
        shown = attributed(page, "#map")
        selected = page.locator("select#map-item").input_value()
    finally:
        tab.close()
    problems = []
    if overflow > 0:
        problems.append(f"{overflow}px wider than {width}px")
    if box is None or box["width"] < 200 or box["x"] + box["width"] > WIDTHS[width]["width"] + 1:
        problems.append(f"the map is not drawn, or sticks out of the page: {box}")
    if not shown:
        problems.append("no visible attribution to Kartverket")
    if selected != value:
        problems.append(f"the form forgot the chosen row: {selected!r}, not {value!r}")
    if tab.errors:
        problems.append("errors: " + "; ".join(tab.errors))
    assert not problems, f"{url} at {width}px in {lang}:\n  " + "\n  ".join(problems)
