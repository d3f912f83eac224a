"""The releases as the server serves them: pages, files, citations, /sparql?release=, DCAT.

One project copy is built and released twice per module: 2026-1, then the data changed
by ``release_scenario.change_the_data`` (a member gone, a focus area renamed, a goal
dropped), then 2026-2; the app serves that project.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from html import unescape
from pathlib import Path
from typing import Any

import bibtexparser
import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, XSD

from iprkg.artefact.artefact import StoreError
from iprkg.artefact.releases import Release, read_releases
from iprkg.build.release_writer import make_release
from iprkg.build.sources import KINDS
from iprkg.core.settings import Settings
from iprkg.engine.oxigraph_store import OxigraphStore
from iprkg.engine.query_cache import CachingStore
from iprkg.services.dcat_profiles import PROFILES, findings
from iprkg.web.app import create_app
from iprkg.web.context import context_of
from support.live import live
from support.project import PROJECT_ROOT, project_settings
from support.protocol import RDF_TYPES, parse_rdf
from support.release_scenario import change_the_data

BASE = "https://w3id.org/iprkg/"
FIRST, SECOND = f"{BASE}release/2026-1/", f"{BASE}release/2026-2/"
ADMS = Namespace("http://www.w3.org/ns/adms#")
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT3 = Namespace("http://www.w3.org/ns/dcat#")
CC_BY = "https://creativecommons.org/licenses/by/4.0/"

MEMBERS = """PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?member WHERE { <https://w3id.org/iprkg/council/lister> org:hasMember ?member }
ORDER BY ?member"""


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, dict[str, str]]:
    """A project copy released as 2026-1, changed, and released as 2026-2."""
    root = tmp_path_factory.mktemp("released") / "project"
    root.mkdir()
    for kind in KINDS:
        if (PROJECT_ROOT / kind).is_dir():
            shutil.copytree(PROJECT_ROOT / kind, root / kind)
    settings = project_settings(root)
    make_release(settings, "2026-1")
    changed = change_the_data(root)
    make_release(settings, "2026-2")
    return settings, changed


@pytest.fixture(scope="module")
def settings(released: tuple[Settings, dict[str, str]]) -> Settings:
    return released[0]


@pytest.fixture(scope="module")
def changed(released: tuple[Settings, dict[str, str]]) -> dict[str, str]:
    return released[1]


@pytest.fixture(scope="module")
def release_app(settings: Settings) -> Flask:
    return create_app({"TESTING": True, "IPRKG_SETTINGS": settings})


@pytest.fixture
def web(release_app: Flask) -> FlaskClient:
    return release_app.test_client()


def release(settings: Settings, version: str) -> Release:
    return Release.read(settings.releases / version)


def select(web: FlaskClient, query: str, **params: str) -> list[dict[str, Any]]:
    answer = web.get(
        "/sparql",
        query_string={"query": query, **params},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert answer.status_code == 200, answer.text
    return list(answer.json["results"]["bindings"])  # type: ignore[index]


# ---------------------------------------------------------------- pages


def test_the_list_names_both_releases_newest_first(web: FlaskClient) -> None:
    page = web.get("/release/", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert page.text.index("2026-2") < page.text.index("2026-1")
    assert FIRST in page.text and SECOND in page.text


@pytest.mark.parametrize("version", ["2026-1", "2026-2"])
def test_a_release_page_says_its_facts(web: FlaskClient, settings: Settings, version: str) -> None:
    made = release(settings, version)
    page = web.get(f"/release/{version}/?lang=en", headers={"Accept": "text/html"})
    assert page.status_code == 200
    for fact in (made.version, made.issued, made.iri, made.content_hash, str(made.triples)):
        assert fact in page.text
    for name in [*made.files, "release.json", "citation.bib", "citation.json"]:
        assert f'href="/release/{version}/{name}"' in page.text
    assert "Cite this release" in page.text


def test_the_first_release_says_it_is_the_first(web: FlaskClient) -> None:
    page = web.get("/release/2026-1/?lang=en", headers={"Accept": "text/html"}).text
    assert "this is the first release" in page
    assert 'rel="next" href="/release/2026-2/?lang=en"' in page
    assert 'rel="prev"' not in page


def test_the_second_release_lists_exactly_the_changes_made(
    web: FlaskClient, changed: dict[str, str]
) -> None:
    page = web.get("/release/2026-2/?lang=en", headers={"Accept": "text/html"}).text
    assert 'rel="prev" href="/release/2026-1/?lang=en"' in page
    kinds = [part.split('"', 1)[0] for part in page.split('data-kind="')[1:]]
    assert sorted(kinds) == ["focus-area-renamed", "goal-dropped", "member-removed"]
    member = page.split('data-kind="member-removed"')[1].split("</li>")[0]
    assert "Sirdal" in member and "Lister" in member
    renamed = page.split('data-kind="focus-area-renamed"')[1].split("</li>")[0]
    assert changed["old_label"] in renamed and changed["new_label"] in renamed
    dropped = page.split('data-kind="goal-dropped"')[1].split("</li>")[0]
    assert "17" in dropped
    assert 'href="/release/2026-2/added.nt"' in page and 'href="/release/2026-2/removed.nt"' in page
    assert "# " not in page.split('id="changes"')[1].split("</section>")[0]  # HTML, not markdown


def test_the_changes_are_in_the_page_language(web: FlaskClient) -> None:
    page = web.get("/release/2026-2/?lang=nb", headers={"Accept": "text/html"}).text
    assert "Medlemmer" in page and "tatt bort" in page


def test_every_file_downloads_byte_identical_and_immutable(
    web: FlaskClient, settings: Settings
) -> None:
    for version in ("2026-1", "2026-2"):
        made = release(settings, version)
        for name in [*made.files, "release.json"]:
            answer = web.get(f"/release/{version}/{name}")
            assert answer.status_code == 200, name
            content = (made.folder / name).read_bytes()
            assert answer.data == content, name
            assert "immutable" in answer.headers["Cache-Control"]
            assert answer.headers["ETag"] == f'"{hashlib.sha256(content).hexdigest()}"'
            again = web.get(
                f"/release/{version}/{name}", headers={"If-None-Match": answer.headers["ETag"]}
            )
            assert again.status_code == 304
    assert web.get("/release/2026-1/iprkg.ttl").mimetype == "text/turtle"
    gz = web.get("/release/2026-1/iprkg.nt.gz")
    assert gz.mimetype == "application/gzip" and "attachment" in gz.headers["Content-Disposition"]


@pytest.mark.parametrize(
    ("url", "accept"),
    [
        ("/release/2026-9/", "text/html"),
        ("/release/2026-9/", "application/json"),
        ("/release/2026-9/", "text/plain"),
        ("/release/2026-9/iprkg.ttl", "*/*"),
        ("/release/2026-9/citation.bib", "*/*"),
        ("/sparql?release=2026-9&query=ASK{}", "*/*"),
    ],
)
def test_an_unknown_release_is_a_404_listing_the_releases(
    web: FlaskClient, url: str, accept: str
) -> None:
    answer = web.get(url, headers={"Accept": accept})
    assert answer.status_code == 404
    assert "2026-1" in answer.text and "2026-2" in answer.text
    if accept == "application/json":
        assert answer.json["error"] == "unknown-release"  # type: ignore[index]


def test_an_unknown_file_of_a_release_is_a_404_naming_its_files(web: FlaskClient) -> None:
    for name in ("nothing.txt", "..%2Fmanifest.json"):
        answer = web.get(f"/release/2026-1/{name}")
        assert answer.status_code == 404


def test_the_release_iri_dereferences_to_the_page_and_its_dcat(web: FlaskClient) -> None:
    turtle = web.get("/release/2026-2/", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and turtle.mimetype == "text/turtle"
    graph = parse_rdf(turtle.data, "text/turtle")
    second = URIRef(SECOND)
    assert (second, RDF.type, DCAT.Dataset) in graph
    assert (second, DCAT3.version, Literal("2026-2")) in graph
    assert (second, DCAT3.previousVersion, URIRef(FIRST)) in graph
    listing = parse_rdf(web.get("/release/?format=ttl").data, "text/turtle")
    assert (URIRef(FIRST), ADMS.next, second) in listing


# ---------------------------------------------------------------- citation


@pytest.mark.parametrize("url", ["/release/2026-2/", "/"])
def test_the_cite_blocks_are_valid_bibtex_and_csl_json(
    web: FlaskClient, settings: Settings, url: str
) -> None:
    made = release(settings, "2026-2")  # the landing page cites the newest release
    page = web.get(f"{url}?lang=en", headers={"Accept": "text/html"}).text
    assert "Cite this" in page
    blocks = page.split('<code class="language-bibtex">')[1]
    bib_text = unescape(blocks.split("</code>")[0])
    csl_text = unescape(page.split('<code class="language-json">')[1].split("</code>")[0])
    assert bib_text == web.get("/release/2026-2/citation.bib").text
    assert json.loads(csl_text) == web.get("/release/2026-2/citation.json").json
    check_bibtex(bib_text, made)
    check_csl_json(json.loads(csl_text), made)


def check_bibtex(text: str, made: Release) -> None:
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    [entry] = library.entries
    fields = {field.key: field.value for field in entry.fields}
    assert fields["version"] == made.version
    assert fields["year"] == made.issued[:4]
    assert fields["url"] == made.iri, "the persistent IRI, not where the server runs"
    assert CC_BY in fields["note"] and made.iri in fields["note"]
    assert text.isascii()


def check_csl_json(document: list[dict[str, Any]], made: Release) -> None:
    [item] = document
    assert item["type"] == "dataset"
    assert item["id"] == made.iri
    assert item["version"] == made.version
    year, month, day = (int(part) for part in made.issued.split("-"))
    assert item["issued"] == {"date-parts": [[year, month, day]]}
    assert item["URL"] == made.iri, "the persistent IRI, not where the server runs"
    assert CC_BY in item["note"]


def test_the_citation_files_download(web: FlaskClient, settings: Settings) -> None:
    made = release(settings, "2026-1")
    bib = web.get("/release/2026-1/citation.bib")
    assert bib.status_code == 200 and bib.mimetype == "application/x-bibtex"
    check_bibtex(bib.text, made)
    csl = web.get("/release/2026-1/citation.json")
    assert csl.mimetype == "application/vnd.citationstyles.csl+json"
    check_csl_json(json.loads(csl.data), made)


def test_without_releases_the_landing_page_cites_the_live_data(client: FlaskClient) -> None:
    page = client.get("/?lang=en", headers={"Accept": "text/html"}).text
    bib = unescape(page.split('<code class="language-bibtex">')[1].split("</code>")[0])
    [entry] = bibtexparser.parse_string(bib).entries
    fields = {field.key: field.value for field in entry.fields}
    assert len(fields["version"]) == 16 and int(fields["version"], 16) >= 0
    csl = json.loads(unescape(page.split('<code class="language-json">')[1].split("</code>")[0]))
    assert csl[0]["id"] == f"{BASE}catalog#dataset"


# ---------------------------------------------------------------- SPARQL


def test_release_parameter_queries_that_release(web: FlaskClient, changed: dict[str, str]) -> None:
    def members(**params: str) -> set[str]:
        return {row["member"]["value"] for row in select(web, MEMBERS, **params)}

    first, second, live = members(release="2026-1"), members(release="2026-2"), members()
    assert changed["municipality"] in first
    assert first - second == {changed["municipality"]}
    assert second == live


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_query_link_of_a_release_page_queries_that_release(
    web: FlaskClient, settings: Settings, lang: str
) -> None:
    """The link was /sparql?release=V alone, which is no query (a 400)."""
    text = web.get(f"/release/2026-1/?lang={lang}", headers={"Accept": "text/html"}).text
    label = "Query this release" if lang == "en" else "Spør i denne utgivelsen"
    href = unescape(text.split(label, 1)[0].rsplit('<a href="', 1)[1].split('"', 1)[0])
    url = urllib.parse.urlsplit(href)
    arguments = urllib.parse.parse_qs(url.query)
    assert url.path == "/sparql" and arguments["release"] == ["2026-1"] and arguments["query"]
    browser = web.get(href, headers={"Accept": "text/html,*/*;q=0.8"})
    assert browser.status_code == 200, browser.text
    # Running the query again from the page's form asks the same release.
    assert '<input type="hidden" name="release" value="2026-1">' in browser.text
    rows = web.get(href, headers={"Accept": "application/sparql-results+json"})
    assert rows.status_code == 200, rows.text
    counts = {
        row["class"]["value"]: int(row["resources"]["value"])
        for row in rows.json["results"]["bindings"]  # type: ignore[index]
    }
    assert counts == release(settings, "2026-1").manifest["classes"]


def test_the_catalogue_page_lists_the_releases(web: FlaskClient, settings: Settings) -> None:
    text = web.get("/catalog?lang=en", headers={"Accept": "text/html"}).text
    versions = [r.version for r in read_releases(settings.releases)]
    assert versions
    for version in versions:
        assert f'href="http://localhost/release/{version}/?lang=en">Version {version}</a>' in text
    assert text.index(f"Version {versions[-1]}<") < text.index(f"Version {versions[0]}<")


def test_release_parameter_by_post_form(web: FlaskClient, changed: dict[str, str]) -> None:
    answer = web.post(
        "/sparql",
        data={"query": MEMBERS, "release": "2026-1"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert answer.status_code == 200
    values = {row["member"]["value"] for row in answer.json["results"]["bindings"]}  # type: ignore[index]
    assert changed["municipality"] in values


def test_release_graphs_by_iri_from_and_graph(web: FlaskClient, changed: dict[str, str]) -> None:
    goal = changed["goal"]
    strategy = changed["strategy"]
    ask = f"ASK {{ <{strategy}> <{BASE}ontology#emphasisesGoal> <{goal}> }}"
    from_first = f"ASK FROM <{FIRST}> {{ <{strategy}> <{BASE}ontology#emphasisesGoal> <{goal}> }}"
    from_second = from_first.replace(FIRST, SECOND)
    graph = f"ASK {{ GRAPH <{FIRST}> {{ <{strategy}> <{BASE}ontology#emphasisesGoal> <{goal}> }} }}"

    def ask_of(query: str) -> bool:
        answer = web.get("/sparql", query_string={"query": query})
        assert answer.status_code == 200, answer.text
        return bool(answer.json["boolean"])  # type: ignore[index]

    assert ask_of(from_first) and ask_of(graph)
    assert not ask_of(from_second) and not ask_of(ask)


def test_release_with_a_dataset_is_a_400_saying_choose_one(web: FlaskClient) -> None:
    for other in ("default-graph-uri", "named-graph-uri"):
        answer = web.get(
            "/sparql", query_string={"query": "ASK {}", "release": "2026-1", other: FIRST}
        )
        assert answer.status_code == 400
        assert "choose one" in answer.text


def test_the_default_graph_stays_the_live_data(web: FlaskClient, settings: Settings) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    [live] = select(web, count)
    [first] = select(web, count, release="2026-1")
    assert int(first["n"]["value"]) == release(settings, "2026-1").triples
    assert int(live["n"]["value"]) == release(settings, "2026-2").triples


def test_the_answer_caches_key_by_release(release_app: Flask) -> None:
    assert isinstance(context_of(release_app).store, CachingStore)  # the default: on
    for _ in range(2):  # the second time from the caches
        for method in ("get", "post"):
            answers = [
                getattr(release_app.test_client(), method)(
                    "/sparql",
                    **{"query_string" if method == "get" else "data": {"query": MEMBERS, **p}},
                    headers={"Accept": "application/sparql-results+json"},
                ).json["results"]["bindings"]
                for p in ({"release": "2026-1"}, {"release": "2026-2"}, {})
            ]
            assert answers[0] != answers[1] and answers[1] == answers[2]


# ---------------------------------------------------------------- DCAT and VoID


@pytest.fixture(scope="module")
def catalog(release_app: Flask) -> Graph:
    return parse_rdf(release_app.test_client().get("/catalog").data, "text/turtle")


def test_the_catalogue_lists_both_releases_as_versions(catalog: Graph) -> None:
    dataset = URIRef(f"{BASE}catalog#dataset")
    first, second = URIRef(FIRST), URIRef(SECOND)
    for version in (first, second):
        assert (dataset, DCTERMS.hasVersion, version) in catalog
        assert (dataset, DCAT3.hasVersion, version) in catalog
        assert (version, DCTERMS.isVersionOf, dataset) in catalog
        assert (version, RDF.type, DCAT.Dataset) in catalog
        [issued] = catalog.objects(version, DCTERMS.issued)
        assert isinstance(issued, Literal) and issued.datatype == XSD.date
    assert (second, DCAT3.previousVersion, first) in catalog
    assert (second, ADMS.prev, first) in catalog
    assert (first, ADMS.next, second) in catalog
    assert (first, DCAT3.version, Literal("2026-1")) in catalog
    urls = {str(url) for url in catalog.objects(None, DCAT.downloadURL)}
    assert "http://localhost/release/2026-1/iprkg.ttl" in urls
    assert "http://localhost/release/2026-2/iprkg.nt.gz" in urls


@pytest.mark.parametrize("profile", list(PROFILES))
def test_the_catalogue_with_releases_conforms_to_the_profiles(
    catalog: Graph, external_dir: Path, profile: str
) -> None:
    found = findings(catalog, external_dir, [profile])
    assert found == [], "\n".join(map(str, found))


def test_the_releases_are_a_dataset_series(catalog: Graph) -> None:
    series = URIRef(f"{BASE}release/")
    assert (series, RDF.type, DCAT3.DatasetSeries) in catalog
    assert (URIRef(f"{BASE}catalog"), DCAT.dataset, series) in catalog
    for version in (URIRef(FIRST), URIRef(SECOND)):
        assert (version, DCAT3.inSeries, series) in catalog
    assert catalog.value(series, DCAT3.first) == URIRef(FIRST)
    assert catalog.value(series, DCAT3.last) == URIRef(SECOND)
    assert (URIRef(SECOND), DCAT3.prev, URIRef(FIRST)) in catalog


def test_void_describes_each_release(release_app: Flask) -> None:
    void = parse_rdf(release_app.test_client().get("/.well-known/void").data, "text/turtle")
    dataset = URIRef(f"{BASE}catalog#dataset")
    for version in ("2026-1", "2026-2"):
        subject = URIRef(f"{BASE}release/{version}/")
        assert (subject, RDF.type, VOID.Dataset) in void
        assert (subject, DCTERMS.isVersionOf, dataset) in void
        assert (dataset, DCTERMS.hasVersion, subject) in void
        dumps = {str(o) for o in void.objects(subject, VOID.dataDump)}
        assert f"http://localhost/release/{version}/iprkg.nt" in dumps


# ---------------------------------------------------------------- loading


def test_a_damaged_release_stops_the_server_naming_it(settings: Settings, tmp_path: Path) -> None:
    copy = tmp_path / "releases"
    shutil.copytree(settings.releases, copy)
    damaged = copy / "2026-1" / "iprkg.nt"
    damaged.chmod(0o644)
    damaged.write_bytes(damaged.read_bytes() + b"\n")
    with pytest.raises(StoreError, match="2026-1"):
        create_app({"TESTING": True, "IPRKG_SETTINGS": replace(settings, releases=copy)})


def test_with_a_back_end_releases_are_served_not_queryable(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from iprkg.engine.remote_store import RemoteStore

    opened = OxigraphStore.from_dist(settings.dist)
    monkeypatch.setattr(RemoteStore, "from_dist", lambda *args, **kw: opened)
    remote = create_app(
        {"TESTING": True, "IPRKG_SETTINGS": replace(settings, backend="http://x/sparql")}
    )
    web = remote.test_client()
    answer = web.get("/sparql", query_string={"query": "ASK {}", "release": "2026-1"})
    assert answer.status_code == 400
    assert "cannot be queried" in answer.text
    assert web.get("/release/2026-1/iprkg.ttl").status_code == 200


# ---------------------------------------------------------------- live and browser


@pytest.fixture(scope="module")
def live_releases(settings: Settings) -> Iterator[str]:
    """``iprkg serve`` (granian) on the released project's dist and releases."""
    environment = {"IPRKG_RELEASES": str(settings.releases)}
    with live(["--dist", str(settings.dist)], settings=environment) as server:
        yield server.url.removesuffix("/sparql")


@pytest.mark.slow
def test_releases_under_the_live_server(live_releases: str) -> None:
    with urllib.request.urlopen(f"{live_releases}/release/2026-2/") as page:
        assert page.status == 200 and b"2026-2" in page.read()
    query = urllib.parse.urlencode({"query": MEMBERS, "release": "2026-1"})
    request = urllib.request.Request(
        f"{live_releases}/sparql?{query}", headers={"Accept": "application/sparql-results+json"}
    )
    with urllib.request.urlopen(request) as answer:
        members = {row["member"]["value"] for row in json.load(answer)["results"]["bindings"]}
    assert f"{BASE}municipality/sirdal" in members


@pytest.mark.browser
def test_release_pages_render_without_console_errors(live_releases: str, browser: Any) -> None:
    from support.browser import DESKTOP, Tab

    for path in ("/release/", "/release/2026-1/", "/release/2026-2/", "/"):
        tab = Tab(browser, DESKTOP)
        try:
            tab.page.goto(f"{live_releases}{path}")
            assert tab.page.locator("h1").count() == 1
        finally:
            tab.close()
        assert tab.errors == [], "\n".join(tab.errors)


@pytest.mark.slow
def test_a_release_made_while_serving_is_served_after_hup(
    settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "releases"
    folder.mkdir()
    shutil.copytree(settings.releases / "2026-1", folder / "2026-1")
    environment = {"IPRKG_RELEASES": str(folder)}
    with live(["--dist", str(settings.dist), "--workers", "1"], settings=environment) as server:
        root = server.url.removesuffix("/sparql")

        def status() -> int:
            try:
                with urllib.request.urlopen(f"{root}/release/2026-2/") as page:
                    return int(page.status)
            except urllib.error.HTTPError as error:
                return error.code

        assert status() == 404
        shutil.copytree(settings.releases / "2026-2", folder / "2026-2")
        os.kill(server.process.pid, signal.SIGHUP)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and status() != 200:
            time.sleep(0.2)
        assert status() == 200, server.written()


@pytest.mark.parametrize("media_type", RDF_TYPES)
def test_a_release_page_in_every_rdf_format(web: FlaskClient, media_type: str) -> None:
    answer = web.get("/release/2026-1/", headers={"Accept": media_type})
    assert answer.status_code == 200 and answer.mimetype == media_type
    graph = parse_rdf(answer.data, media_type)
    assert (URIRef(FIRST), RDF.type, DCAT.Dataset) in graph
    assert (URIRef(FIRST), ADMS.next, URIRef(SECOND)) in graph
    assert 'rel="alternate"' in answer.headers["Link"]


def test_release_without_a_query_is_a_400(web: FlaskClient) -> None:
    answer = web.get("/sparql?release=2026-1")
    assert answer.status_code == 400 and "query" in answer.text
    twice = web.get("/sparql", query_string=[("query", "ASK {}"), ("release", "2026-1")] * 2)
    assert twice.status_code == 400 and "once" in twice.text


def test_the_landing_page_and_menu_link_to_the_releases(web: FlaskClient) -> None:
    page = web.get("/?lang=en", headers={"Accept": "text/html"}).text
    assert page.count('href="/release/?lang=en"') >= 2  # the menu and the list of uses


def test_without_releases_the_list_is_empty_and_every_version_unknown(
    client: FlaskClient,
) -> None:
    page = client.get("/release/?lang=en", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "No releases yet." in page.text
    unknown = client.get("/release/2026-1/", headers={"Accept": "text/plain"})
    assert unknown.status_code == 404 and "none yet" in unknown.text
    query = client.get("/sparql", query_string={"query": "ASK {}", "release": "2026-1"})
    assert query.status_code == 404
