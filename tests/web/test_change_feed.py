"""The change feed (``/feed/ldes``, LDES 1.0 on TREE) and the Atom feed of releases
(``/feed/releases.atom``), as clients read them.

One project copy is released twice per module (2026-1; then the data changed by
``release_scenario.change_the_data``; then 2026-2), and served with a small page size, so
that the stream has many pages. The client test follows only the links in the data, from
the root page to the last, and rebuilds the newest release from the members.
"""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree

import pyoxigraph
import pytest
from flask import Flask
from flask.testing import FlaskClient
from pyshacl import validate
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, PROV, RDFS, SH, XSD
from rdflib.term import Node

from iprkg.artefact.releases import Release, read_releases
from iprkg.build.release_writer import make_release
from iprkg.build.sources import KINDS
from iprkg.core.settings import Settings
from iprkg.services.change_feed import DEFAULT_PAGE_SIZE
from iprkg.services.dcat import catalog_triples
from iprkg.services.dcat_profiles import findings
from iprkg.services.feed_descriptions import feed_distribution_triples, feed_void_triples
from iprkg.services.publication import Locations
from iprkg.web.app import create_app
from iprkg.web.context import context_of
from support.project import PROJECT_ROOT, project_settings
from support.protocol import RDF_TYPES, parse_rdf
from support.release_scenario import change_the_data

BASE = "https://w3id.org/iprkg/"
ROOT = "http://localhost/feed/ldes"
STREAM = URIRef(f"{BASE}feed/ldes")
PAGE_SIZE = 40
LDES = Namespace("https://w3id.org/ldes#")
TREE = Namespace("https://w3id.org/tree#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
TOMBSTONE = URIRef("https://www.w3.org/ns/activitystreams#Tombstone")
ATOM = "{http://www.w3.org/2005/Atom}"
ENVELOPE = {DCTERMS.isVersionOf, PROV.generatedAtTime}


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A project copy released as 2026-1, changed, and released as 2026-2."""
    root = tmp_path_factory.mktemp("feeds") / "project"
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
def feed_app(settings: Settings) -> Flask:
    return create_app(
        {"TESTING": True, "IPRKG_SETTINGS": settings, "IPRKG_FEED_PAGE_SIZE": PAGE_SIZE}
    )


@pytest.fixture
def web(feed_app: Flask) -> FlaskClient:
    return feed_app.test_client()


def releases(settings: Settings) -> list[Release]:
    return read_releases(settings.releases)


def graph_of(path: Path) -> Graph:
    return Graph().parse(path, format="nt")


def fetch(web: FlaskClient, url: str, media_type: str = "text/turtle") -> Graph:
    answer = web.get(url, headers={"Accept": media_type})
    assert answer.status_code == 200, answer.text
    assert answer.mimetype == media_type
    return parse_rdf(answer.data, media_type)


# ---------------------------------------------------------------- a client's walk


def walk(web: FlaskClient) -> tuple[list[str], Graph]:
    """Every page from the root, by the ``tree:relation``s in the data only: the pages
    in the order read, and all they said."""
    start = fetch(web, "/feed/ldes")
    [view] = start.objects(STREAM, TREE.view)
    pages, todo, everything = [], [str(view)], Graph()
    while todo:
        url = todo.pop(0)
        if url in pages:
            continue
        pages.append(url)
        page = fetch(web, url.removeprefix("http://localhost"))
        everything += page
        for relation in page.objects(URIRef(url), TREE.relation):
            todo += [str(node) for node in page.objects(relation, TREE.node)]
    return pages, everything


def versions(graph: Graph) -> dict[Node, tuple[Node, Node]]:
    """Each member of the stream: the resource it is a version of, and its timestamp."""
    return {
        member: (
            graph.value(member, DCTERMS.isVersionOf),
            graph.value(member, PROV.generatedAtTime),
        )
        for member in graph.objects(STREAM, TREE.member)
    }


def payload(graph: Graph, member: Node, entity: Node) -> set[tuple[Node, Node, Node]]:
    """What a version says of its resource, with the resource as the subject again."""
    return {
        (entity, p, o)
        for p, o in graph.predicate_objects(member)
        if p not in ENVELOPE and (p, o) != (RDF.type, TOMBSTONE)
    }


def test_a_client_reads_every_page_and_rebuilds_the_newest_release(
    web: FlaskClient, settings: Settings
) -> None:
    first, second = releases(settings)
    pages, graph = walk(web)
    found = versions(graph)
    assert len(pages) >= 5, "the small page size gives many pages"
    assert pages[0] == ROOT and len(set(pages)) == len(pages)
    assert len(found) == len(set(graph.objects(STREAM, TREE.member)))

    # The newest release's members are the resources its diff touched, no more, no less.
    newest = Literal(second.released, datatype=XSD.dateTime)
    changed = {entity for entity, time in found.values() if time == newest}
    diff = graph_of(second.folder / "added.nt") + graph_of(second.folder / "removed.nt")
    assert changed == {s for s in diff.subjects() if isinstance(s, URIRef)}
    assert {URIRef(c) for c in (f"{BASE}council/lister", f"{BASE}focus-area/samferdsel")} <= changed

    # The newest version of every resource, read in order, is the newest release.
    latest: dict[Node, Node] = {}
    for member, (entity, _) in sorted(found.items(), key=lambda item: str(item[1][1])):
        latest[entity] = member
    rebuilt = Graph()
    for entity, member in latest.items():
        for triple in payload(graph, member, entity):
            rebuilt.add(triple)
    assert isomorphic(rebuilt, graph_of(second.folder / "iprkg.nt"))
    gone = {entity for entity, member in latest.items() if (member, RDF.type, TOMBSTONE) in graph}
    assert URIRef(f"{BASE}council/lister/membership/sirdal/deltakerkommune") in gone
    oldest = Literal(first.released, datatype=XSD.dateTime)
    assert len({e for e, t in found.values() if t == oldest}) == len(
        set(graph_of(first.folder / "iprkg.nt").subjects())
    )


def test_each_page_holds_the_page_size_and_links_its_neighbours(web: FlaskClient) -> None:
    pages, _ = walk(web)
    last = len(pages)
    for number, url in enumerate(pages, start=1):
        answer = web.get(url.removeprefix("http://localhost"), headers={"Accept": "text/turtle"})
        page = parse_rdf(answer.data, "text/turtle")
        members = set(page.objects(STREAM, TREE.member))
        assert len(members) == PAGE_SIZE if number < last else 0 < len(members) <= PAGE_SIZE
        here = URIRef(url)
        assert page.value(here, HYDRA.first) == URIRef(ROOT)
        assert page.value(here, HYDRA.last) == URIRef(pages[-1])
        links = answer.headers.get_all("Link")
        assert f'<{ROOT}>; rel="first"' in links and f'<{pages[-1]}>; rel="last"' in links
        if number > 1:
            assert page.value(here, HYDRA.previous) == URIRef(pages[number - 2])
            assert f'<{pages[number - 2]}>; rel="prev"' in links
            assert (here, DCTERMS.isPartOf, STREAM) in page
        if number < last:
            assert page.value(here, HYDRA.next) == URIRef(pages[number])
            [relation] = page.objects(here, TREE.relation)
            assert (relation, RDF.type, TREE.GreaterThanOrEqualToRelation) in page
            assert page.value(relation, TREE.path) == PROV.generatedAtTime
            remaining = int(str(page.value(relation, TREE.remainingItems)))
            assert remaining == PAGE_SIZE * (last - number - 1) + len(
                set(parse_rdf(web.get(pages[-1]).data, "text/turtle").objects(STREAM, TREE.member))
            )
            later = {page.value(m, PROV.generatedAtTime) for m in members}
            value = page.value(relation, TREE.value)
            assert all(str(time) <= str(value) for time in later)
        else:
            assert (here, TREE.relation, None) not in page
    assert pages[1] == f"{ROOT}?page=2"


def test_the_stream_says_its_paths_shape_and_retention(
    web: FlaskClient, settings: Settings
) -> None:
    page = fetch(web, "/feed/ldes?page=2")
    assert (STREAM, RDF.type, LDES.EventStream) in page
    assert page.value(STREAM, LDES.timestampPath) == PROV.generatedAtTime
    assert page.value(STREAM, LDES.versionOfPath) == DCTERMS.isVersionOf
    assert page.value(STREAM, LDES.versionDeleteObject) == TOMBSTONE
    assert page.value(STREAM, TREE.view) == URIRef(ROOT)
    shape = page.value(STREAM, TREE.shape)
    assert (shape, RDF.type, SH.NodeShape) in page
    policy = page.value(URIRef(ROOT), LDES.retentionPolicy)
    assert policy == URIRef(f"{STREAM}#retention")
    assert (policy, RDF.type, LDES.RetentionPolicy) in page
    first = releases(settings)[0].released
    assert page.value(policy, LDES.startingFrom) == Literal(first, datatype=XSD.dateTime)
    limits = (LDES.versionAmount, LDES.fullLogDuration, LDES.versionDuration, LDES.amount)
    assert not [p for p in limits if (policy, p, None) in page], "every member is kept"
    # The members conform to the shape the stream states.
    conforms, _, report = validate(page, shacl_graph=page, inference="none")
    assert conforms, report


@pytest.mark.parametrize("media_type", RDF_TYPES)
def test_every_serialisation_of_a_page_says_the_same(web: FlaskClient, media_type: str) -> None:
    turtle = fetch(web, "/feed/ldes?page=3")
    assert isomorphic(fetch(web, "/feed/ldes?page=3", media_type), turtle)
    name = {"text/turtle": "ttl", "application/ld+json": "jsonld"}.get(media_type)
    if name:
        by_name = web.get(f"/feed/ldes?page=3&format={name}")
        assert isomorphic(parse_rdf(by_name.data, media_type), turtle)


def test_a_page_links_its_other_serialisations(web: FlaskClient) -> None:
    links = web.get("/feed/ldes?page=2").headers.get_all("Link")
    assert f'<{ROOT}?page=2&format=json-ld>; rel="alternate"; type="application/ld+json"' in links
    assert web.get("/feed/ldes", headers={"Accept": "image/png"}).status_code == 406


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("page=0", 404),
        ("page=99", 404),
        ("page=abc", 400),
        ("page=-1", 400),
        ("page=1.5", 400),
        ("page=", 400),
        ("page=%EF%BC%92", 400),  # a full-width digit two
        ("page=12345678901234567890", 400),
        ("page=1&page=2", 400),
    ],
)
def test_a_bad_page_is_a_4xx_in_the_page_language(
    web: FlaskClient, query: str, status: int
) -> None:
    plain = web.get(f"/feed/ldes?{query}")
    assert plain.status_code == status, plain.text
    assert "change feed" in plain.text
    for lang, heading in (
        ("nb", {400: "Forespørselen kan ikke besvares", 404: "Siden finnes ikke"}),
        ("en", {400: "This request cannot be answered", 404: "Page not found"}),
    ):
        page = web.get(f"/feed/ldes?{query}&lang={lang}", headers={"Accept": "text/html"})
        assert page.status_code == status
        assert f'<html lang="{lang}">' in page.text and heading[status] in page.text
    json = web.get(f"/feed/ldes?{query}", headers={"Accept": "application/json"})
    assert json.json["status"] == status  # type: ignore[index]


def test_without_releases_the_stream_is_an_empty_root(client: FlaskClient) -> None:
    root = fetch(client, "/feed/ldes")
    assert (STREAM, RDF.type, LDES.EventStream) in root
    assert (STREAM, TREE.member, None) not in root
    assert (URIRef(ROOT), TREE.relation, None) not in root
    assert client.get("/feed/ldes?page=2").status_code == 404
    feed = ElementTree.fromstring(client.get("/feed/releases.atom").data)
    assert feed.findall(f"{ATOM}entry") == [] and feed.findtext(f"{ATOM}updated")


# ---------------------------------------------------------------- Atom


def test_the_atom_feed_has_an_entry_per_release_newest_first(
    web: FlaskClient, settings: Settings
) -> None:
    answer = web.get("/feed/releases.atom")
    assert answer.status_code == 200 and answer.mimetype == "application/atom+xml"
    feed = ElementTree.fromstring(answer.data)
    assert feed.tag == f"{ATOM}feed"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    made = releases(settings)
    assert feed.findtext(f"{ATOM}id") == f"{BASE}feed/releases.atom"
    assert feed.findtext(f"{ATOM}title") and feed.findtext(f"{ATOM}author/{ATOM}name")
    assert feed.findtext(f"{ATOM}updated") == made[-1].released
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links == {
        "self": "http://localhost/feed/releases.atom",
        "alternate": "http://localhost/release/",
    }
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == [r.iri for r in reversed(made)]
    for entry, release in zip(entries, reversed(made), strict=True):
        for name in ("title", "updated", "published", "summary"):
            assert entry.findtext(f"{ATOM}{name}"), name
        datetime.fromisoformat(entry.findtext(f"{ATOM}updated", "").replace("Z", "+00:00"))
        [page] = [link for link in entry.findall(f"{ATOM}link") if link.get("rel") == "alternate"]
        assert page.get("href") == f"http://localhost/release/{release.version}/"
        assert web.get(page.get("href", ""), headers={"Accept": "text/html"}).status_code == 200
    newest = entries[0]
    summary = newest.findtext(f"{ATOM}summary", "")
    assert "Sirdal" in summary and "Transport and mobility" in summary and "](<" not in summary
    related = {
        link.get("hreflang"): link.get("href")
        for link in newest.findall(f"{ATOM}link")
        if link.get("rel") == "related"
    }
    assert related == {
        lang: f"http://localhost/release/2026-2/changes.{lang}.md" for lang in ("en", "nb")
    }
    assert "First release" in entries[-1].findtext(f"{ATOM}summary", "")


def test_the_releases_page_links_the_atom_feed(web: FlaskClient) -> None:
    page = web.get("/release/", headers={"Accept": "text/html"}).text
    [href] = re.findall(r'<link rel="alternate" type="application/atom\+xml" href="([^"]+)"', page)
    assert web.get(href).status_code == 200


# ---------------------------------------------------------------- DCAT and VoID


@pytest.fixture(scope="module")
def described(feed_app: Flask) -> tuple[Graph, Graph]:
    """The feeds' DCAT and VoID triples, as rdflib graphs."""
    publication = context_of(feed_app).publication
    at = Locations("http://localhost/")
    graphs = []
    for triples in (feed_distribution_triples, feed_void_triples):
        text = pyoxigraph.serialize(triples(publication, at), format=pyoxigraph.RdfFormat.N_TRIPLES)
        graphs.append(Graph().parse(data=text, format="nt"))
    return graphs[0], graphs[1]


def test_the_catalogue_lists_both_feeds_as_distributions(
    described: tuple[Graph, Graph], web: FlaskClient
) -> None:
    dcat, _ = described
    dataset = URIRef(f"{BASE}catalog#dataset")
    expected = {
        f"{BASE}catalog#change-feed": (
            "https://w3id.org/ldes/specification",
            "text/turtle",
            "RDF_TURTLE",
            "/feed/ldes",
        ),
        f"{BASE}catalog#release-feed": (
            "https://www.rfc-editor.org/rfc/rfc4287",
            "application/atom+xml",
            "ATOM",
            "/feed/releases.atom",
        ),
    }
    for distribution, (standard, media_type, file_type, path) in expected.items():
        node = URIRef(distribution)
        assert (dataset, DCAT.distribution, node) in dcat
        assert (node, RDF.type, DCAT.Distribution) in dcat
        assert dcat.value(node, DCTERMS.conformsTo) == URIRef(standard)
        media = f"https://www.iana.org/assignments/media-types/{media_type}"
        assert dcat.value(node, DCAT.mediaType) == URIRef(media)
        eu = "http://publications.europa.eu/resource/authority/file-type/"
        assert dcat.value(node, DCTERMS.format) == URIRef(f"{eu}{file_type}")
        assert dcat.value(node, DCTERMS.license) == URIRef(
            "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"
        )
        access = str(dcat.value(node, DCAT.accessURL))
        assert access == f"http://localhost{path}"
        assert web.get(path).status_code == 200


def test_void_links_the_stream_and_the_atom_feed(described: tuple[Graph, Graph]) -> None:
    _, void = described
    dataset = URIRef(f"{BASE}catalog#dataset")
    assert set(void.objects(dataset, RDFS.seeAlso)) == {
        STREAM,
        URIRef("http://localhost/feed/releases.atom"),
    }
    assert (STREAM, RDF.type, LDES.EventStream) in void
    assert void.value(STREAM, TREE.view) == URIRef(ROOT)


def test_the_feed_distributions_conform_to_every_profile(
    feed_app: Flask, described: tuple[Graph, Graph], external_dir: Path
) -> None:
    """In the catalogue, as a harvester validates it: no violation, no warning."""
    publication = context_of(feed_app).publication
    at = Locations("http://localhost/")
    triples = catalog_triples(publication, at) + feed_distribution_triples(publication, at)
    text = pyoxigraph.serialize(list(dict.fromkeys(triples)), format=pyoxigraph.RdfFormat.N_TRIPLES)
    ours = {str(node) for node in described[0].all_nodes()}
    found = [
        f for f in findings(Graph().parse(data=text, format="nt"), external_dir) if f.node in ours
    ]
    assert found == [], "\n".join(map(str, found))
    file_types = Graph().parse(external_dir / "eu-vocabularies" / "filetypes-sparql-result.ttl")
    for value in described[0].objects(None, DCTERMS.format):
        assert (value, None, None) in file_types, f"{value} is not in the EU's file types"


# ---------------------------------------------------------------- docs


def test_the_docs_say_the_page_size() -> None:
    text = (PROJECT_ROOT / "docs" / "releases.md").read_text(encoding="utf-8")
    section = text.split("## Following changes: the LDES and the Atom feed", 1)[1]
    assert f"{DEFAULT_PAGE_SIZE} members" in section
    assert "/feed/ldes?page=" in section and "/feed/releases.atom" in section
