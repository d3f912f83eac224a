"""Search in a real browser (headless Debian Chromium driven by Playwright): the box in
the header of a page, its suggestions as one types, and the results page, at 390 px and
1366 px, in nb and en. The page tested is the landing page; the word typed is the first
letters of a focus area's name, read from the search's own JSON (not hard-coded)."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest

from support.browser import PHONE, Tab

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDTHS = {"390": PHONE, "1366": {"width": 1366, "height": 900}}


def first_result(live_server: str, query: str, lang: str) -> dict[str, Any]:
    url = f"{live_server}/search?q={query}&format=json&lang={lang}"
    with urllib.request.urlopen(url, timeout=30) as response:
        results: list[dict[str, Any]] = json.load(response)["results"]
    assert results, f"nothing found for {query!r}"
    return results[0]


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_suggestions_and_results_from_the_header_box(
    browser: Any, live_server: str, width: str, lang: str
) -> None:
    expected = first_result(live_server, "samferdsel", lang)
    tab = Tab(browser, WIDTHS[width])
    page = tab.page
    try:
        page.goto(f"{live_server}/?lang={lang}")
        box = page.locator("header .site-search input[name=q]")
        box.fill("samf")
        suggestions = page.locator("header .site-search .suggestions a")
        suggestions.first.wait_for(timeout=10_000)
        names = suggestions.all_inner_texts()
        assert any(expected["label"] in name for name in names), names
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        box.press("ArrowDown")
        assert page.evaluate("document.activeElement.closest('.suggestions') !== null")
        box.fill("samferdsel")
        with page.expect_navigation():
            box.press("Enter")
        assert "/search?q=samferdsel" in page.url
        first = page.locator(".search-results li a.result-label").first
        assert first.inner_text() == expected["label"]
        assert page.evaluate("document.documentElement.lang") == lang
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        with page.expect_navigation():
            first.click()
        path = expected["url"].split("?")[0].removeprefix(live_server)
        assert page.url.split("?")[0].removesuffix(".html").endswith(path)
        assert tab.errors == []
    finally:
        tab.close()
