"""``iprkg harvest``: another publication taken in as a named graph, so comparisons span it.

The steps are tested with a fake web (a dict of URLs) where only failures can be made;
the whole is tested with two real instances that harvest each other: each leaves out a
council the other has, and after a reload each one's ``/compare`` shows both.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import signal
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from rdflib import Graph, Namespace, URIRef

from iprkg.build.harvested import Rejected, slug
from iprkg.remote.harvest import (
    Fetched,
    check_web_url,
    choose,
    describe,
    download,
    fetch_publication,
    http_fetcher,
    offers,
)
from support.live import LiveServer, free_port, live
from support.project import PROJECT_ROOT, MakeProject, RunIprkg

VOID_TTL = """\
@prefix void: <http://rdfs.org/ns/void#> .
@prefix dct: <http://purl.org/dc/terms/> .
<http://pub.example/void#d> a void:Dataset ; dct:title "Pub"@en , "Publ"@nb ;
    void:dataDump <http://pub.example/d.ttl> , <http://pub.example/d.nt.gz> ,
        <http://pub.example/d.nt> , <http://pub.example/d.csv> .
"""
DCAT_TTL = """\
@prefix dcat: <http://www.w3.org/ns/dcat#> .
<http://pub.example/catalog#d> a dcat:Dataset ; dcat:distribution [
    dcat:downloadURL <http://pub.example/download?id=1> ;
    dcat:mediaType <https://www.iana.org/assignments/media-types/application/n-triples> ] .
"""
VOID = Namespace("http://rdfs.org/ns/void#")
TRIPLE = b"<http://pub.example/s> <http://pub.example/p> <http://pub.example/o> .\n"


class FakeWeb:
    """``fetch`` over a dict of URL -> (media type, content); anything else is a 404."""

    def __init__(self, pages: dict[str, tuple[str, bytes]]) -> None:
        self.pages = pages
        self.asked: list[str] = []

    def __call__(self, url: str, accept: str, max_bytes: int) -> Fetched:
        self.asked.append(url)
        if url not in self.pages:
            raise Rejected(f"{url} answered 404 Not Found")
        media_type, content = self.pages[url]
        if len(content) > max_bytes:
            raise Rejected(f"{url} is larger than the limit")
        return Fetched(url, media_type, content)


def web(**extra: tuple[str, bytes]) -> FakeWeb:
    pages = {
        "http://pub.example/": ("text/html", b"<html>a landing page</html>"),
        "http://pub.example/.well-known/void": ("text/turtle", VOID_TTL.encode()),
        "http://pub.example/d.nt": ("application/n-triples", TRIPLE),
    }
    return FakeWeb({**pages, **{url.replace("_", "/"): page for url, page in extra.items()}})


# ---------------------------------------------------------------- the steps


def test_a_landing_page_leads_to_the_void_at_the_well_known_location() -> None:
    fake = web()
    fetched, description = describe("http://pub.example/", fake)
    assert fetched.url == "http://pub.example/.well-known/void"
    assert fake.asked == ["http://pub.example/", "http://pub.example/.well-known/void"]
    assert len(offers(description)) == 3, "the CSV dump is not RDF"


def test_n_triples_is_chosen_before_turtle_and_plain_before_gzipped() -> None:
    _, description = describe("http://pub.example/.well-known/void", web())
    assert choose(offers(description), None).url == "http://pub.example/d.nt"


def test_a_dcat_distribution_is_known_by_its_media_type() -> None:
    fake = FakeWeb({"http://pub.example/catalog": ("text/turtle", DCAT_TTL.encode())})
    _, description = describe("http://pub.example/catalog", fake)
    [offer] = offers(description)
    assert (offer.url, offer.serialisation) == ("http://pub.example/download?id=1", "nt")


def test_no_description_is_rejected_naming_what_was_tried() -> None:
    fake = FakeWeb({"http://pub.example/": ("text/html", b"<html/>")})
    with pytest.raises(Rejected) as caught:
        describe("http://pub.example/", fake)
    message = str(caught.value)
    assert "http://pub.example/ (text/html: no RDF)" in message
    assert "/.well-known/void answered 404" in message
    assert caught.value.exit_code == 5


def test_several_datasets_ask_which_one() -> None:
    both = (VOID_TTL + DCAT_TTL.replace("@prefix dcat", "@prefix dcat", 1)).encode()
    fake = FakeWeb({"http://pub.example/both": ("text/turtle", both)})
    _, description = describe("http://pub.example/both", fake)
    with pytest.raises(
        Rejected, match=re.escape("--dataset IRI: http://pub.example/catalog#d, http")
    ):
        choose(offers(description), None)
    chosen = choose(offers(description), "http://pub.example/catalog#d")
    assert chosen.url == "http://pub.example/download?id=1"
    with pytest.raises(Rejected, match=re.escape("no dump of http://pub.example/other")) as caught:
        choose(offers(description), "http://pub.example/other")
    assert caught.value.exit_code == 2


def test_a_gzipped_dump_is_unpacked_within_the_limit() -> None:
    packed = gzip.compress(TRIPLE)
    fake = web(**{"http:__pub.example_d.nt.gz": ("application/gzip", packed)})
    _, description = describe("http://pub.example/", fake)
    offer = next(o for o in offers(description) if o.gzipped)
    assert len(download(offer, fake, 1024)) == 1
    bomb = gzip.compress(b"\n" * 5000)
    fake.pages["http://pub.example/d.nt.gz"] = ("application/gzip", bomb)
    with pytest.raises(Rejected, match="unpacks to more than"):
        download(offer, fake, 1000)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<http://pub.example/s> <oops", "is not valid N-Triples"),
        (b"# nothing but a comment\n", "holds no triples"),
        (b"\x1f\x8bnot gzip at all", "is not valid gzip"),
    ],
)
def test_a_bad_dump_is_rejected(content: bytes, message: str) -> None:
    fake = web(**{"http:__pub.example_d.nt": ("application/n-triples", content)})
    with pytest.raises(Rejected, match=message):
        fetch_publication("http://pub.example/", fake, 1024)


def test_the_record_names_the_graph_by_the_dump_url() -> None:
    record, content = fetch_publication("http://pub.example/", web(), 1024)
    assert record.graph == record.dump == "http://pub.example/d.nt"
    assert record.description == "http://pub.example/.well-known/void"
    assert (record.dataset, record.title, record.triples) == ("http://pub.example/void#d", "Pub", 1)
    assert content == TRIPLE


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://pub.example/d.nt", "pub.example"])
def test_only_web_urls_are_harvested(url: str) -> None:
    with pytest.raises(Rejected, match="only http:// and https://") as caught:
        check_web_url(url)
    assert caught.value.exit_code == 2


def test_slugs_are_file_names_and_unique() -> None:
    one, other = slug("http://a.example/d.nt"), slug("http://a.example/d-nt")
    assert one != other
    assert one.startswith("a-example-d-nt-")
    assert "/" not in slug("http://x/" + "y/" * 100)


# ---------------------------------------------------------------- two instances


@pytest.fixture
def two_projects(make_project: MakeProject, run_iprkg: RunIprkg) -> tuple[Path, Path]:
    """Project A without Kongsberg's council, B without Lister's; both built."""
    roots = []
    for name, left_out in (("a", "kongsberg"), ("b", "lister")):
        root = make_project(name)
        shutil.copytree(PROJECT_ROOT / "queries", root / "queries")
        (root / "data" / "councils" / f"{left_out}.ttl").unlink()
        built = run_iprkg("build", root=root)
        assert built.returncode == 0, built.stderr
        roots.append(root)
    return roots[0], roots[1]


@pytest.fixture
def two_servers(two_projects: tuple[Path, Path]) -> Iterator[tuple[LiveServer, LiveServer]]:
    with ExitStack() as stack:
        servers = [
            stack.enter_context(
                live(["--workers", "1"], cwd=root, settings={"IPRKG_ROOT": str(root)})
            )
            for root in two_projects
        ]
        yield servers[0], servers[1]


def root_of(server: LiveServer) -> str:
    return server.url.removesuffix("sparql")


def get(url: str, accept: str = "text/html") -> str:
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=30) as response:
        return str(response.read().decode("utf-8"))


def reloaded_until(server: LiveServer, url: str, text: str) -> str:
    """HUP the server, then read ``url`` until it holds ``text`` (or 30 s pass)."""
    os.kill(server.process.pid, signal.SIGHUP)
    deadline = time.monotonic() + 30
    page = ""
    while time.monotonic() < deadline:
        page = get(url)
        if text in page:
            return page
        time.sleep(0.2)
    raise AssertionError(f"{url} never showed {text!r}:\n{server.written()[-2000:]}")


@pytest.mark.slow
def test_two_instances_harvest_each_other_and_compare_across_both(
    two_projects: tuple[Path, Path],
    two_servers: tuple[LiveServer, LiveServer],
    run_iprkg: RunIprkg,
) -> None:
    (a, b), (served_a, served_b) = two_projects, two_servers
    assert "Kongsberg" not in get(root_of(served_a) + "compare")
    assert "Lister" not in get(root_of(served_b) + "compare")

    by_void = run_iprkg("harvest", root_of(served_b), root=a)
    assert by_void.returncode == 0, by_void.stderr
    b_dump = root_of(served_b) + "dumps/iprkg.nt"
    assert f"harvested {b_dump}:" in by_void.stdout
    by_dcat = run_iprkg("harvest", root_of(served_a) + "catalog", root=b)
    assert by_dcat.returncode == 0, by_dcat.stderr

    reloaded_until(served_a, root_of(served_a) + "compare", "Kongsberg")
    reloaded_until(served_b, root_of(served_b) + "compare", "Lister")

    # the harvested graph is named by its dump, and counted apart from our own data
    manifest = json.loads((a / "dist" / "manifest.json").read_text())
    [entry] = manifest["harvested"]
    assert entry["graph"] == b_dump
    graphs = json.loads(
        get(
            served_a.url
            + "?query="
            + urllib.request.quote(
                "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
            ),
            "application/sparql-results+json",
        )
    )["results"]["bindings"]
    assert [(g["g"]["value"], int(g["n"]["value"])) for g in graphs] == [(b_dump, entry["triples"])]
    void = Graph().parse(data=get(root_of(served_a) + ".well-known/void", "text/turtle"))
    dataset = URIRef(f"{manifest['base']}catalog#dataset")
    assert void.value(dataset, VOID.triples).toPython() == manifest["triples"], "ours alone"
    listed = run_iprkg("harvest", "--list", root=a)
    assert listed.stdout.startswith(f"{b_dump}\t{entry['triples']} triples\t")


# ---------------------------------------------------------------- rejections, removal


class Publication(ThreadingHTTPServer):
    """A publication on loopback: path -> (media type, content), changeable; ``moved``
    path -> where it redirects (302); ``encoded``: paths whose content is sent as
    ``Content-Encoding: gzip`` (the content given is the gzipped one)."""

    pages: dict[str, tuple[str, bytes]]
    moved: dict[str, str]
    encoded: set[str]

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


class PublicationHandler(BaseHTTPRequestHandler):
    server: Publication

    def do_GET(self) -> None:
        if self.path in self.server.moved:
            self.send_response(302)
            self.send_header("Location", self.server.moved[self.path])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        page = self.server.pages.get(self.path)
        if page is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", page[0])
        if self.path in self.server.encoded:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(page[1])))
        self.end_headers()
        self.wfile.write(page[1])

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def publication(built_dist: Path) -> Iterator[Publication]:
    """The built dataset, published with its VoID at the well-known location."""
    with serving(built_dist.joinpath("iprkg.nt").read_bytes()) as server:
        yield server


@pytest.fixture
def little_publication() -> Iterator[Publication]:
    """One triple, published with its VoID at the well-known location."""
    with serving(TRIPLE) as server:
        yield server


@contextmanager
def serving(dump: bytes) -> Iterator[Publication]:
    server = Publication(("127.0.0.1", 0), PublicationHandler)
    void = "<{root}void#d> <http://rdfs.org/ns/void#dataDump> <{root}d.nt> ."
    server.pages = {
        "/.well-known/void": ("application/n-triples", void.format(root=server.root).encode()),
        "/d.nt": ("application/n-triples", dump),
    }
    server.moved, server.encoded = {}, set()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_redirects_are_followed_and_the_record_names_where_they_led(
    little_publication: Publication,
) -> None:
    root = little_publication.root
    little_publication.pages["/void"] = little_publication.pages["/.well-known/void"]
    little_publication.moved = {"/old/": "/elsewhere", "/elsewhere": f"{root}void"}
    record, content = fetch_publication(f"{root}old/", http_fetcher(10), 1024)
    assert record.description == f"{root}void", "not the well-known VoID, tried next"
    assert content == TRIPLE
    little_publication.moved = {"/.well-known/void": "file:///etc/passwd"}
    with pytest.raises(Rejected, match=r"well-known/void answered 302 Found"):
        fetch_publication(root, http_fetcher(10), 1024)


def test_a_gzip_encoded_dump_is_unpacked_by_the_bounded_gunzip_not_on_the_way(
    little_publication: Publication,
) -> None:
    """The limit counts what was sent; the unpacking is harvest's own, bounded."""
    little_publication.encoded = {"/d.nt"}
    little_publication.pages["/d.nt"] = ("application/n-triples", gzip.compress(TRIPLE))
    record, content = fetch_publication(little_publication.root, http_fetcher(10), 1024)
    assert (record.triples, content) == (1, TRIPLE)
    bomb = gzip.compress(TRIPLE + b"\n" * 5000)
    little_publication.pages["/d.nt"] = ("application/n-triples", bomb)
    with pytest.raises(Rejected, match="unpacks to more than"):
        fetch_publication(little_publication.root, http_fetcher(10), 1000)


def test_a_download_over_the_limit_is_rejected(little_publication: Publication) -> None:
    with pytest.raises(Rejected, match=r"d\.nt is larger than 0 MB; raise the limit") as caught:
        fetch_publication(little_publication.root, http_fetcher(10), len(TRIPLE) - 1)
    assert caught.value.exit_code == 5


BAD_COUNCIL = (
    "<https://w3id.org/iprkg/council/nameless> "
    "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
    "<https://w3id.org/iprkg/ontology#RegionalCouncil> .\n"
)


def folder_state(root: Path) -> dict[str, bytes]:
    folder = root / "harvested"
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*"))} if folder.is_dir() else {}


@pytest.mark.slow
def test_a_dump_that_fails_our_shapes_is_rejected_and_nothing_changes(
    make_project: MakeProject, run_iprkg: RunIprkg, publication: Publication, built_dist: Path
) -> None:
    root = make_project()
    first = run_iprkg("harvest", publication.root, root=root)
    assert first.returncode == 0, first.stderr
    before = (folder_state(root), os.readlink(root / "dist"))
    good = publication.pages["/d.nt"][1]

    publication.pages["/d.nt"] = ("application/n-triples", good + BAD_COUNCIL.encode())
    again = run_iprkg("harvest", publication.root, root=root)
    assert again.returncode == 1, again.stderr
    assert "council/nameless" in again.stdout, "the report names the offending node"
    assert "harvested/127-0-0-1-" in again.stdout, "and the harvested file it came from"
    assert (
        "violation" in again.stderr
        and "rejected: the harvested folder and dist are unchanged" in again.stderr
    )
    assert (folder_state(root), os.readlink(root / "dist")) == before


@pytest.mark.slow
def test_a_harvested_graph_can_be_removed(
    make_project: MakeProject, run_iprkg: RunIprkg, publication: Publication
) -> None:
    root = make_project()
    assert run_iprkg("harvest", publication.root, root=root).returncode == 0
    graph = publication.root + "d.nt"
    unknown = run_iprkg("harvest", "--remove", "http://elsewhere/d.nt", root=root)
    assert unknown.returncode == 2
    assert f"harvested graphs: {graph}" in unknown.stderr
    removed = run_iprkg("harvest", "--remove", graph, root=root)
    assert removed.returncode == 0, removed.stderr
    assert folder_state(root) == {}
    assert json.loads((root / "dist" / "manifest.json").read_text())["harvested"] == []


def test_a_damaged_record_is_named_not_a_traceback(
    make_project: MakeProject, run_iprkg: RunIprkg, publication: Publication
) -> None:
    root = make_project()
    assert run_iprkg("harvest", publication.root, root=root).returncode == 0
    [record] = (root / "harvested").glob("*.json")
    record.write_text("{", encoding="utf-8")
    listed = run_iprkg("harvest", "--list", root=root)
    assert listed.returncode == 2
    assert f"{record}: missing or damaged" in listed.stderr
    assert "Traceback" not in listed.stderr


def test_a_harvested_file_changed_by_hand_stops_the_build(
    make_project: MakeProject, run_iprkg: RunIprkg, publication: Publication
) -> None:
    root = make_project()
    assert run_iprkg("harvest", publication.root, root=root).returncode == 0
    [dump] = (root / "harvested").glob("*.nt")
    dump.write_bytes(dump.read_bytes() + TRIPLE)
    built = run_iprkg("build", root=root)
    assert built.returncode == 2
    assert "changed after it was harvested" in built.stderr and "harvest it again" in built.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give the URL of a publication to harvest, or --remove GRAPH"),
        (("http://x.example/", "--remove", "http://g"), "give the URL"),
        (("file:///etc/passwd",), "only http:// and https:// URLs"),
    ],
)
def test_bad_harvest_options_exit_2(
    tiny_project: Path, run_iprkg: RunIprkg, args: tuple[str, ...], message: str
) -> None:
    result = run_iprkg("harvest", *args, root=tiny_project)
    assert result.returncode == 2
    assert message in result.stderr


def test_an_unreachable_publication_exits_4(tiny_project: Path, run_iprkg: RunIprkg) -> None:
    port = free_port()
    result = run_iprkg("harvest", f"http://127.0.0.1:{port}/", root=tiny_project)
    assert result.returncode == 4
    assert f"cannot reach http://127.0.0.1:{port}/" in result.stderr
    assert not (tiny_project / "harvested").exists()
