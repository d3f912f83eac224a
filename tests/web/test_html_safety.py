"""HTML safety: hostile data renders inert on every page, a strict Content-Security-Policy
(and friends) on every response, and no redirect that leaves the site.

The hostile dataset is ``tests/support/data/hostile.ttl``: a council, its strategy, a tiny
ontology and a UN goal whose labels hold ``<script>``, attribute breakouts, template
syntax and odd Unicode, and whose IRIs use ``javascript:``, ``data:`` and ``vbscript:``
as objects, subjects, predicates, homepages, sources and licences. Every page kind is
rendered from it and parsed (``html.parser``): no element or attribute from the data may
be live. In headless Chromium (the ``browser`` marker, as tests/e2e/test_browser.py) no
dialog may open and no Content-Security-Policy violation may be logged.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph

from iprkg.artefact.artefact import DatasetFile
from iprkg.engine.oxigraph_store import OxigraphStore
from iprkg.engine.store import select
from iprkg.services.strategy import SDG_COLOURS, text_colour
from iprkg.web.app import create_app
from iprkg.web.security_headers import CONTENT_SECURITY_POLICY, HEADERS
from support.live import serving

PROJECT_ROOT = Path(__file__).resolve().parents[2]
HOSTILE = PROJECT_ROOT / "tests" / "support" / "data" / "hostile.ttl"
BASE = "https://w3id.org/iprkg/"
HTML = {"Accept": "text/html"}

SCRIPT_SCHEMES = ("javascript:", "data:", "vbscript:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background"}
APP_SCRIPT_PREFIXES = ("/static/", "/sparql/editor/")
"""Where the app's own scripts live; every other ``<script src>`` came from elsewhere."""
DATA_SCRIPT_TYPES = ("application/ld+json", "application/json")
"""Inline script elements that are data (not run, not subject to CSP)."""
LIVE_ELEMENTS = {"iframe", "frame", "object", "embed", "base", "img", "style", "applet", "form"}
"""Elements no page of ours has in its markup (except the query page's and the
comparison's own forms, which ``app_forms`` allows); from the data they would be live."""

STRATEGY = "strategy/hostile-2024"
SCRIPT_SUBJECT = "javascript:alert('subject')"

HOSTILE_PAGES = [
    "/",
    "/?lang=en",
    "/council/hostile.html",
    "/council/hostile.html?lang=en",
    f"/{STRATEGY}.html",
    f"/{STRATEGY}.html?lang=en",
    f"/{STRATEGY}/level/regional.html",
    f"/{STRATEGY}/period.html",
    f"/{STRATEGY}/principle/1.html",
    f"/{STRATEGY}/ambition/1.html",
    "/focus-area/hostile.html",
    "/stakeholder/hostile.html",
    "/municipality/hostile.html",
    "/ontology",
    "/ontology.html?lang=en",
    "/compare",
    f"/compare?{urlencode({'like': BASE + 'council/hostile'})}",
    f"/resource?{urlencode({'iri': SCRIPT_SUBJECT})}",
    f"/resource?{urlencode({'iri': 'http://metadata.un.org/sdg/3', 'lang': 'en'})}",
    f"/resource?{urlencode({'iri': 'https://evil.example/publisher'})}",
    "/sparql?format=html",
]
"""Every kind of page, each showing some of the hostile data (200)."""

ERROR_PAGES = [
    "/council/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "/council/%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E",
    f"/resource?{urlencode({'iri': '<script>alert(1)</script>'})}",
    f"/resource?{urlencode({'iri': 'javascript:alert(1)'})}",
    f"/sparql?{urlencode({'query': 'SELECT <script>alert(1)</script>', 'format': 'html'})}",
    "/sparql?" + urlencode({"query": 'ASK { <x> <y> "</p><script>alert(1)', "format": "html"}),
]
"""Requests whose error pages might repeat what was asked (404, 400)."""


# ------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def hostile_store() -> OxigraphStore:
    return OxigraphStore.from_files([DatasetFile(HOSTILE)], BASE)


@pytest.fixture
def hostile_app(hostile_store: OxigraphStore) -> Flask:
    return create_app({"TESTING": True, "IPRKG_STORE": hostile_store})


@pytest.fixture
def hostile(hostile_app: Flask) -> FlaskClient:
    return hostile_app.test_client()


# ------------------------------------------------------------------ reading the HTML


def scheme_of(url: str) -> str:
    """``url``'s scheme as a browser reads it: control characters and spaces around it
    dropped, tabs and newlines inside it removed, case folded."""
    cleaned = re.sub(r"[\t\n\r]", "", url).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08 \x0b\x0c")
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", cleaned)
    return f"{match.group(1).lower()}:" if match else ""


class Inspection(HTMLParser):
    """What a browser would make live in a page: script elements, event handlers, URLs
    with a script scheme, inline styles, elements that load or run things."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[dict[str, str], str]] = []
        self.problems: list[str] = []
        self.styles: list[str] = []
        self.stylesheets: list[str] = []
        self.forms: list[str] = []
        self.text: list[str] = []
        self._script: dict[str, str] | None = None
        self._script_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and scheme_of(value) in SCRIPT_SCHEMES:
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name == "style":
                self.styles.append(f"<{tag} style={value!r}>")
            if name == "srcdoc":
                self.problems.append(f"<{tag} srcdoc>")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.problems.append("<meta http-equiv=refresh>")
        if tag == "link" and "stylesheet" in values.get("rel", "").split():
            self.stylesheets.append(values.get("href", ""))
        if tag == "form":
            self.forms.append(values.get("action", ""))
        elif tag in LIVE_ELEMENTS:
            self.problems.append(f"<{tag}>")
        if tag == "script":
            self._script, self._script_text = values, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._script_text)))
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script_text.append(data)
        else:
            self.text.append(data)


def inspect(html: str) -> Inspection:
    inspection = Inspection()
    inspection.feed(html)
    inspection.close()
    return inspection


def foreign_scripts(inspection: Inspection) -> list[str]:
    """Script elements that are neither the app's own files nor its JSON data blocks."""
    foreign = []
    for attrs, content in inspection.scripts:
        if "src" in attrs:
            if not attrs["src"].startswith(APP_SCRIPT_PREFIXES) or content.strip():
                foreign.append(f"<script src={attrs['src']!r}>{content[:60]}")
        elif attrs.get("type") not in DATA_SCRIPT_TYPES:
            foreign.append(f"<script {attrs}>{content[:60]}")
    return foreign


def assert_inert(html: str, where: str) -> Inspection:
    inspection = inspect(html)
    assert inspection.problems == [], f"{where}: live markup from the data"
    assert foreign_scripts(inspection) == [], f"{where}: a script that is not the app's"
    assert inspection.styles == [], f"{where}: style attributes"
    for action in inspection.forms:
        assert stays_on_site(action, "localhost"), (where, action)
    for attrs, content in inspection.scripts:
        if attrs.get("type") in DATA_SCRIPT_TYPES:
            json.loads(content)  # a data block the data did not break out of
    return inspection


def page_text(inspection: Inspection) -> str:
    return "".join(inspection.text)


def hrefs(html: str) -> list[str]:
    return re.findall(r'\shref="([^"]*)"', html)


# ------------------------------------------------------------------ hostile data is inert


def test_the_hostile_dataset_loads_whole(hostile_store: OxigraphStore) -> None:
    # If a future parser dropped the odd triples, the page tests below would test nothing.
    expected = len(Graph().parse(HOSTILE, format="turtle"))
    rows = select(hostile_store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(rows[0]["n"]["value"]) == expected >= 90


@pytest.mark.parametrize("url", HOSTILE_PAGES)
def test_no_element_or_attribute_from_the_data_is_live(hostile: FlaskClient, url: str) -> None:
    response = hostile.get(url, headers=HTML)
    assert response.status_code == 200, url
    assert response.mimetype == "text/html"
    inspection = assert_inert(response.text, url)
    if not url.startswith("/sparql"):  # the query page shows data once a query runs
        assert "alert(" in page_text(inspection), "the page shows the hostile data"
    # The parser sees exactly the markup the templates wrote: one title, one h1.
    head = response.text[: response.text.index("</head>")]
    assert head.count("<title>") == 1 and head.count("</title>") == 1
    assert len(re.findall(r"<h1[ >]", response.text)) == 1


@pytest.mark.parametrize("url", ERROR_PAGES)
def test_error_pages_repeat_the_request_as_text(hostile: FlaskClient, url: str) -> None:
    response = hostile.get(url, headers=HTML)
    assert response.status_code in (400, 404), url
    assert response.mimetype == "text/html"
    inspection = assert_inert(response.text, url)
    assert "<script>alert(1)" not in response.text and "<img" not in response.text
    if url.startswith("/resource"):  # this one says which IRI it has nothing about
        assert "alert(1)" in page_text(inspection)


@pytest.mark.parametrize(
    ("url", "iris"),
    [
        (
            "/council/hostile.html",
            [
                "javascript:alert('homepage')",
                "vbscript:msgbox('seeAlso')",
                "JaVaScRiPt:alert('mixed-case')",
                "javascript:alert('source')",
            ],
        ),
        (
            f"/{STRATEGY}.html",
            [
                "javascript:alert('document')",
                "javascript:alert('stakeholder')",
                "data:text/html,alert('focus-area')",
                "javascript:alert('part')",
                "vbscript:msgbox('principle')",
                "javascript:alert('goal')",
                "javascript:alert('strategy-source')",
            ],
        ),
        (
            "/ontology",
            [
                "javascript:alert('licence')",
                "javascript:alert('creator')",
                "javascript:alert('seeAlso')",
                "javascript:alert('superclass')",
                "javascript:alert('range')",
            ],
        ),
    ],
)
def test_script_iris_are_shown_as_text_not_links(
    hostile: FlaskClient, url: str, iris: list[str]
) -> None:
    """A ``javascript:`` IRI is data like any other: the page shows it (as a label's
    title, or the IRI itself) but never as something to follow."""
    html = hostile.get(url, headers=HTML).text
    inspection = inspect(html)
    links = hrefs(html)
    for iri in iris:
        escaped = iri.replace("'", "&#39;")
        assert escaped in html, f"{iri} is shown on {url}"
        assert not [link for link in links if link.replace("&#39;", "'") == iri], iri
    assert not [link for link in links if scheme_of(link) in SCRIPT_SCHEMES]
    assert inspection.problems == []


def test_a_script_iri_as_predicate_is_not_a_link(hostile: FlaskClient) -> None:
    html = hostile.get("/council/hostile.html", headers=HTML).text
    assert 'title="javascript:alert(&#39;predicate&#39;)"' in html
    assert 'href="javascript:' not in html


def test_a_script_iri_as_subject_has_its_page_here(hostile: FlaskClient) -> None:
    """Described, so it links to its page at /resource?iri=…, never to itself."""
    landing = hostile.get("/", headers=HTML).text
    page = "/resource?" + urlencode({"iri": SCRIPT_SUBJECT})
    assert f'href="{page.replace("&", "&amp;")}"' in landing
    html = hostile.get(page, headers=HTML).text
    assert '<code class="iri">javascript:alert(&#39;subject&#39;)</code>' in html
    assert_inert(html, page)


def test_template_syntax_in_the_data_is_not_evaluated(hostile: FlaskClient) -> None:
    html = hostile.get("/council/hostile.html", headers=HTML).text
    text = page_text(inspect(html))
    assert "{{ 7*7 }}{% raw %}{% endraw %}{{ config }}" in text
    assert "SECRET_KEY" not in html and "&lt;Config" not in html
    strategy = page_text(inspect(hostile.get(f"/{STRATEGY}.html?lang=en").text))
    assert "{{ 7*7 }}" in strategy
    premise = page_text(inspect(hostile.get(f"/{STRATEGY}.html").text))
    assert "{% for x in range(9) %}{{ x }}{% endfor %}" in premise
    assert "012345678" not in premise


def test_markup_in_titles_cannot_end_the_title(hostile: FlaskClient) -> None:
    html = hostile.get(f"/{STRATEGY}.html", headers=HTML).text
    title = html[html.index("<title>") : html.index("</title>")]
    assert "Strategi&lt;/title&gt;&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in title


def test_odd_unicode_and_long_strings_are_text(hostile: FlaskClient) -> None:
    html = hostile.get("/council/hostile.html?lang=en", headers=HTML).text
    text = page_text(inspect(html))
    for odd in (
        "\u202eevil.exe\u202c",
        "a\u200db\u200bc",
        "e\u0301\u0308\u0327\u20dd",
        "\U0001f4a9",
    ):
        assert odd in text
    assert "A" * 5000 + "<script>alert('long')</script>" in text
    assert 'lang="x-onload-alert"' in html  # a language tag is an attribute value, no more
    assert_inert(html, "council page")


def test_json_ld_on_the_landing_page_holds_the_data_without_breaking_out(
    hostile: FlaskClient,
) -> None:
    html = hostile.get("/?lang=en", headers=HTML).text
    inspection = assert_inert(html, "landing")
    blocks = [
        content
        for attrs, content in inspection.scripts
        if attrs.get("type") == DATA_SCRIPT_TYPES[0]
    ]
    assert len(blocks) == 1
    assert "</" not in blocks[0] and "<!--" not in blocks[0]
    dataset = json.loads(blocks[0])
    assert dataset["publisher"]["name"] == "</SCRIPT ><script>alert('json-ld')</script>"


# ------------------------------------------------------------------ the headers


def responses(client: FlaskClient) -> dict[str, Any]:
    """One response of each kind the app gives."""
    return {
        "page": client.get("/", headers=HTML),
        "resource page": client.get("/council/nome-midt-telemark.html"),
        "redirect": client.get("/council/nome-midt-telemark", headers=HTML),
        "turtle": client.get("/council/nome-midt-telemark.ttl"),
        "html error": client.get("/council/nowhere", headers=HTML),
        "json error": client.get("/council/nowhere", headers={"Accept": "application/json"}),
        "sparql": client.get("/sparql", query_string={"query": "ASK {}"}),
        "sparql error": client.get("/sparql", query_string={"query": "NOT SPARQL"}),
        "static": client.get("/static/iprkg.css"),
        "dump": client.get("/dumps/manifest.json"),
        "405": client.post("/council/nome-midt-telemark.html"),
    }


@pytest.mark.parametrize("header", sorted(HEADERS))
def test_every_response_carries_the_security_headers(client: FlaskClient, header: str) -> None:
    for kind, response in responses(client).items():
        assert response.headers.get(header) == HEADERS[header], f"{header} on the {kind}"


def test_the_policy_is_strict() -> None:
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in CONTENT_SECURITY_POLICY.split("; ")
    )
    assert directives["default-src"] == ["'none'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src" if "object-src" in directives else "default-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY
    assert "'unsafe-eval'" not in CONTENT_SECURITY_POLICY
    assert "*" not in CONTENT_SECURITY_POLICY and "http" not in CONTENT_SECURITY_POLICY
    assert HEADERS["X-Content-Type-Options"] == "nosniff"
    assert HEADERS["X-Frame-Options"] == "DENY"
    assert HEADERS["Referrer-Policy"] in (
        "no-referrer",
        "same-origin",
        "strict-origin-when-cross-origin",
    )


REAL_PAGES = [
    "/",
    "/strategy/nome-midt-telemark-2022-2035",
    "/council/nome-midt-telemark.html",
    f"/resource?{urlencode({'iri': 'http://metadata.un.org/sdg/3'})}",
    "/ontology",
    "/compare",
    "/sparql?format=html",
    "/council/nowhere",
]


@pytest.mark.parametrize("url", REAL_PAGES)
def test_pages_need_nothing_the_policy_forbids(client: FlaskClient, url: str) -> None:
    """No inline script or style, every script and stylesheet from this origin: what
    ``script-src 'self'; style-src 'self'`` allows (the browser tests load them)."""
    response = client.get(url, headers=HTML, follow_redirects=True)
    inspection = assert_inert(response.text, url)
    for attrs, content in inspection.scripts:
        assert "src" in attrs or attrs.get("type") in DATA_SCRIPT_TYPES, (url, content[:80])
    for href in inspection.stylesheets:
        assert href.startswith("/") and not href.startswith("//"), (url, href)


def test_the_goal_colours_in_the_stylesheet_are_the_uns(project_root: Path) -> None:
    css = (project_root / "server/iprkg/web/static/views.css").read_text(encoding="utf-8")
    rules = re.findall(
        r"li\.goal\.goal-(\d+) \{ --goal-colour: (#[0-9A-F]{6}); --goal-text: (#[0-9A-F]{6}); \}",
        css,
    )
    assert {int(n): (colour, text) for n, colour, text in rules} == {
        number: (colour, text_colour(colour)) for number, colour in SDG_COLOURS.items()
    }


def test_the_strategy_page_colours_goals_by_class(client: FlaskClient) -> None:
    html = client.get("/strategy/nome-midt-telemark-2022-2035.html").text
    numbers = re.findall(r'<li class="goal goal-(\d+)">\s*<a href="[^"]+" data-goal="\1">', html)
    assert [int(number) for number in numbers] == [3, 4, 8, 9, 11, 17]
    assert "style=" not in html


# ------------------------------------------------------------------ redirects stay here

OFF_SITE_PATHS = [
    "//evil.example",
    "//evil.example/",
    "///evil.example",
    "/\\evil.example",
    "/\\/evil.example",
    "/%2F%2Fevil.example",
    "/%5Cevil.example",
    "/%5C%5Cevil.example",
    "/https://evil.example",
    "/https:/evil.example",
    "//evil.example/council/nome-midt-telemark",
    "/council/nome-midt-telemark/",
    "/council//nome-midt-telemark",
    "/council/nome-midt-telemark/..//evil.example",
    "/ontology/",
    "/compare/",
    "/sparql/",
    "/static//evil.example",
    "/dumps//evil.example",
]
OFF_SITE_QUERIES = [
    "/council/nome-midt-telemark?lang=en&next=//evil.example",
    "/council/nome-midt-telemark?lang=//evil.example",
    "/council/nome-midt-telemark?format=https://evil.example",
    "/council/nome-midt-telemark?format=ttl&url=https://evil.example",
    "/ontology?format=ttl&next=//evil.example",
    "/resource?iri=https://evil.example",
    "/resource?iri=//evil.example",
    "/resource?iri=/%5Cevil.example",
    f"/resource?{urlencode({'iri': BASE + '/evil.example'})}",
    f"/resource?{urlencode({'iri': BASE + '//evil.example/council/x'})}",
    "/resource?" + urlencode({"iri": BASE + "/\\evil.example"}),
    "/resource?" + urlencode({"iri": BASE + "\\\\evil.example"}),
    f"/resource?{urlencode({'iri': BASE + '%2F%2Fevil.example'})}",
    f"/resource?{urlencode({'iri': BASE + 'council/nome-midt-telemark', 'lang': 'en'})}",
    f"/resource?{urlencode({'iri': BASE + 'council/nome-midt-telemark'})}&next=//evil.example",
    "/compare?like=//evil.example",
    "/?lang=//evil.example",
]


def stays_on_site(location: str, host: str) -> bool:
    """True if a browser following ``location`` from ``http://host/…`` stays on ``host``."""
    cleaned = re.sub(r"[\t\n\r]", "", location).strip().replace("\\", "/")
    parts = urlsplit(cleaned)
    if parts.scheme or parts.netloc or cleaned.startswith("//"):
        return parts.scheme in ("http", "https") and parts.netloc == host
    return cleaned.startswith("/")


def test_stays_on_site_knows_the_tricks() -> None:
    assert stays_on_site("/council/x.html?lang=en", "localhost")
    assert stays_on_site("http://localhost/council/x", "localhost")
    for off in ("//evil.example", "/\\evil.example", "\\\\evil.example", "https://evil.example/"):
        assert not stays_on_site(off, "localhost"), off
    assert not stays_on_site("/\t/evil.example", "localhost")


def request_path(client: FlaskClient, raw: str) -> Any:
    """GET the raw request target ``raw`` as a server would see it (its path decoded)."""
    from urllib.parse import unquote

    path, _, query = raw.partition("?")
    environ = {"PATH_INFO": unquote(path), "RAW_URI": raw, "REQUEST_URI": raw}
    return client.get("/", query_string=query, headers=HTML, environ_overrides=environ)


@pytest.mark.parametrize("target", OFF_SITE_PATHS + OFF_SITE_QUERIES)
def test_no_redirect_leaves_the_site(client: FlaskClient, target: str) -> None:
    response = request_path(client, target)
    assert response.status_code < 500, target
    for header in ("Location", "Refresh", "Content-Location"):
        value = response.headers.get(header)
        if value is not None:
            target_url = value.split("url=")[-1] if header == "Refresh" else value
            assert stays_on_site(target_url, "localhost"), (target, header, value)


def test_an_iri_under_the_base_still_redirects_to_its_page(client: FlaskClient) -> None:
    iri = BASE + "council/nome-midt-telemark"
    response = client.get("/resource", query_string={"iri": iri})
    assert response.status_code == 303
    assert response.headers["Location"] == "/council/nome-midt-telemark"


def test_an_iri_under_the_base_that_would_leave_the_site_is_not_redirected(
    client: FlaskClient,
) -> None:
    response = client.get("/resource", query_string={"iri": BASE + "/evil.example"})
    assert response.status_code == 404
    assert "Location" not in response.headers


@pytest.mark.slow
def test_a_real_server_redirects_only_on_site(live_server: str) -> None:
    """Over HTTP, with the request targets as a browser or a crafted link would send them."""
    address = urlsplit(live_server)
    assert address.hostname and address.port
    host = f"{address.hostname}:{address.port}"
    for target in OFF_SITE_PATHS + OFF_SITE_QUERIES:
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
        try:
            connection.putrequest("GET", target, skip_accept_encoding=True)
            connection.putheader("Accept", "text/html")
            connection.endheaders()
            response = connection.getresponse()
            response.read()
        finally:
            connection.close()
        assert response.status < 500, target
        location = response.getheader("Location")
        if location is not None:
            assert stays_on_site(location, host), (target, location)
        assert response.getheader("Content-Security-Policy") == CONTENT_SECURITY_POLICY


# ------------------------------------------------------------------ in a real browser


@pytest.fixture(scope="module")
def hostile_server() -> Iterator[str]:
    """``iprkg serve --dataset tests/support/data/hostile.ttl``; yields its base URL."""
    with serving(["--dataset", str(HOSTILE)]) as endpoint:
        yield endpoint.removesuffix("/sparql")


class Watched:
    """A page that records dialogs (dismissing them), console errors (a CSP violation is
    one) and uncaught exceptions."""

    def __init__(self, browser: Any) -> None:
        self.context = browser.new_context(locale="nb-NO")
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", self.on_dialog)
        self.page.on(
            "console",
            lambda message: (
                self.errors.append(f"console: {message.text}") if message.type == "error" else None
            ),
        )
        self.page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))

    def on_dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def link_protocols(self) -> set[str]:
        protocols = self.page.eval_on_selector_all(
            "a[href], area[href]",  # SVG links too: resolve the attribute as the browser does
            "links => links.map(a => new URL(a.getAttribute('href'), document.baseURI).protocol)",
        )
        return set(protocols)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    opened = Watched(browser)
    yield opened
    opened.close()


SAFE_PROTOCOLS = {"http:", "https:", "ftp:", "mailto:"}


@pytest.mark.browser
def test_hostile_pages_run_nothing_in_a_browser(watched: Watched, hostile_server: str) -> None:
    page = watched.page
    for url in HOSTILE_PAGES:
        response = page.goto(f"{hostile_server}{url}")
        assert response is not None and response.status == 200, url
        page.wait_for_load_state("load")
        # Hover and focus every link: onmouseover/onfocus attributes would fire.
        for link in page.locator("main a").all()[:60]:
            link.hover(timeout=2000, force=True)
        assert watched.link_protocols() <= SAFE_PROTOCOLS, url
        assert watched.dialogs == [], url
        assert watched.errors == [], f"{url}: " + "\n".join(watched.errors)
    # The strategy page's goal tiles keep the UN's colours under the policy.
    page.goto(f"{hostile_server}/{STRATEGY}.html")
    tile = page.locator('li.goal a[data-goal="3"]')
    assert tile.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(76, 159, 56)"
    script_goal = page.locator("li.goal span.tile")
    assert script_goal.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(90, 90, 90)"


@pytest.mark.browser
def test_the_query_page_shows_hostile_results_as_text(
    watched: Watched, hostile_server: str
) -> None:
    page = watched.page
    page.goto(f"{hostile_server}/sparql")
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
    if page.locator(".CodeMirror").count():
        page.evaluate(
            f"document.querySelector('.CodeMirror').CodeMirror.setValue({json.dumps(query)})"
        )
    else:
        page.locator("textarea#query").fill(query)
    page.locator("#query-form button[type=submit]").click()
    rows = page.locator("table.results tbody tr")
    rows.first.wait_for()
    assert rows.count() >= 90
    results = page.locator("table.results")
    assert "javascript:alert('homepage')" in results.inner_text()
    assert "<script>alert('council')</script>" in results.inner_text()
    assert results.locator("a[href^='javascript:'], a[href^='data:']").count() == 0
    assert watched.link_protocols() <= SAFE_PROTOCOLS
    assert watched.dialogs == []
    assert watched.errors == [], "\n".join(watched.errors)


@pytest.mark.browser
def test_the_browser_enforces_the_policy(watched: Watched, hostile_server: str) -> None:
    """An inline script added to a page does not run: the header is in force."""
    page = watched.page
    page.goto(f"{hostile_server}/")
    from playwright.sync_api import Error

    with contextlib.suppress(Error):  # Playwright may report the blocked script; see below
        page.add_script_tag(content="window.iprkgInlineRan = true;")
    assert page.evaluate("window.iprkgInlineRan === undefined")
    assert any("Content Security Policy" in error for error in watched.errors), watched.errors
