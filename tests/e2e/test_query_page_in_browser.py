"""The query page in a real browser: the query in the address, the copy-link button, the
answer for people at 390 px and 1366 px in nb and en, and an error's position marked.

Headless Chromium through ``support.browser`` against a real ``iprkg serve``
(conftest's ``live_server``); skips where Chromium or Playwright is missing (fails in CI).
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from support.browser import DESKTOP, PHONE, Tab

pytestmark = pytest.mark.browser

QUERIES = Path(__file__).resolve().parents[2] / "queries"
EXAMPLE = "emphasised-goals"


@pytest.fixture
def opened(browser: Any) -> Iterator[list[Tab]]:
    """Tabs to open; each is closed, and must have logged no error, at the end."""
    tabs: list[Tab] = []
    yield tabs
    for tab in tabs:
        tab.close()
        assert tab.errors == [], "\n".join(tab.errors)


def link(live_server: str, query: str, lang: str) -> str:
    parameters = {"query": query, **({"lang": "en"} if lang == "en" else {})}
    return f"{live_server}/sparql?{urllib.parse.urlencode(parameters)}"


def answer_rows(live_server: str, query: str) -> list[dict[str, Any]]:
    request = urllib.request.Request(
        f"{live_server}/sparql?" + urllib.parse.urlencode({"query": query}),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return list(json.load(response)["results"]["bindings"])


def editor_text(page: Any) -> str:
    if page.locator(".CodeMirror").count():
        return str(page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()"))
    return str(page.locator("textarea#query").input_value())


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_shared_link_opens_the_page_with_its_answer_and_copies_itself(
    browser: Any, opened: list[Tab], live_server: str, lang: str, viewport: dict[str, int]
) -> None:
    query = (QUERIES / f"{EXAMPLE}.rq").read_text(encoding="utf-8")
    expected = answer_rows(live_server, query)
    assert expected
    tab = Tab(browser, viewport)
    opened.append(tab)
    tab.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = tab.page
    shared = link(live_server, query, lang)
    page.goto(shared)
    assert editor_text(page) == query
    rows = page.locator("table.results tbody tr")
    assert rows.count() == len(expected)
    # Labels in the page's language beside the compact names; plain values.
    text = page.locator("table.results").inner_text()
    assert "sdg:" in text and "^^" not in text and "XMLSchema" not in text
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"
    page.locator("#copy-link").click()
    copied = "Lenken er kopiert." if lang == "nb" else "The link is copied."
    page.locator("#query-status", has_text=copied).wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == shared


def test_run_puts_the_query_in_the_address(
    opened: list[Tab], browser: Any, live_server: str
) -> None:
    tab = Tab(browser, DESKTOP)
    opened.append(tab)
    page = tab.page
    page.goto(f"{live_server}/sparql")
    query = "ASK { ?s ?p ?o }"
    if page.locator(".CodeMirror").count():
        page.evaluate(f"document.querySelector('.CodeMirror').CodeMirror.setValue({query!r})")
    else:
        page.locator("textarea#query").fill(query)
    page.locator("#query-form button[type=submit]").click()
    page.wait_for_url("**/sparql?query=*")
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)["query"] == [query]
    assert "Ja (true)" in page.locator("#query-status").inner_text()


def test_an_error_is_explained_and_its_position_marked(
    opened: list[Tab], browser: Any, live_server: str
) -> None:
    tab = Tab(browser, PHONE)
    opened.append(tab)
    page = tab.page
    query = "PREFIX ipr: <ontology#>\nSELECT * WHERE {\n  ?s ipt:emphasisesGoal ?o\n}"
    page.goto(link(live_server, query, "nb"))
    problem = page.locator("#query-problem").inner_text()
    assert "«ipt:»" in problem and "«ipr:»" in problem and "linje 3" in problem
    if page.locator(".CodeMirror").count():
        assert page.locator(".query-error-mark").count() == 1
    else:
        selected = page.evaluate(
            "(() => { const t = document.querySelector('#query'); "
            "return t.value.slice(0, t.selectionEnd).split('\\n').length; })()"
        )
        assert selected == 3
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    # The page answers with the error's status, which the tab (and Chromium's console)
    # record as a failed load; nothing else may be logged.
    assert [e for e in tab.errors if "400" not in e] == []
    tab.errors.clear()


def test_the_editor_completes_names_from_the_ontology_and_the_data(
    opened: list[Tab], browser: Any, live_server: str
) -> None:
    tab = Tab(browser, DESKTOP)
    opened.append(tab)
    page = tab.page
    page.goto(f"{live_server}/sparql?lang=en")
    if not page.locator(".CodeMirror").count():
        pytest.skip(
            "no CodeMirror here (make node-deps installs it): the textarea has no completion"
        )
    with urllib.request.urlopen(f"{live_server}/sparql/completions.json", timeout=30) as response:
        terms = json.load(response)["terms"]
    term = next(t for t in terms if t["name"].startswith("ipr:") and t["kind"] == "property")
    page.evaluate("document.querySelector('.CodeMirror').CodeMirror.setValue('')")
    page.locator(".CodeMirror").click()
    page.keyboard.type(term["name"][:-2])
    hints = page.locator(".CodeMirror-hints li")
    hints.first.wait_for()
    offered = hints.all_inner_texts()
    assert f"{term['name']} — {term['label']['en']}" in offered
