"""How harvesters find the data (``server/iprkg/web/catalog.py``, ``publication.py``): the DCAT
catalogue, conforming to DCAT-AP-NO 3.0 and 2.0 and DCAT-AP 3.0.1 without a warning; VoID;
sitemap.xml; robots.txt."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from flask.testing import FlaskClient
from rdflib import RDF, RDFS, SKOS, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from iprkg.artefact.artefact import DatasetFile
from iprkg.engine.oxigraph_store import OxigraphStore
from iprkg.services.dcat_mends import MENDS
from iprkg.services.dcat_profiles import PROFILES, findings, harvester_view, stale_mends
from iprkg.web.app import create_app
from support.project import DEFAULT_BASE
from support.protocol import RDF_TYPES, parse_rdf

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
VOID = Namespace("http://rdfs.org/ns/void#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
ORG = Namespace("http://www.w3.org/ns/org#")
SH = Namespace("http://www.w3.org/ns/shacl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
EU_THEME = Namespace("http://publications.europa.eu/resource/authority/data-theme/")
LOS = Namespace("https://psi.norge.no/los/tema/")
IANA = "https://www.iana.org/assignments/media-types/"
EU_AUTHORITY = Namespace("http://publications.europa.eu/resource/authority/")
NORWAY = EU_AUTHORITY["country/NOR"]
SPDX = Namespace("http://spdx.org/rdf/terms#")

CATALOG = URIRef(f"{DEFAULT_BASE}catalog")
DATASET = URIRef(f"{DEFAULT_BASE}catalog#dataset")
SERVICE = URIRef(f"{DEFAULT_BASE}catalog#sparql")
PUBLISHER = URIRef(f"{DEFAULT_BASE}agent/iprkg")
LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
EU_LICENCE = URIRef("http://publications.europa.eu/resource/authority/licence/CC_BY_4_0")
DUMPS = {
    "iprkg.ttl": ("text/turtle", "RDF_TURTLE"),
    "iprkg.nt": ("application/n-triples", "RDF_N_TRIPLES"),
    "iprkg.jsonld": ("application/ld+json", "JSON_LD"),
    "iprkg.rdf": ("application/rdf+xml", "RDF_XML"),
}


def fetch(client: FlaskClient, url: str, **headers: str) -> Graph:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.text
    return parse_rdf(response.data, response.mimetype)


@pytest.fixture(scope="module")
def manifest(built_dist: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((built_dist / "manifest.json").read_text("utf-8"))
    return loaded


@pytest.fixture
def catalog(client: FlaskClient) -> Graph:
    return fetch(client, "/catalog")


@pytest.fixture
def void(client: FlaskClient) -> Graph:
    return fetch(client, "/.well-known/void")


# ---------------------------------------------------------------- negotiation


@pytest.mark.parametrize("url", ["/catalog", "/.well-known/void"])
@pytest.mark.parametrize("media_type", RDF_TYPES)
def test_every_rdf_format_says_the_same(client: FlaskClient, url: str, media_type: str) -> None:
    response = client.get(url, headers={"Accept": media_type})
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert "Accept" in response.vary
    assert isomorphic(parse_rdf(response.data, media_type), fetch(client, url))


@pytest.mark.parametrize("url", ["/catalog", "/.well-known/void"])
def test_turtle_by_default_format_overrides_and_links_name_the_alternates(
    client: FlaskClient, url: str
) -> None:
    assert client.get(url).mimetype == "text/turtle"
    assert client.get(url, headers={"Accept": "*/*"}).mimetype == "text/turtle"
    response = client.get(f"{url}?format=jsonld", headers={"Accept": "text/turtle"})
    assert response.mimetype == "application/ld+json"
    links = response.headers.getlist("Link")
    assert (
        f'<http://localhost{url}?format=n-triples>; rel="alternate"; type="application/n-triples"'
        in links
    )
    assert len(links) == len(RDF_TYPES)


@pytest.mark.parametrize("url", ["/catalog", "/.well-known/void"])
def test_nothing_acceptable_is_a_406_naming_the_formats(client: FlaskClient, url: str) -> None:
    response = client.get(url, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "text/turtle" in response.text and "application/ld+json" in response.text
    assert client.get(f"{url}?format=pdf").status_code == 406


# ---------------------------------------------------------------- DCAT


def test_the_catalogue_describes_the_dataset_and_the_service(
    catalog: Graph, manifest: dict[str, Any]
) -> None:
    assert (CATALOG, RDF.type, DCAT.Catalog) in catalog
    assert (CATALOG, DCAT.dataset, DATASET) in catalog
    assert (CATALOG, DCAT.service, SERVICE) in catalog
    for subject in (CATALOG, DATASET, SERVICE):
        assert {t.language for t in catalog.objects(subject, DCT.title)} == {"nb", "en"}
        assert {d.language for d in catalog.objects(subject, DCT.description)} == {"nb", "en"}
        assert catalog.value(subject, DCT.identifier) == Literal(str(subject))
        assert catalog.value(subject, DCT.publisher) == PUBLISHER
        assert catalog.value(subject, DCT.license) == EU_LICENCE
    assert catalog.value(EU_LICENCE, RDFS.seeAlso) == LICENCE
    built = Literal(manifest["built"], datatype=XSD.dateTime)
    assert catalog.value(CATALOG, DCT.modified) == built
    assert catalog.value(DATASET, DCT.modified) == built
    assert {n.language for n in catalog.objects(PUBLISHER, FOAF.name)} == {"nb", "en"}


def test_the_dataset_has_eu_and_los_themes_places_and_a_period(
    catalog: Graph, dataset: Graph
) -> None:
    themes = set(catalog.objects(DATASET, DCAT.theme))
    assert {EU_THEME.GOVE, EU_THEME.REGI, EU_THEME.SOCI, EU_THEME.EDUC} <= themes
    assert {LOS["politikk-og-valg"], LOS["trafikk-og-transport"]} <= themes
    assert all(str(t).startswith((str(EU_THEME), str(LOS))) for t in themes)
    council_class = URIRef(DEFAULT_BASE + "ontology#RegionalCouncil")
    municipality_class = URIRef(DEFAULT_BASE + "ontology#Municipality")
    municipalities = {
        member
        for council in dataset.subjects(RDF.type, council_class)
        for member in dataset.objects(council, ORG.hasMember)
        if (member, RDF.type, municipality_class) in dataset
    }
    assert municipalities
    assert set(catalog.objects(DATASET, DCT.spatial)) == {NORWAY} | municipalities
    assert (NORWAY, SKOS.inScheme, URIRef(str(EU_AUTHORITY) + "country")) in catalog
    period = catalog.value(DATASET, DCT.temporal)
    # The period runs from the first strategy's start to the last one's end, whatever
    # councils the data hold.
    periods = [
        (start, end)
        for strategy in dataset.subjects(RDF.type, URIRef(DEFAULT_BASE + "ontology#Strategy"))
        for temporal in dataset.objects(strategy, DCT.temporal)
        for start in dataset.objects(temporal, DCAT.startDate)
        for end in dataset.objects(temporal, DCAT.endDate)
    ]
    assert periods
    assert catalog.value(period, DCAT.startDate) == min(start for start, _ in periods)
    assert catalog.value(period, DCAT.endDate) == max(end for _, end in periods)
    contact = catalog.value(DATASET, DCAT.contactPoint)
    assert contact is not None and (contact, None, None) in catalog


def test_one_distribution_per_dump_with_its_formats_and_download_url(
    client: FlaskClient, catalog: Graph, manifest: dict[str, Any]
) -> None:
    entries = {d["path"]: d for d in manifest["dumps"]}
    entries |= {d["gzip"]["path"]: d["gzip"] for d in manifest["dumps"]}
    distributions = {
        d
        for d in catalog.objects(DATASET, DCAT.distribution)
        if str(d).removeprefix(f"{DEFAULT_BASE}catalog#") in entries
    }
    assert len(distributions) == len(entries) == 2 * len(DUMPS)
    for distribution in distributions:
        url = catalog.value(distribution, DCAT.downloadURL)
        name = str(url).removeprefix("http://localhost/dumps/")
        assert distribution == URIRef(f"{DEFAULT_BASE}catalog#{name}")
        media_type, file_type = DUMPS[name.removesuffix(".gz")]
        assert catalog.value(distribution, DCAT.mediaType) == URIRef(IANA + media_type)
        assert catalog.value(distribution, DCT["format"]) == URIRef(
            f"http://publications.europa.eu/resource/authority/file-type/{file_type}"
        )
        compressed = catalog.value(distribution, DCAT.compressFormat)
        assert compressed == (URIRef(IANA + "application/gzip") if name.endswith(".gz") else None)
        assert catalog.value(distribution, DCT.license) == EU_LICENCE
        assert catalog.value(distribution, DCT.accessRights) == EU_AUTHORITY["access-right/PUBLIC"]
        downloaded = client.get(str(url).removeprefix("http://localhost"))
        assert downloaded.status_code == 200
        size = catalog.value(distribution, DCAT.byteSize)
        assert size == Literal(len(downloaded.data), datatype=XSD.nonNegativeInteger)
        checksum = catalog.value(distribution, SPDX.checksum)
        assert catalog.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha1
        digest = hashlib.sha1(downloaded.data, usedforsecurity=False).hexdigest()
        assert catalog.value(checksum, SPDX.checksumValue) == Literal(
            digest, datatype=XSD.hexBinary
        )


def test_the_service_is_the_sparql_endpoint(catalog: Graph, client: FlaskClient) -> None:
    assert catalog.value(SERVICE, DCAT.endpointURL) == URIRef("http://localhost/sparql")
    assert catalog.value(SERVICE, DCAT.servesDataset) == DATASET
    assert catalog.value(SERVICE, DCT.conformsTo) == URIRef(
        "https://www.w3.org/TR/sparql11-protocol/"
    )


def test_urls_are_where_the_server_is_reached_iris_stay_canonical(client: FlaskClient) -> None:
    graph = parse_rdf(
        client.get("/catalog", base_url="https://mirror.example.org:8443/").data, "text/turtle"
    )
    assert graph.value(SERVICE, DCAT.endpointURL) == URIRef(
        "https://mirror.example.org:8443/sparql"
    )
    urls = {str(u) for u in graph.objects(None, DCAT.downloadURL)}
    assert urls and all(u.startswith("https://mirror.example.org:8443/dumps/") for u in urls)
    assert (CATALOG, RDF.type, DCAT.Catalog) in graph


def test_the_catalogue_of_other_data_has_no_distributions(tmp_path: Path) -> None:
    data = tmp_path / "data.ttl"
    data.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
    store = OxigraphStore.from_files([DatasetFile(data)], DEFAULT_BASE)
    client = create_app({"TESTING": True, "IPRKG_STORE": store}).test_client()
    graph = fetch(client, "/catalog")
    assert (DATASET, RDF.type, DCAT.Dataset) in graph
    assert graph.value(DATASET, DCAT.distribution) is None
    assert graph.value(DATASET, DCT.modified) is None
    assert fetch(client, "/.well-known/void").value(DATASET, VOID.triples) == Literal(
        1, datatype=XSD.integer
    )


# ---------------------------------------------------------------- conformance


@pytest.mark.parametrize("profile", list(PROFILES))
def test_the_catalogue_conforms_to_the_profile_without_a_warning(
    catalog: Graph, external_dir: Path, profile: str
) -> None:
    found = findings(catalog, external_dir, [profile])
    assert found == [], "\n".join(map(str, found))


def test_the_catalogue_of_another_host_conforms_too(
    client: FlaskClient, external_dir: Path
) -> None:
    catalog = parse_rdf(client.get("/catalog", base_url="https://example.org/").data, "text/turtle")
    found = findings(catalog, external_dir)
    assert found == [], "\n".join(map(str, found))


def test_every_mend_still_mends_and_is_documented(external_dir: Path, project_root: Path) -> None:
    """A mend that changes nothing means upstream fixed the rule: remove the mend."""
    assert stale_mends(external_dir) == []
    documented = (project_root / "docs" / "harvesting.md").read_text("utf-8")
    for mend in MENDS:
        assert set(mend.profiles) <= set(PROFILES)
        assert f"`{mend.key}`" in documented, f"docs/harvesting.md does not explain {mend.key}"


def test_a_harvester_sees_what_the_vocabularies_say_of_the_terms_used(
    catalog: Graph, external_dir: Path
) -> None:
    known = Graph()
    known.parse(external_dir / "eu-vocabularies" / "language-sparql-result.ttl")
    view = harvester_view(catalog, known)
    english = EU_AUTHORITY["language/ENG"]
    assert (english, SKOS.prefLabel, Literal("English", lang="en")) in view
    assert (EU_AUTHORITY["language/NOB"], None, None) not in view  # not used: not seen


# ---------------------------------------------------------------- VoID


def test_void_leads_to_the_endpoint_and_every_dump(
    void: Graph, client: FlaskClient, manifest: dict[str, Any]
) -> None:
    assert (DATASET, RDF.type, VOID.Dataset) in void
    endpoint = void.value(DATASET, VOID.sparqlEndpoint)
    assert endpoint == URIRef("http://localhost/sparql")
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
    dumps = {str(d) for d in void.objects(DATASET, VOID.dataDump)}
    names = {d["path"] for d in manifest["dumps"]} | {d["gzip"]["path"] for d in manifest["dumps"]}
    assert dumps == {f"http://localhost/dumps/{name}" for name in names}
    for dump in dumps:
        assert client.get(dump.removeprefix("http://localhost")).status_code == 200


def test_void_counts_and_partitions_match_the_build(void: Graph, manifest: dict[str, Any]) -> None:
    assert int(void.value(DATASET, VOID.triples)) == manifest["triples"]
    assert int(void.value(DATASET, VOID.distinctSubjects)) == manifest["subjects"]
    classes = {
        str(void.value(p, VOID["class"])): int(void.value(p, VOID.entities))
        for p in void.objects(DATASET, VOID.classPartition)
    }
    assert classes == manifest["classes"]
    properties = {
        str(void.value(p, VOID.property)): int(void.value(p, VOID.triples))
        for p in void.objects(DATASET, VOID.propertyPartition)
    }
    assert sum(properties.values()) == manifest["triples"]
    assert properties[str(RDF.type)] == sum(manifest["classes"].values())
    assert int(void.value(DATASET, VOID.properties)) == len(properties)


def test_void_says_licence_vocabularies_build_and_uri_space(
    void: Graph, manifest: dict[str, Any]
) -> None:
    assert void.value(DATASET, DCT.license) == LICENCE
    assert void.value(DATASET, DCT.modified) == Literal(manifest["built"], datatype=XSD.dateTime)
    assert void.value(DATASET, DCT.identifier) == Literal(manifest["content_hash"])
    assert void.value(DATASET, VOID.uriSpace) == Literal(DEFAULT_BASE)
    vocabularies = {str(v) for v in void.objects(DATASET, VOID.vocabulary)}
    assert {
        "http://www.w3.org/ns/org#",
        "http://purl.org/dc/terms/",
        "http://www.w3.org/2004/02/skos/core#",
        f"{DEFAULT_BASE}ontology#",
    } <= vocabularies


# ---------------------------------------------------------------- sitemap, robots

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_the_sitemap_lists_every_page_under_the_base(
    client: FlaskClient, dataset: Graph, manifest: dict[str, Any]
) -> None:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    root = ElementTree.fromstring(response.data)
    locs = [url.findtext(f"{SITEMAP}loc") for url in root.iter(f"{SITEMAP}url")]
    expected = {
        "http://localhost/" + str(s).split("#")[0].removeprefix(DEFAULT_BASE)
        for s in set(dataset.subjects())
        if str(s).startswith(DEFAULT_BASE)
    }
    assert set(locs) == expected | {"http://localhost/"}
    assert len(locs) == len(set(locs))
    assert "http://localhost/council/nome-midt-telemark" in locs
    assert "http://localhost/ontology" in locs
    lastmods = {url.findtext(f"{SITEMAP}lastmod") for url in root.iter(f"{SITEMAP}url")}
    assert lastmods == {manifest["built"][:10]}


def test_robots_allows_all_but_queries_and_names_the_sitemap(client: FlaskClient) -> None:
    response = client.get("/robots.txt", base_url="https://example.org/")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    lines = response.text.splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /sparql?" in lines
    assert "Sitemap: https://example.org/sitemap.xml" in lines
