"""The pages in a real browser: headless Chromium (Debian's ``chromium``) driven by
Playwright's Python package, against a real ``iprkg serve`` (conftest's ``live_server``).

The flow a reader takes: the landing page, the strategy page, a goal on it and its page, a focus area
and its resource page; the query page running an example query and showing its rows; and
the comparison page: its matrices, a cell leading to its evidence (strategy, focus area),
at 390 px and 1366 px with the row names in view while the matrix scrolls.
No page may log a console error. Screenshots at desktop and phone widths go to
``IPRKG_SCREENSHOTS`` (default: the system's temporary folder) for a person to look at.

Where Chromium or Playwright is missing these tests skip, saying how to install them;
under CI (the ``CI`` environment variable, which the CI runner sets) they fail instead.
"""

from __future__ import annotations

import json
import os
import tempfile
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from support.browser import DESKTOP, PHONE, Tab

pytestmark = pytest.mark.browser

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def tab(browser: Any) -> Iterator[Tab]:
    opened = Tab(browser, DESKTOP)
    yield opened
    opened.close()
    assert opened.errors == [], "\n".join(opened.errors)


def screenshot_folder() -> Path:
    folder = Path(os.environ.get("IPRKG_SCREENSHOTS") or tempfile.gettempdir())
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def screenshots(browser: Any, url: str, name: str, prepare: Any = None) -> None:
    """Full-page screenshots of ``url`` at desktop and phone widths, with no console error
    and nothing wider than the screen on the phone."""
    for width_name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        shot = Tab(browser, viewport)
        try:
            shot.page.goto(url)
            if prepare is not None:
                prepare(shot.page)
            shot.page.screenshot(
                path=str(screenshot_folder() / f"iprkg-{name}-{width_name}.png"), full_page=True
            )
            overflow = shot.page.evaluate(
                "document.documentElement.scrollWidth - window.innerWidth"
            )
            assert overflow <= 0, f"{name} is {overflow}px wider than a {width_name} screen"
        finally:
            shot.close()
        assert shot.errors == [], "\n".join(shot.errors)


def test_landing_strategy_goal_and_resource_pages(tab: Tab, live_server: str, browser: Any) -> None:
    page = tab.page
    page.goto(f"{live_server}/")
    page.locator('a[href*="/strategy/nome-midt-telemark"]').first.click()
    page.wait_for_load_state()
    assert "/strategy/nome-midt-telemark-2022-2035" in page.url
    assert page.locator("h1").inner_text().startswith("Strategi for Nome og Midt-Telemark IPR")
    levels = page.locator("li.level h3").all_inner_texts()
    assert levels == ["Nasjonalt nivå", "Regionalt nivå", "Kommunenivå"]
    assert page.locator("ol.numbered").first.locator("li").count() == 5

    # A goal: the UN's colour as the tile's background, its number and name, its link.
    goal = page.locator('li.goal a[data-goal="3"]')
    assert goal.locator(".goal-number").inner_text() == "3"
    assert goal.locator(".goal-name").inner_text().lower() == "god helse og livskvalitet"
    assert (
        goal.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(76, 159, 56)"
    )  # #4C9F38
    # The goal's page here (the UN's IRI is the goal; the data describe it): its names,
    # and the UN's IRI as an outbound link.
    assert goal.get_attribute("href") == "/resource?iri=http%3A%2F%2Fmetadata.un.org%2Fsdg%2F3"
    goal.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "God helse og livskvalitet"
    assert page.locator('a[href="http://metadata.un.org/sdg/3"]').count() >= 1
    assert "Good health and well-being" in page.content()
    # The strategy that emphasises it links back (incoming links).
    assert page.locator('a[href="/strategy/nome-midt-telemark-2022-2035"]').count() >= 1
    page.go_back()
    page.wait_for_load_state()

    # A focus area of the strategy, then its resource page.
    page.locator('ul.focus-areas a[href$="/focus-area/samferdsel"]').first.click()
    page.wait_for_load_state()
    assert page.url.startswith(f"{live_server}/focus-area/samferdsel")
    assert "Samferdsel" in page.locator("h1").inner_text()
    # The level that names it links back (incoming links), to the strategy's level page.
    page.locator('a[href*="/strategy/nome-midt-telemark-2022-2035/level/"]').first.click()
    page.wait_for_load_state()
    assert "/level/" in page.url

    screenshots(browser, f"{live_server}/strategy/nome-midt-telemark-2022-2035", "strategy")


def editor_is_installed() -> bool:
    """True where ``make node-deps`` installed CodeMirror (as .ci/run does)."""
    return (PROJECT_ROOT / "node_modules" / "codemirror" / "lib" / "codemirror.js").is_file()


def answer_rows(live_server: str, example: str) -> int:
    """How many rows the endpoint answers to an example query: what the page must show,
    however many councils the data hold."""
    query = (Path(__file__).resolve().parents[2] / "queries" / f"{example}.rq").read_text(
        encoding="utf-8"
    )
    request = urllib.request.Request(
        f"{live_server}/sparql?" + urllib.parse.urlencode({"query": query}),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return len(json.load(response)["results"]["bindings"])


def test_the_query_page_runs_an_example_and_shows_its_rows(
    tab: Tab, live_server: str, browser: Any
) -> None:
    page = tab.page
    page.goto(f"{live_server}/sparql")
    codemirror = page.locator(".CodeMirror")
    if editor_is_installed() or os.environ.get("CI"):
        assert codemirror.count() == 1, "CodeMirror should enhance the textarea"

    def query_text() -> str:
        if codemirror.count():
            return str(page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()"))
        return page.locator("textarea#query").input_value()

    page.select_option("#example", "emphasised-goals")
    assert "emphasisesGoal" in query_text()
    page.get_by_role("button", name="Kjør").click()
    rows = page.locator("table.results tbody tr")
    rows.first.wait_for()
    expected = answer_rows(live_server, "emphasised-goals")
    assert expected > 0 and rows.count() == expected
    headers = page.locator("table.results thead th").all_inner_texts()
    assert headers == ["council", "strategy", "goal", "notation", "nameNb", "nameEn"]
    assert "God helse og livskvalitet" in rows.first.inner_text()
    strategy_link = rows.first.locator("td").nth(1).locator("a")
    assert strategy_link.get_attribute("href") == "/strategy/nome-midt-telemark-2022-2035"
    formats = page.locator("#downloads a").evaluate_all("links => links.map(a => a.dataset.format)")
    assert formats == ["json", "xml", "csv", "tsv"]
    assert f"{expected} rader" in page.locator("#query-status").inner_text()

    # Keyboard: type a query, Ctrl+Enter runs it; a DESCRIBE answer is shown as Turtle.
    if codemirror.count():
        codemirror.click()
        page.keyboard.press("Control+A")
        page.keyboard.type("DESCRIBE <council/nome-midt-telemark>")
    else:
        page.locator("textarea#query").fill("DESCRIBE <council/nome-midt-telemark>")
        page.locator("textarea#query").focus()
    assert query_text() == "DESCRIBE <council/nome-midt-telemark>"
    page.keyboard.press("Control+Enter")
    page.locator("pre.graph").wait_for()
    assert "Nome og Midt-Telemark" in page.locator("pre.graph").inner_text()
    formats = page.locator("#downloads a").evaluate_all("links => links.map(a => a.dataset.format)")
    assert "turtle" in formats and "n-quads" in formats

    def run_example(shot: Any) -> None:
        shot.select_option("#example", "focus-areas-per-level")
        shot.locator("#query-form button[type=submit]").click()
        shot.locator("table.results tbody tr").first.wait_for()

    screenshots(browser, f"{live_server}/sparql", "query", run_example)


def test_the_compare_page_cells_lead_to_evidence(tab: Tab, live_server: str) -> None:
    page = tab.page
    page.goto(f"{live_server}/")
    page.locator('header.site a[href="/compare"]').click()
    page.wait_for_load_state()
    assert page.url.startswith(f"{live_server}/compare")
    goals = page.locator("table#grid-goals")
    assert goals.is_visible()
    councils = page.locator('input[name="council"]').count()
    assert councils >= 1
    assert goals.locator("td.cell").count() == 17 * councils
    assert page.locator("table#grid-themes td.cell").count() % councils == 0
    # A goal named by a council: the cell's title says so; it leads to the strategy that
    # names the goal.
    named = goals.locator('td.cell[data-status="named"] a').first
    assert "nevnt" in (named.get_attribute("title") or "")
    named.click()
    page.wait_for_load_state()
    assert "/strategy/" in page.url
    page.go_back()
    page.wait_for_load_state()

    # A theme cell leads to the focus area that maps to the theme.
    page.locator('table#grid-themes td.cell[data-status="named"] a').first.click()
    page.wait_for_load_state()
    assert "/focus-area/" in page.url


COMPARE_WIDTHS = {"phone": PHONE, "desktop": {"width": 1366, "height": 900}}
CUT_TEXT = """kind => [...document.querySelectorAll(
    `#grid-${kind} th.label, #grid-${kind} th.council .council-name, #grid-${kind} .named-by`)]
  .filter(e => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)
  .map(e => e.textContent.trim())"""
LABEL_IN_VIEW = """label => {
  const box = label.getBoundingClientRect();
  const scroller = label.closest('.grid-scroll').getBoundingClientRect();
  const hit = document.elementFromPoint(box.left + 4, box.top + box.height / 2);
  return box.left >= scroller.left - 1 && box.right <= scroller.right + 1
    && hit !== null && label.contains(hit);
}"""


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_the_compare_page_fits_the_screen_and_keeps_row_names_in_view(
    browser: Any, live_server: str, lang: str, width: str
) -> None:
    """At 390 px and 1366 px: the page never scrolls sideways, nothing is cut, and the row
    names stay visible while the matrix scrolls inside its own box."""
    shot = Tab(browser, COMPARE_WIDTHS[width])
    try:
        page = shot.page
        page.goto(f"{live_server}/compare?lang={lang}")
        for kind in ("themes", "goals"):
            scroller = page.locator(f"#{kind} .grid-scroll")
            assert page.evaluate(CUT_TEXT, kind) == [], f"{kind}: text cut at {width}"
            scroller.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
            if width == "phone":
                assert scroller.evaluate("e => e.scrollLeft") > 0, "the matrix should scroll"
            rows = page.locator(f"#grid-{kind} tbody tr:not(.group) th.label")
            assert rows.count() > 0
            for index in (0, rows.count() - 1):
                label = rows.nth(index)
                label.scroll_into_view_if_needed()
                scroller.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
                assert label.evaluate(LABEL_IN_VIEW), f"{kind}: row name out of view"
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"/compare is {overflow}px wider than the {width} screen"
        page.screenshot(
            path=str(screenshot_folder() / f"iprkg-compare-{lang}-{width}.png"), full_page=True
        )
    finally:
        shot.close()
    assert shot.errors == [], "\n".join(shot.errors)


def test_compare_screenshots(browser: Any, live_server: str) -> None:
    like = f"{live_server}/compare?like=https://w3id.org/iprkg/council/nome-midt-telemark"
    pair = (
        f"{live_server}/compare?a=https://w3id.org/iprkg/council/nome-midt-telemark"
        "&b=https://w3id.org/iprkg/council/sogn#side-by-side"
    )
    screenshots(browser, like, "compare")
    screenshots(browser, pair, "compare-side-by-side")
