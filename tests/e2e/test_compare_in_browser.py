"""/compare with 40 councils in a real browser (headless Chromium, as tests/e2e/test_browser.py),
at 390 px and 1366 px, in Bokmål and English: the page never scrolls sideways, the matrix
scrolls in its own box with the row names in view, no name is cut, and the form for
choosing councils (county, search, ticks) works without JavaScript.

The councils are the fictitious ones of ``support.compare_data``, served by the app in a
thread of this process, so that the test sees many councils whatever the real data hold.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from iprkg.artefact.artefact import DatasetFile
from iprkg.engine.oxigraph_store import OxigraphStore
from iprkg.web.app import create_app
from support.browser import PHONE, Tab
from support.compare_data import BASE, Facts, council_slug, synthetic_councils

pytestmark = pytest.mark.browser

PROJECT_ROOT = Path(__file__).resolve().parents[2]
COUNCILS = 40
WIDTHS = {"phone": PHONE, "desktop": {"width": 1366, "height": 900}}
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
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Facts]]:
    """The app on 40 fictitious councils, served on a free port; its URL and facts."""
    turtle, facts = synthetic_councils(COUNCILS)
    data = tmp_path_factory.mktemp("country") / "councils.ttl"
    data.write_text(turtle, encoding="utf-8")
    goals = PROJECT_ROOT / "data" / "vocabularies" / "sdg.ttl"
    store = OxigraphStore.from_files([DatasetFile(data), DatasetFile(goals)], BASE)
    server = make_server("127.0.0.1", 0, create_app({"IPRKG_STORE": store}), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", facts
    finally:
        server.shutdown()
        thread.join(timeout=10)


def column_count(page: Any) -> int:
    return int(page.locator("#grid-goals thead th.council").count())


def check_layout(page: Any, width: str) -> None:
    """Nothing cut, the row names in view with the matrix scrolled right, no sideways page."""
    for kind in ("themes", "goals"):
        assert page.evaluate(CUT_TEXT, kind) == [], f"{kind}: text cut at {width}"
        scroller = page.locator(f"#{kind} .grid-scroll")
        rows = page.locator(f"#grid-{kind} tbody tr:not(.group) th.label")
        assert rows.count() > 0
        for index in (0, rows.count() - 1):
            label = rows.nth(index)
            label.scroll_into_view_if_needed()
            scroller.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
            assert label.evaluate(LABEL_IN_VIEW), f"{kind}: row name out of view at {width}"
    overflow = page.evaluate(OVERFLOW)
    assert overflow <= 0, f"/compare is {overflow}px wider than the {width} screen"


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_forty_councils_fit_and_the_form_chooses_them(
    browser: Any, country: tuple[str, Facts], lang: str, width: str
) -> None:
    server, facts = country
    shot = Tab(browser, WIDTHS[width])
    try:
        page = shot.page
        page.goto(f"{server}/compare?lang={lang}")
        assert column_count(page) == COUNCILS
        check_layout(page, width)
        scroller = page.locator("#goals .grid-scroll")
        scroller.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
        assert scroller.evaluate("e => e.scrollLeft") > 0, "40 columns should scroll in the box"

        # By county: the select and the button, no script.
        page.select_option("#county", "nordfylket")
        page.locator("#choose button[type=submit]").click()
        page.wait_for_load_state()
        assert "county=nordfylket" in page.url
        assert column_count(page) == len(facts.in_county("nordfylket"))
        check_layout(page, width)

        # By search: a member's name finds its council (the county is chosen too: they add).
        page.select_option("#county", "")
        page.fill("#q", "Testby 021B")
        page.locator("#choose button[type=submit]").click()
        page.wait_for_load_state()
        heads = page.locator("#grid-goals thead th.council a")
        assert heads.count() == 1
        assert (heads.first.get_attribute("href") or "").startswith(f"/council/{council_slug(21)}")

        # By ticks in the list by county.
        page.fill("#q", "")
        page.locator("#choose details.choices summary").click()
        for number in (3, 10):
            page.check(f'#choose input[name="council"][value="{council_slug(number)}"]')
        page.locator("#choose button[type=submit]").click()
        page.wait_for_load_state()
        assert column_count(page) == 2
        check_layout(page, width)

        # Nothing found: said in words, no empty table, the page still fits.
        page.goto(f"{server}/compare?lang={lang}&q=Atlantis")
        shown = page.locator("p.shown").inner_text()
        assert ("Ingen regionråd valgt." if lang == "nb" else "No council chosen.") in shown
        assert page.locator("table.grid").count() == 0
        assert page.evaluate(OVERFLOW) <= 0
    finally:
        shot.close()
    assert shot.errors == [], "\n".join(shot.errors)
