"""The schema.org ``Dataset`` in the landing page's and each release page's JSON-LD, for
dataset search engines (server/iprkg/web/schema_org.py).

Read as a search engine would: the ``<script type="application/ld+json">`` parsed as
JSON-LD by rdflib, schema.org's context given inline (``@vocab``; no network). What the
data say (their strategies' periods, the councils' member municipalities and their
labels) is asked of the server's own SPARQL endpoint, never written down here.

One project copy is released as 2026-1, then changed (``release_scenario``: Sirdal leaves
Lister IPR) and released as 2026-2, so that each release's coverage is its own.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from iprkg.artefact.releases import Release, ServedReleases, read_releases
from iprkg.build.release_writer import make_release
from iprkg.build.sources import KINDS
from iprkg.core.settings import Settings
from iprkg.engine.oxigraph_store import OxigraphStore
from iprkg.web.app import create_app
from support.project import PROJECT_ROOT, project_settings
from support.release_scenario import MUNICIPALITY, change_the_data

SCHEMA = Namespace("https://schema.org/")
NORWAY = URIRef("http://publications.europa.eu/resource/authority/country/NOR")
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
ROOT = "http://localhost/"
JSON_LD_SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)

PERIODS = """PREFIX dct: <http://purl.org/dc/terms/> PREFIX dcat: <http://www.w3.org/ns/dcat#>
SELECT ?start ?end WHERE {
  ?strategy a <https://w3id.org/iprkg/ontology#Strategy> ;
    dct:temporal [ dcat:startDate ?start ; dcat:endDate ?end ] }"""
MEMBERS = """PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?municipality ?label WHERE {
  ?council a <https://w3id.org/iprkg/ontology#RegionalCouncil> ; org:hasMember ?municipality .
  ?municipality a <https://w3id.org/iprkg/ontology#Municipality> ; rdfs:label ?label .
  FILTER(lang(?label) = ?lang) }"""


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A project copy released as 2026-1, changed, and released as 2026-2."""
    root = tmp_path_factory.mktemp("schema-org") / "project"
    root.mkdir()
    for kind in KINDS:
        if (PROJECT_ROOT / kind).is_dir():
            shutil.copytree(PROJECT_ROOT / kind, root / kind)
    settings = project_settings(root)
    make_release(settings, "2026-1")
    change_the_data(root)
    make_release(settings, "2026-2")
    return settings


@pytest.fixture(scope="module")
def release_app(settings: Settings) -> Flask:
    return create_app({"TESTING": True, "IPRKG_SETTINGS": settings})


@pytest.fixture
def web(release_app: Flask) -> FlaskClient:
    return release_app.test_client()


def releases(settings: Settings) -> dict[str, Release]:
    return {release.version: release for release in read_releases(settings.releases)}


def schema_org(web: FlaskClient, path: str, lang: str = "en") -> tuple[Graph, URIRef]:
    """The page's one JSON-LD script, read as RDF with schema.org's terms inline, and
    its one Dataset."""
    page = web.get(path, query_string={"lang": lang}, headers={"Accept": "text/html"})
    assert page.status_code == 200, page.text
    scripts = JSON_LD_SCRIPT.findall(page.text)
    assert len(scripts) == 1
    data = json.loads(scripts[0])
    assert data["@context"] == "https://schema.org/"
    data["@context"] = {"@vocab": str(SCHEMA)}
    graph = Graph().parse(data=json.dumps(data), format="json-ld")
    datasets = list(graph.subjects(RDF.type, SCHEMA.Dataset))
    assert len(datasets) == 1
    assert isinstance(datasets[0], URIRef)
    return graph, datasets[0]


def one(graph: Graph, subject: Node, predicate: URIRef) -> Node:
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, f"{subject} {predicate}: {values}"
    return values[0]


def text(graph: Graph, subject: Node, predicate: URIRef) -> str:
    """The one value of ``predicate``: a text, or a URL written as one (schema.org's
    context types some properties as IRIs; read with ``@vocab`` alone, they are texts)."""
    value = one(graph, subject, predicate)
    assert isinstance(value, Literal | URIRef), value
    return str(value)


def select(web: FlaskClient, query: str, **params: str) -> list[dict[str, str]]:
    answer = web.get(
        "/sparql",
        query_string={"query": query, **params},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert answer.status_code == 200, answer.text
    bindings = answer.json["results"]["bindings"]  # type: ignore[index]
    return [{name: term["value"] for name, term in row.items()} for row in bindings]


def period_of(web: FlaskClient, **params: str) -> str:
    """The earliest start and the latest end of the strategies, as an ISO 8601 interval."""
    rows = select(web, PERIODS, **params)
    assert rows
    return f"{min(row['start'] for row in rows)}/{max(row['end'] for row in rows)}"


def members_of(web: FlaskClient, lang: str, **params: str) -> dict[str, str]:
    """Every member municipality of a council, by IRI, with its label in ``lang``."""
    query = MEMBERS.replace("?lang", f'"{lang}"')
    rows = select(web, query, **params)
    assert rows
    return {row["municipality"]: row["label"] for row in rows}


# ---------------------------------------------------------------- the fields


def assert_a_dataset_for_search(
    web: FlaskClient, graph: Graph, dataset: URIRef, lang: str, **data: str
) -> None:
    """What every schema.org Dataset of ours says: each field with its shape, the
    downloads served, the period and places those of the data (``data``: which release)."""
    assert text(graph, dataset, SCHEMA.name)
    assert 50 <= len(text(graph, dataset, SCHEMA.description)) <= 5000
    assert text(graph, dataset, SCHEMA.identifier) == str(dataset)
    assert text(graph, dataset, SCHEMA.license) == CC_BY
    for role in (SCHEMA.creator, SCHEMA.publisher):
        agent = one(graph, dataset, role)
        assert (agent, RDF.type, SCHEMA.Organization) in graph
        assert text(graph, agent, SCHEMA.name)
    assert text(graph, dataset, SCHEMA.version)

    downloads = list(graph.objects(dataset, SCHEMA.distribution))
    assert downloads
    for download in downloads:
        assert (download, RDF.type, SCHEMA.DataDownload) in graph
        url = text(graph, download, SCHEMA.contentUrl)
        media_type = text(graph, download, SCHEMA.encodingFormat)
        assert url.startswith(ROOT)
        served = web.get(url.removeprefix(ROOT[:-1]))
        assert served.status_code == 200, url
        assert served.mimetype == media_type, url

    assert text(graph, dataset, SCHEMA.temporalCoverage) == period_of(web, **data)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2}", period_of(web, **data))

    places = set(graph.objects(dataset, SCHEMA.spatialCoverage))
    assert NORWAY in places
    assert (NORWAY, RDF.type, SCHEMA.Country) in graph
    assert {text(graph, NORWAY, SCHEMA.identifier), text(graph, NORWAY, SCHEMA.sameAs)} == {
        str(NORWAY)
    }
    assert text(graph, NORWAY, SCHEMA.name) == {"nb": "Norge", "en": "Norway"}[lang]
    members = members_of(web, lang, **data)
    assert places == {NORWAY, *map(URIRef, members)}
    for iri, label in members.items():
        place = URIRef(iri)
        assert (place, RDF.type, SCHEMA.Place) in graph
        assert text(graph, place, SCHEMA.name) == label
        assert text(graph, place, SCHEMA.identifier) == iri

    citation = one(graph, dataset, SCHEMA.citation)
    assert (citation, RDF.type, SCHEMA.CreativeWork) in graph
    cited = text(graph, citation, SCHEMA.text)
    assert text(graph, citation, SCHEMA.version) in cited
    assert text(graph, citation, SCHEMA.url) in cited


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_landing_page_is_a_dataset_search_engines_read(web: FlaskClient, lang: str) -> None:
    graph, dataset = schema_org(web, "/", lang)
    assert_a_dataset_for_search(web, graph, dataset, lang)
    assert dataset == URIRef("https://w3id.org/iprkg/catalog#dataset")
    assert text(graph, dataset, SCHEMA.url) == ROOT
    assert {
        text(graph, d, SCHEMA.contentUrl) for d in graph.objects(dataset, SCHEMA.distribution)
    } >= {f"{ROOT}dumps/iprkg.ttl", f"{ROOT}dumps/iprkg.nt"}


def test_the_landing_page_cites_the_newest_release(web: FlaskClient, settings: Settings) -> None:
    graph, dataset = schema_org(web, "/")
    citation = one(graph, dataset, SCHEMA.citation)
    newest = releases(settings)["2026-2"]
    assert text(graph, citation, SCHEMA.version) == "2026-2"
    assert text(graph, citation, SCHEMA.url) == newest.iri
    assert text(graph, citation, SCHEMA.datePublished) == newest.issued


@pytest.mark.parametrize("version", ["2026-1", "2026-2"])
@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_release_page_is_a_dataset_of_that_release(
    web: FlaskClient, settings: Settings, version: str, lang: str
) -> None:
    release = releases(settings)[version]
    graph, dataset = schema_org(web, f"/release/{version}/", lang)
    assert_a_dataset_for_search(web, graph, dataset, lang, release=version)
    assert dataset == URIRef(release.iri)
    assert text(graph, dataset, SCHEMA.version) == version
    assert text(graph, dataset, SCHEMA.datePublished) == release.issued
    assert text(graph, dataset, SCHEMA.dateModified) == release.issued
    urls = {text(graph, d, SCHEMA.contentUrl) for d in graph.objects(dataset, SCHEMA.distribution)}
    dumps = [name for name in release.dumps if not name.endswith(".gz")]
    assert urls == {f"{ROOT}release/{version}/{name}" for name in dumps}
    assert version in text(graph, dataset, SCHEMA.description)
    assert text(graph, one(graph, dataset, SCHEMA.citation), SCHEMA.version) == version


def test_each_release_covers_its_own_members(web: FlaskClient) -> None:
    """Sirdal left Lister IPR between the releases: in 2026-1's coverage, not in 2026-2's."""
    first, first_dataset = schema_org(web, "/release/2026-1/")
    second, second_dataset = schema_org(web, "/release/2026-2/")
    sirdal = URIRef(MUNICIPALITY)
    assert (first_dataset, SCHEMA.spatialCoverage, sirdal) in first
    assert (second_dataset, SCHEMA.spatialCoverage, sirdal) not in second


def test_a_release_the_store_cannot_query_is_covered_from_its_dump(
    settings: Settings, web: FlaskClient
) -> None:
    """With the releases not in the store (a back end serves the live data), a release
    page reads its coverage from the release's N-Triples dump: the same as from its graph."""
    served = ServedReleases(tuple(read_releases(settings.releases)), unqueryable="not here")
    app = create_app(
        {
            "TESTING": True,
            "IPRKG_SETTINGS": settings,
            "IPRKG_STORE": OxigraphStore.from_dist(Path(settings.dist)),
            "IPRKG_SERVED_RELEASES": served,
        }
    )
    for version in ("2026-1", "2026-2"):
        alone, dataset = schema_org(app.test_client(), f"/release/{version}/")
        queried, queried_dataset = schema_org(web, f"/release/{version}/")
        for field in (SCHEMA.temporalCoverage, SCHEMA.spatialCoverage):
            assert set(alone.objects(dataset, field)) == set(
                queried.objects(queried_dataset, field)
            )
        sirdal = (dataset, SCHEMA.spatialCoverage, URIRef(MUNICIPALITY))
        assert (sirdal in alone) == (version == "2026-1")
