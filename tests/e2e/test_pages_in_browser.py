"""Everything a person can reach, in a real browser: one page of every page family at
390 px and 1366 px, in nb and en (headless Debian Chromium driven by Playwright, as in
``test_browser.py``).

Families: the landing page, a council, a municipality, a strategy, a strategy level, a
focus area, a stakeholder, a UN goal, a theme, a generic resource, the ontology, the
comparison, the catalogue, search, the query page, the release index and a release's page,
and an error page. Which resource stands for its family is read from the data (SPARQL
over the served store: the one with the most facts, the likeliest to be too wide), not
hard-coded. The server is a real ``iprkg serve`` of the project, built from a copy of its
sources with one release, so that the release page is there too.

On every page: no sideways scroll (``documentElement.scrollWidth <= innerWidth``), no
console error, no failed request but the page's own expected status, no prefixed name
(``ipr:``, ``skos:`` …) in the text a person reads (code a person writes, the query
editor and preformatted text, are not prose), and the ``lang`` of ``<html>`` right.
"""

from __future__ import annotations

import json
import re
import shutil
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from iprkg.build.release_writer import make_release
from iprkg.build.sources import KINDS
from iprkg.core.settings import Settings
from support.browser import PHONE, Tab
from support.live import live
from support.project import PROJECT_ROOT, project_settings

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDE = {"width": 1366, "height": 900}
WIDTHS = {"390": PHONE, "1366": WIDE}
VERSION = "2026-1"
CURIE = re.compile(r"\b(ipr|skos|dct|org|owl|rdfs|eli):[A-Za-z]")
"""A prefixed name of the vocabularies the data use: never prose for people."""
SDG = "http://metadata.un.org/sdg/ontology#"
RICHEST = """PREFIX ipr: <https://w3id.org/iprkg/ontology#>
SELECT ?resource (COUNT(*) AS ?facts) WHERE {{ ?resource a <{kind}> ; ?p ?o }}
GROUP BY ?resource ORDER BY DESC(?facts) ?resource LIMIT 1"""
THEME = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?theme (COUNT(?area) AS ?areas) WHERE {
  ?area skos:exactMatch|skos:closeMatch|skos:broadMatch ?theme .
  FILTER(STRSTARTS(STR(?theme), "https://psi.norge.no/los/")
      || STRSTARTS(STR(?theme), "http://publications.europa.eu/resource/authority/data-theme/"))
} GROUP BY ?theme ORDER BY DESC(?areas) ?theme LIMIT 1"""
KINDS_OF_RESOURCE = {
    "council": "https://w3id.org/iprkg/ontology#RegionalCouncil",
    "municipality": "https://w3id.org/iprkg/ontology#Municipality",
    "strategy": "https://w3id.org/iprkg/ontology#Strategy",
    "level": "https://w3id.org/iprkg/ontology#StrategyLevel",
    "focus area": "https://w3id.org/iprkg/ontology#FocusArea",
    "stakeholder": "https://w3id.org/iprkg/ontology#Stakeholder",
    "UN goal": f"{SDG}Goal",
    "generic resource": "http://www.w3.org/ns/org#Membership",
}
"""Page families whose page is a resource's, by the class of their resources."""
FIXED = {
    "landing": "/",
    "ontology": "/ontology",
    "compare": "/compare",
    "catalog": "/catalog",
    "search": "/search?q=samferdsel",
    "query page": "/sparql",
    "release index": "/release/",
    "release": f"/release/{VERSION}/",
    "error": "/council/no-such-council",
}
FAMILIES = [*FIXED, *KINDS_OF_RESOURCE, "theme"]
EXPECTED_STATUS = {"error": 404}
VOCABULARY_PAGES = {"ontology"}
"""Pages that document the vocabulary itself: they name its terms by their prefixed names,
in ``<code>``, which is then not prose either."""
VISIBLE_PROSE = """(code) => {
  const skip = 'pre, textarea, .CodeMirror, script, style, noscript, template' + code;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const parts = [];
  while (walker.nextNode()) {
    const element = walker.currentNode.parentElement;
    if (!element || element.closest(skip) || !element.checkVisibility()) continue;
    parts.push(walker.currentNode.textContent);
  }
  return parts.join(' ');
}"""
"""The text a person reads as prose: visible, and not code they would type or copy."""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``iprkg serve`` of the project, built and released as ``VERSION`` from a copy of its
    sources (the project's own releases are never touched); its root URL."""
    root = tmp_path_factory.mktemp("sweep") / "project"
    root.mkdir()
    for kind in KINDS:
        if (PROJECT_ROOT / kind).is_dir():
            shutil.copytree(PROJECT_ROOT / kind, root / kind)
    external = Settings.load(root=PROJECT_ROOT).external  # theme names, where they are
    settings = project_settings(root, external=external)
    make_release(settings, VERSION)
    served = {"IPRKG_DIST": str(settings.dist), "IPRKG_RELEASES": str(settings.releases)}
    with live(["--workers", "1"], settings=served) as running:  # the project's queries/
        yield running.url.removesuffix("/sparql")


def select(server: str, query: str) -> list[dict[str, str]]:
    url = f"{server}/sparql?{urllib.parse.urlencode({'query': query})}"
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        document = json.load(answer)
    return [
        {name: term["value"] for name, term in row.items()}
        for row in document["results"]["bindings"]
    ]


@pytest.fixture(scope="module")
def urls(server: str) -> dict[str, str]:
    """The URL (path and query) of one page of each family, from the data."""
    found = dict(FIXED)
    base = select(server, "SELECT * WHERE { BIND(<> AS ?base) }")[0]["base"]
    for family, kind in KINDS_OF_RESOURCE.items():
        rows = select(server, RICHEST.format(kind=kind))
        assert rows, f"the data hold no {family} ({kind})"
        found[family] = local_url(rows[0]["resource"], base)
    themes = select(server, THEME)
    if themes:
        found["theme"] = local_url(themes[0]["theme"], base)
    return found


def local_url(iri: str, base: str) -> str:
    if iri.startswith(base):
        return "/" + iri[len(base) :]
    return f"/resource?{urllib.parse.urlencode({'iri': iri})}"


def with_language(url: str, lang: str) -> str:
    """``url`` in ``lang``: nb is what the browser's locale (nb-NO) asks for; en by ?lang=."""
    if lang == "nb":
        return url
    return f"{url}{'&' if '?' in url else '?'}lang=en"


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("family", FAMILIES)
def test_every_page_family_reads_well(
    browser: Any, server: str, urls: dict[str, str], family: str, width: str, lang: str
) -> None:
    if family not in urls:
        pytest.skip(f"the data map no focus area to a theme, so there is no {family} page")
    url = f"{server}{with_language(urls[family], lang)}"
    tab = Tab(browser, WIDTHS[width])
    try:
        response = tab.page.goto(url)
        assert response is not None
        status = EXPECTED_STATUS.get(family, 200)
        assert response.status == status, f"{family} {url}: HTTP {response.status}"
        tab.page.wait_for_load_state("load")
        overflow = tab.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        too_wide = tab.page.evaluate(
            """() => [...document.querySelectorAll('body *')]
              .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
              .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))"""
        )
        lang_attribute = tab.page.evaluate("document.documentElement.lang")
        prose = tab.page.evaluate(VISIBLE_PROSE, ", code" if family in VOCABULARY_PAGES else "")
    finally:
        tab.close()
    own = {f"HTTP {status}: {response.url}"} if status != 200 else set()
    own_console = f"status of {status}" if status != 200 else None
    errors = [
        error
        for error in tab.errors
        if error not in own and not (own_console and own_console in error)
    ]
    problems = []
    if overflow > 0:
        problems.append(f"{overflow}px wider than {width}px (too wide: {', '.join(too_wide)})")
    if errors:
        problems.append("errors: " + "; ".join(errors))
    curies = sorted({match.group(0) for match in CURIE.finditer(prose)})
    if curies:
        problems.append(f"prefixed names in the text: {', '.join(curies[:8])}")
    if lang_attribute != lang:
        problems.append(f'<html lang="{lang_attribute}">, expected {lang}')
    assert not problems, f"{family} at {width}px in {lang} ({url}):\n  " + "\n  ".join(problems)


def test_the_families_come_from_the_data(urls: dict[str, str]) -> None:
    """Every resource family found a page (a theme only where the build has theme facts)."""
    assert set(KINDS_OF_RESOURCE) <= set(urls)
    for family in KINDS_OF_RESOURCE:
        assert urls[family].startswith("/"), urls[family]
