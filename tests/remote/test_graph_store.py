"""``iprkg publish``: upload to a Graph Store Protocol endpoint, replace, verify, fail clearly.

The uploads go to a real Oxigraph server (the ``oxigraph`` binary of PyPI's ``oxigraph``,
in the [test] extra) that the module starts on a free loopback port; where the binary is
absent those tests skip, saying so (under ``CI`` they fail). What a well-behaved server
cannot be made to do (lose triples, fail with 500, show the credentials it got) a small
fake Graph Store in a thread does. Virtuoso and Fuseki are documented in docs/deploy.md,
not run here.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlencode, urlsplit

import pyoxigraph
import pytest
from rdflib import BNode, Graph

from iprkg.artefact.manifest import read_manifest
from iprkg.build.dumps import published_graph, sorted_n_triples
from iprkg.remote.graph_store import Artefact, publish
from iprkg.remote.graph_store_http import Client, Credentials, Target, default_query_endpoint
from iprkg.remote.graph_store_verification import content_hash
from support.live import free_port
from support.oxigraph import Oxigraph, start_oxigraph
from support.processes import stop
from support.project import RunIprkg

pytestmark = pytest.mark.slow

COUNCIL = "https://w3id.org/iprkg/council/nome-midt-telemark"
TINY_COUNCIL = "https://w3id.org/iprkg/council/tiny"
DEFAULT_GRAPH = "https://w3id.org/iprkg/dataset"
SOURCE_GRAPHS = "https://w3id.org/iprkg/graph/"


@pytest.fixture(autouse=True)
def no_store_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own IPRKG_STORE_* never reach a test's ``iprkg publish``."""
    for name in ("IPRKG_STORE_USER", "IPRKG_STORE_PASSWORD", "IPRKG_STORE_TOKEN"):
        monkeypatch.delenv(name, raising=False)


# ---------------------------------------------------------------- a real Oxigraph server


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Oxigraph]:
    """A writable Oxigraph server with an empty store, for this module."""
    folder = tmp_path_factory.mktemp("oxigraph")
    server, base = start_oxigraph("serve", folder / "store", folder / "server.log")
    try:
        yield Oxigraph(base)
    finally:
        stop(server)


@pytest.fixture
def read_only_oxigraph(tmp_path: Path) -> Iterator[Oxigraph]:
    """``oxigraph serve-read-only`` on an empty store made by pyoxigraph (same version)."""
    location = tmp_path / "store"
    store = pyoxigraph.Store(str(location))
    store.flush()
    del store  # closes the database before the server opens it
    server, base = start_oxigraph("serve-read-only", location, tmp_path / "server.log")
    try:
        yield Oxigraph(base)
    finally:
        stop(server)


def select(endpoint: str, query: str) -> list[dict[str, str]]:
    """A SELECT's solutions, each variable to its value, asked independently of iprkg."""
    request = urllib.request.Request(
        endpoint,
        data=urlencode({"query": query}).encode(),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        results = json.load(response)
    return [{k: v["value"] for k, v in row.items()} for row in results["results"]["bindings"]]


def count(endpoint: str, graph: str | None) -> int:
    pattern = "?s ?p ?o" if graph is None else f"GRAPH <{graph}> {{ ?s ?p ?o }}"
    rows = select(endpoint, f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
    return int(rows[0]["n"])


def has_subject(endpoint: str, graph: str | None, subject: str) -> bool:
    pattern = f"<{subject}> ?p ?o"
    pattern = pattern if graph is None else f"GRAPH <{graph}> {{ {pattern} }}"
    return bool(select(endpoint, f"SELECT ?p WHERE {{ {pattern} }} LIMIT 1"))


@pytest.fixture
def tiny_dist(tiny_project: Path, run_iprkg: RunIprkg) -> Path:
    """The tiny project (a council and an ontology with a blank node) built."""
    built = run_iprkg("build", root=tiny_project)
    assert built.returncode == 0, built.stderr
    return tiny_project / "dist"


def manifest_triples(dist: Path) -> int:
    return int(read_manifest(dist)["triples"])


def test_publishing_the_build_uploads_and_verifies_it(
    built_dist: Path, oxigraph: Oxigraph, run_iprkg: RunIprkg, tmp_path: Path
) -> None:
    graph = "https://example.org/graph/real"
    result = run_iprkg(
        "publish",
        "--store",
        oxigraph.store,
        "--graph",
        graph,
        "--dist",
        str(built_dist),
        root=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    triples = manifest_triples(built_dist)
    assert count(oxigraph.query, graph) == triples
    assert has_subject(oxigraph.query, graph, COUNCIL)
    manifest = read_manifest(built_dist)
    assert f"verified {triples} triples, {manifest['content_hash']}" in result.stdout
    assert f"<{graph}>" in result.stdout
    assert f"verifying through {oxigraph.query}" in result.stderr


def test_publishing_again_replaces_the_graph_leaving_nothing_behind(
    built_dist: Path, tiny_dist: Path, oxigraph: Oxigraph, run_iprkg: RunIprkg, tmp_path: Path
) -> None:
    first = run_iprkg(
        "publish", "--store", oxigraph.store, "--dist", str(built_dist), root=tmp_path
    )
    assert first.returncode == 0, first.stderr
    assert f"<{DEFAULT_GRAPH}>" in first.stdout  # the default graph IRI: base + dataset
    assert has_subject(oxigraph.query, DEFAULT_GRAPH, COUNCIL)

    second = run_iprkg(
        "publish", "--store", oxigraph.store, "--dist", str(tiny_dist), root=tmp_path
    )
    assert second.returncode == 0, second.stderr
    assert count(oxigraph.query, DEFAULT_GRAPH) == manifest_triples(tiny_dist)
    assert not has_subject(oxigraph.query, DEFAULT_GRAPH, COUNCIL)
    assert has_subject(oxigraph.query, DEFAULT_GRAPH, TINY_COUNCIL)


def test_default_graph_mode_replaces_the_default_graph_only(
    tiny_dist: Path, oxigraph: Oxigraph, run_iprkg: RunIprkg, tmp_path: Path
) -> None:
    named = "https://example.org/graph/untouched"
    kept = run_iprkg(
        "publish",
        "--store",
        oxigraph.store,
        "--graph",
        named,
        "--dist",
        str(tiny_dist),
        root=tmp_path,
    )
    assert kept.returncode == 0, kept.stderr
    for _ in range(2):
        result = run_iprkg(
            "publish",
            "--store",
            oxigraph.store,
            "--default-graph",
            "--dist",
            str(tiny_dist),
            root=tmp_path,
        )
        assert result.returncode == 0, result.stderr
        assert "the default graph" in result.stdout
    assert count(oxigraph.query, None) == manifest_triples(tiny_dist)
    assert count(oxigraph.query, named) == manifest_triples(tiny_dist)


def write_dist(folder: Path, n_triples: str) -> Path:
    """A dist holding ``n_triples`` as the build would write it, with a manifest."""
    graph = Graph().parse(data=n_triples, format="nt")
    content = sorted_n_triples(published_graph(graph, {}))
    folder.mkdir()
    (folder / "iprkg.nt").write_bytes(content)
    manifest = {
        "base": "https://w3id.org/iprkg/",
        "triples": len(graph),
        "content_hash": f"sha256:{hashlib.sha256(content).hexdigest()}",
    }
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


XSD_NS = "http://www.w3.org/2001/XMLSchema#"
SIZED = f"""\
<https://w3id.org/iprkg/pdf> <http://www.w3.org/ns/dcat#byteSize> "638000"^^<{XSD_NS}nonNegativeInteger> .
<https://w3id.org/iprkg/pdf> <http://www.w3.org/2000/01/rdf-schema#label> "PDF"@en .
"""


def test_literals_the_store_widens_pass_and_are_reported(
    oxigraph: Oxigraph, run_iprkg: RunIprkg, tmp_path: Path
) -> None:
    """Oxigraph stores xsd:nonNegativeInteger as xsd:integer, the same value: that passes
    unless --exact, and either way it is said."""
    dist = write_dist(tmp_path / "dist", SIZED)
    graph = "https://example.org/graph/widened"
    arguments = ["publish", "--store", oxigraph.store, "--graph", graph, "--dist", str(dist)]
    result = run_iprkg(*arguments, root=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith(", 1 literal(s) rewritten\n"), result.stdout
    rewrite = f'"638000"^^<{XSD_NS}nonNegativeInteger> -> "638000"^^<{XSD_NS}integer>'
    assert (
        f"note: the store rewrote 1 literal(s) to the same value in a wider type, e.g. {rewrite}"
        in result.stderr
    )
    assert count(oxigraph.query, graph) == 2

    exact = run_iprkg(*arguments, "--exact", root=tmp_path)
    assert exact.returncode == 3, exact.stderr
    last = exact.stderr.splitlines()[-1]
    assert "verification failed: the count agrees (2 triples)" in last
    assert f"e.g. {rewrite} (passes without --exact)" in last
    assert count(oxigraph.query, graph) == 0  # deleted


def test_an_unreachable_store_is_a_clear_error(
    built_dist: Path, run_iprkg: RunIprkg, tmp_path: Path
) -> None:
    store = f"http://127.0.0.1:{free_port()}/store"  # nothing listens there
    result = run_iprkg("publish", "--store", store, "--dist", str(built_dist), root=tmp_path)
    assert result.returncode == 4, result.stderr
    assert re.fullmatch(
        r"error: cannot reach 127\.0\.0\.1:\d+: Connection refused; nothing was sent\n",
        result.stderr.splitlines(keepends=True)[-1],
    ), result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_a_read_only_store_refuses_the_upload(
    built_dist: Path, read_only_oxigraph: Oxigraph, run_iprkg: RunIprkg, tmp_path: Path
) -> None:
    result = run_iprkg(
        "publish", "--store", read_only_oxigraph.store, "--dist", str(built_dist), root=tmp_path
    )
    assert result.returncode == 6, result.stderr
    last = result.stderr.splitlines()[-1]
    assert last.startswith("error: the store refused the upload: HTTP 403"), last
    assert "IPRKG_STORE_USER and IPRKG_STORE_PASSWORD" in last
    assert "IPRKG_STORE_TOKEN" in last
    assert "Traceback" not in result.stderr
    assert count(read_only_oxigraph.query, None) == 0


def source_graph_counts(dist: Path) -> dict[str, int]:
    """Each source graph's IRI and number of triples, as the manifest's ``graphs`` says."""
    return {g["iri"]: g["triples"] for g in read_manifest(dist)["graphs"]["graphs"]}


def test_a_graph_per_source_is_published_and_each_verified(
    built_dist: Path, oxigraph: Oxigraph, run_iprkg: RunIprkg, tmp_path: Path
) -> None:
    result = run_iprkg(
        "publish",
        "--store",
        oxigraph.store,
        "--graph-per-source",
        "--dist",
        str(built_dist),
        root=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    expected = source_graph_counts(built_dist)
    assert len(expected) > 3
    for iri, triples in expected.items():
        assert count(oxigraph.query, iri) == triples, iri
        assert f"<{iri}>: verified {triples} triples" in result.stderr
    council_graph = f"{SOURCE_GRAPHS}data/councils/nome-midt-telemark.ttl"
    assert has_subject(oxigraph.query, council_graph, COUNCIL)
    assert not has_subject(oxigraph.query, f"{SOURCE_GRAPHS}ontology/iprkg.ttl", COUNCIL)
    assert result.stdout == (
        f"published {built_dist} to {len(expected)} graphs at {oxigraph.store}, one per "
        f"source file: verified {sum(expected.values())} triples, 1 literal(s) rewritten\n"
    )


def test_graphs_per_source_replace_what_they_held(
    built_dist: Path, tiny_dist: Path, oxigraph: Oxigraph, run_iprkg: RunIprkg, tmp_path: Path
) -> None:
    """The tiny ontology graph has a blank node: verified all the same."""
    ontology_graph = f"{SOURCE_GRAPHS}ontology/tiny.ttl"
    arguments = ["publish", "--store", oxigraph.store, "--graph", ontology_graph]
    first = run_iprkg(*arguments, "--dist", str(built_dist), root=tmp_path)
    assert first.returncode == 0, first.stderr
    assert count(oxigraph.query, ontology_graph) == manifest_triples(built_dist)

    result = run_iprkg(
        "publish",
        "--store",
        oxigraph.store,
        "--graph-per-source",
        "--dist",
        str(tiny_dist),
        root=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    expected = source_graph_counts(tiny_dist)
    assert list(expected) == [ontology_graph, f"{SOURCE_GRAPHS}data/councils/tiny.ttl"]
    for iri, triples in expected.items():
        assert count(oxigraph.query, iri) == triples
    assert not has_subject(oxigraph.query, ontology_graph, COUNCIL)


# ---------------------------------------------------------------- a fake Graph Store


@dataclass
class FakeStore:
    """A Graph Store that keeps each graph as its N-Triples lines and answers the two
    queries publish sends (COUNT and CONSTRUCT) from them; it can be made to misbehave."""

    url: str = ""
    put_status: int = 204
    misbehave_from: int = 1
    """The first PUT (counting from 1) that ``put_status``, ``lose`` and ``swap`` apply
    to; those before it are stored faithfully."""
    lose: int = 0
    """Triples dropped from each upload."""
    swap: bool = False
    """Replace one uploaded triple by another: the count stays right, the content not."""
    challenge: str = ""
    """WWW-Authenticate sent with an error status."""
    delete_status: int = 204
    """A DELETE answering an error status deletes nothing."""
    cap: int | None = None
    """A CONSTRUCT sends back at most this many triples (plus one, as Virtuoso does); the
    fake ignores a query's FILTER, so reading in parts narrows nothing."""
    graphs: dict[str, list[str]] = field(default_factory=dict)
    requests: list[tuple[str, str, str | None]] = field(default_factory=list)
    """(method, path, Authorization) of every request."""

    @property
    def store(self) -> str:
        return f"{self.url}/store"

    @property
    def query(self) -> str:
        return f"{self.url}/query"

    def methods(self) -> list[str]:
        return [method for method, _, _ in self.requests]


def graph_key(path: str) -> str:
    params = parse_qs(urlsplit(path).query, keep_blank_values=True)
    return params["graph"][0] if "graph" in params else "default"


class FakeHandler(BaseHTTPRequestHandler):
    store: ClassVar[FakeStore]

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test reads ``store.requests`` instead."""

    def body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def answer(self, status: int, body: bytes = b"", media_type: str = "text/plain") -> None:
        self.send_response(status)
        if status >= 400 and self.store.challenge:
            self.send_header("WWW-Authenticate", self.store.challenge)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def record(self) -> None:
        self.store.requests.append((self.command, self.path, self.headers.get("Authorization")))

    def do_PUT(self) -> None:
        self.record()
        lines = sorted(line for line in self.body().decode().splitlines() if line.strip())
        if self.store.methods().count("PUT") < self.store.misbehave_from:
            self.store.graphs[graph_key(self.path)] = lines
            self.answer(204)
            return
        if self.store.put_status >= 300:
            self.answer(self.store.put_status, b"Simulated trouble\nsecond line")
            return
        lines = lines[self.store.lose :]
        if self.store.swap:
            lines = [*lines[1:], "<urn:x:s> <urn:x:p> <urn:x:o> ."]
        self.store.graphs[graph_key(self.path)] = lines
        self.answer(self.store.put_status)

    def do_DELETE(self) -> None:
        self.record()
        if self.store.delete_status >= 300:
            self.answer(self.store.delete_status, b"Simulated trouble")
            return
        self.store.graphs.pop(graph_key(self.path), None)
        self.answer(204)

    def do_POST(self) -> None:
        self.record()
        query = parse_qs(self.body().decode())["query"][0]
        if urlsplit(self.path).path != "/query":
            self.answer(404, b"No such endpoint\n")
            return
        named = re.search(r"GRAPH <([^>]*)>", query)
        lines = self.store.graphs.get(named.group(1) if named else "default", [])
        if "COUNT" in query:
            binding = {"triples": {"type": "literal", "value": str(len(lines))}}
            results = {"head": {"vars": ["triples"]}, "results": {"bindings": [binding]}}
            self.answer(200, json.dumps(results).encode(), "application/sparql-results+json")
        else:
            if self.store.cap is not None:
                lines = lines[: self.store.cap + 1]
            self.answer(
                200, "".join(f"{line}\n" for line in lines).encode(), "application/n-triples"
            )


@pytest.fixture
def fake_store() -> Iterator[FakeStore]:
    """A FakeStore listening on a free loopback port, in a thread, for one test."""
    store = FakeStore()
    handler = type("Handler", (FakeHandler,), {"store": store})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    store.url = f"http://127.0.0.1:{server.server_port}"
    try:
        yield store
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_the_fake_store_accepts_a_faithful_upload(
    tiny_dist: Path, fake_store: FakeStore, run_iprkg: RunIprkg, tmp_path: Path
) -> None:
    """The fake store itself works: the failures below come from what it is told to do."""
    result = run_iprkg(
        "publish", "--store", fake_store.store, "--dist", str(tiny_dist), root=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert fake_store.methods() == ["PUT", "POST", "POST"]
    assert len(fake_store.graphs[DEFAULT_GRAPH]) == manifest_triples(tiny_dist)


@pytest.mark.parametrize(
    ("misbehaviour", "said"),
    [
        (
            {"lose": 2},
            r"the store counts (\d+) triples, the manifest says (\d+); .*; 2 missing, e\.g\. <",
        ),
        (
            {"swap": True},
            r"the count agrees \((\d+) triples\); .*; 1 missing, e\.g\. .*; 1 not in the build, e\.g\. <urn:x:s> <urn:x:p> <urn:x:o>",
        ),
    ],
    ids=["lost-triples", "swapped-triple"],
)
def test_a_store_holding_other_triples_fails_verification_and_the_graph_is_deleted(
    built_dist: Path,
    fake_store: FakeStore,
    run_iprkg: RunIprkg,
    tmp_path: Path,
    misbehaviour: dict[str, object],
    said: str,
) -> None:
    for name, value in misbehaviour.items():
        setattr(fake_store, name, value)
    result = run_iprkg(
        "publish", "--store", fake_store.store, "--dist", str(built_dist), root=tmp_path
    )
    assert result.returncode == 3, result.stderr
    last = result.stderr.splitlines()[-1]
    assert last.startswith("error: verification failed: "), last
    found = re.search(said, last)
    assert found, last
    triples = manifest_triples(built_dist)
    assert [int(number) for number in found.groups()] == (
        [triples - 2, triples] if "lose" in misbehaviour else [triples]
    )
    assert "content hash sha256:" in last
    assert f"<{DEFAULT_GRAPH}> in the store is incomplete or wrong and must not be used" in last
    assert f"deleted <{DEFAULT_GRAPH}>" in last
    assert fake_store.methods() == ["PUT", "POST", "POST", "DELETE"]
    assert fake_store.graphs == {}
    assert result.stdout == ""


def test_a_cap_that_reading_in_parts_cannot_get_round_fails_verification(
    tiny_dist: Path, fake_store: FakeStore, run_iprkg: RunIprkg, tmp_path: Path
) -> None:
    """A store that cuts every answer short, however the graph is split, fails the
    verification saying that it caps answers; the graph is deleted."""
    fake_store.cap = 2
    result = run_iprkg(
        "publish", "--store", fake_store.store, "--dist", str(tiny_dist), root=tmp_path
    )
    assert result.returncode == 3, result.stderr
    triples = manifest_triples(tiny_dist)
    assert f"the count agrees ({triples} triples)" in result.stderr
    assert "the query endpoint sent back 3 of them (does it cap answers?)" in result.stderr
    assert fake_store.methods().count("POST") < 50  # the parts were not split for nothing
    assert DEFAULT_GRAPH not in fake_store.graphs


def test_a_store_failing_the_upload_has_the_graph_deleted(
    tiny_dist: Path, fake_store: FakeStore, run_iprkg: RunIprkg, tmp_path: Path
) -> None:
    fake_store.put_status = 500
    result = run_iprkg(
        "publish", "--store", fake_store.store, "--dist", str(tiny_dist), root=tmp_path
    )
    assert result.returncode == 5, result.stderr
    last = result.stderr.splitlines()[-1]
    assert last.startswith(
        "error: the store failed the upload: HTTP 500 Internal Server Error: Simulated trouble;"
    ), last
    assert "second line" not in last
    assert f"deleted <{DEFAULT_GRAPH}>" in last
    assert fake_store.methods() == ["PUT", "DELETE"]


def test_a_store_refusing_the_upload_leaves_the_graph_as_it_was(
    tiny_dist: Path, fake_store: FakeStore, run_iprkg: RunIprkg, tmp_path: Path
) -> None:
    fake_store.graphs[DEFAULT_GRAPH] = ["<urn:x:old> <urn:x:p> <urn:x:o> ."]
    fake_store.put_status = 415
    result = run_iprkg(
        "publish", "--store", fake_store.store, "--dist", str(tiny_dist), root=tmp_path
    )
    assert result.returncode == 5, result.stderr
    last = result.stderr.splitlines()[-1]
    assert last == (
        "error: the store refused the upload: HTTP 415 Unsupported Media Type: Simulated "
        f"trouble; <{DEFAULT_GRAPH}> was left as it was"
    )
    assert fake_store.methods() == ["PUT"]
    assert fake_store.graphs[DEFAULT_GRAPH] == ["<urn:x:old> <urn:x:p> <urn:x:o> ."]


@pytest.mark.parametrize(
    ("endpoint", "said"),
    [
        ("/sparql", "/sparql answered HTTP 404 Not Found: No such endpoint (Fuseki's is"),
        ("elsewhere", "cannot reach 127.0.0.1:"),
    ],
    ids=["wrong-path", "unreachable"],
)
def test_a_query_endpoint_that_cannot_verify_gets_the_graph_deleted(
    tiny_dist: Path,
    fake_store: FakeStore,
    run_iprkg: RunIprkg,
    tmp_path: Path,
    endpoint: str,
    said: str,
) -> None:
    if endpoint == "elsewhere":
        endpoint = f"http://127.0.0.1:{free_port()}/query"  # nothing listens there
    else:
        endpoint = f"{fake_store.url}{endpoint}"
    result = run_iprkg(
        "publish",
        "--store",
        fake_store.store,
        "--query-endpoint",
        endpoint,
        "--dist",
        str(tiny_dist),
        root=tmp_path,
    )
    assert result.returncode == 3, result.stderr
    last = result.stderr.splitlines()[-1]
    assert last.startswith("error: cannot verify the upload: "), last
    assert said in last
    assert (
        f"<{DEFAULT_GRAPH}> is not verified and must not be used; deleted <{DEFAULT_GRAPH}>" in last
    )
    assert [m for m in fake_store.methods() if m != "POST"] == ["PUT", "DELETE"]
    assert fake_store.graphs == {}


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"IPRKG_STORE_TOKEN": "s3cret-token"}, "Bearer s3cret-token"),
        (
            {"IPRKG_STORE_USER": "publisher", "IPRKG_STORE_PASSWORD": "s3cret:pass"},
            "Basic " + base64.b64encode(b"publisher:s3cret:pass").decode(),
        ),
    ],
    ids=["bearer", "basic"],
)
def test_credentials_go_to_the_store_and_are_never_printed(
    tiny_dist: Path,
    fake_store: FakeStore,
    run_iprkg: RunIprkg,
    tmp_path: Path,
    environment: dict[str, str],
    expected: str,
) -> None:
    result = run_iprkg(
        "publish",
        "--store",
        fake_store.store,
        "--dist",
        str(tiny_dist),
        root=tmp_path,
        env=environment,
    )
    assert result.returncode == 0, result.stderr
    assert [auth for _, _, auth in fake_store.requests] == [expected] * 3
    for secret in ("s3cret", base64.b64encode(b"publisher").decode()):
        assert secret not in result.stdout + result.stderr


def test_credentials_do_not_go_to_a_query_endpoint_elsewhere() -> None:
    target = Target.make("http://127.0.0.1:7878/store", None, "http://127.0.0.2:7878/query")
    assert not target.query_shares_origin
    assert Target.make("http://127.0.0.1:7878/store", None, None).query_shares_origin


def test_a_refused_login_names_the_variables(
    tiny_dist: Path, fake_store: FakeStore, run_iprkg: RunIprkg, tmp_path: Path
) -> None:
    fake_store.put_status = 401
    result = run_iprkg(
        "publish",
        "--store",
        fake_store.store,
        "--dist",
        str(tiny_dist),
        root=tmp_path,
        env={"IPRKG_STORE_TOKEN": "wrong-token"},
    )
    assert result.returncode == 6, result.stderr
    last = result.stderr.splitlines()[-1]
    assert last == (
        "error: the store refused the upload: HTTP 401 Unauthorized: Simulated trouble; "
        "check the credentials in IPRKG_STORE_TOKEN"
    )
    assert fake_store.methods() == ["PUT"]


def test_a_digest_challenge_is_named(
    tiny_dist: Path, fake_store: FakeStore, run_iprkg: RunIprkg, tmp_path: Path
) -> None:
    fake_store.put_status = 401
    fake_store.challenge = 'Digest realm="virtuoso", nonce="abc"'
    result = run_iprkg(
        "publish",
        "--store",
        fake_store.store,
        "--dist",
        str(tiny_dist),
        root=tmp_path,
        env={"IPRKG_STORE_USER": "dba", "IPRKG_STORE_PASSWORD": "pw"},
    )
    assert result.returncode == 6, result.stderr
    assert result.stderr.splitlines()[-1].endswith(
        "; it asks for HTTP Digest, and publish sends Basic or Bearer only"
    )


def test_large_uploads_show_their_progress(tiny_dist: Path, fake_store: FakeStore) -> None:
    said: list[str] = []
    artefact = Artefact.read(tiny_dist)
    target = Target.make(fake_store.store, "https://example.org/g", None)
    verified = publish(artefact, target, Client(Credentials(), 10), said.append, progress_from=0)
    assert verified.content_hash == artefact.content_hash
    steps = [line for line in said if line.startswith("uploaded ")]
    assert steps, said
    assert steps[-1].endswith("(100 %)")
    quiet: list[str] = []
    publish(artefact, target, Client(Credentials(), 10), quiet.append)
    assert not [line for line in quiet if line.startswith("uploaded ")]


@pytest.mark.parametrize(
    ("misbehaviour", "exit_code", "said", "third"),
    [
        ({"put_status": 415}, 5, "the store refused the upload: HTTP 415", "{} was left as it was"),
        ({"put_status": 500}, 5, "the store failed the upload: HTTP 500", "deleted {}"),
        ({"put_status": 401}, 6, "the store refused the upload: HTTP 401", ""),
        ({"lose": 1}, 3, "verification failed: the store counts", "deleted {}"),
    ],
    ids=["refused", "failed", "unauthorised", "lost-triple"],
)
def test_a_failure_mid_way_leaves_no_graph_of_the_run_behind(
    built_dist: Path,
    fake_store: FakeStore,
    run_iprkg: RunIprkg,
    tmp_path: Path,
    misbehaviour: dict[str, object],
    exit_code: int,
    said: str,
    third: str,
) -> None:
    graphs = list(source_graph_counts(built_dist))
    old = ["<urn:x:old> <urn:x:p> <urn:x:o> ."]
    fake_store.graphs[graphs[2]] = list(old)  # an earlier publication's third graph
    fake_store.misbehave_from = 3
    for name, value in misbehaviour.items():
        setattr(fake_store, name, value)
    result = run_iprkg(
        "publish",
        "--store",
        fake_store.store,
        "--graph-per-source",
        "--dist",
        str(built_dist),
        root=tmp_path,
    )
    assert result.returncode == exit_code, result.stderr
    last = result.stderr.splitlines()[-1]
    source = read_manifest(built_dist)["graphs"]["graphs"][2]["source"]
    assert last.startswith(f"error: graph 3 of {len(graphs)} ({source}): {said}"), last
    if third:
        assert third.format(f"<{graphs[2]}>") in last
    assert f"deleted the 2 graph(s) this run had written (<{graphs[0]}>, <{graphs[1]}>)" in last
    assert last.endswith(
        f"; the {len(graphs) - 3} graph(s) after it were not touched (what an earlier "
        "publish left there is no complete publication now)"
    )
    assert [f"<{graphs[0]}>: verified" in result.stderr, f"<{graphs[2]}>: verified" in last] == [
        True,
        False,
    ]
    kept = {} if third.startswith("deleted") else {graphs[2]: old}
    assert fake_store.graphs == kept  # nothing this run wrote is left
    assert fake_store.methods().count("PUT") == 3
    assert result.stdout == ""


def test_graphs_that_cannot_be_deleted_are_named_as_not_to_be_used(
    tiny_dist: Path, fake_store: FakeStore, run_iprkg: RunIprkg, tmp_path: Path
) -> None:
    graphs = list(source_graph_counts(tiny_dist))
    fake_store.misbehave_from = 2
    fake_store.put_status = 500
    fake_store.delete_status = 503
    result = run_iprkg(
        "publish",
        "--store",
        fake_store.store,
        "--graph-per-source",
        "--dist",
        str(tiny_dist),
        root=tmp_path,
    )
    assert result.returncode == 5, result.stderr
    last = result.stderr.splitlines()[-1]
    assert f"could not delete <{graphs[1]}> (HTTP 503 Service Unavailable" in last
    assert (
        f"deleted 0 of the 1 graph(s) this run had written; could not delete <{graphs[0]}> "
        "(HTTP 503 Service Unavailable: Simulated trouble): do not use these, they are a "
        "part of a failed publication"
    ) in last
    assert set(fake_store.graphs) == {graphs[0]}  # still there, and named above


def test_a_build_without_graphs_per_source_exits_2(run_iprkg: RunIprkg, tmp_path: Path) -> None:
    dist = write_dist(tmp_path / "dist", SIZED)
    result = run_iprkg(
        "publish",
        "--store",
        "http://localhost/store",
        "--graph-per-source",
        "--dist",
        str(dist),
        root=tmp_path,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines()[-1] == (
        f"error: {dist}/manifest.json has no 'graphs': a build without graphs per source "
        "(iprkg.nq); rebuild it with this iprkg"
    )


# ---------------------------------------------------------------- input, before anything is sent


@pytest.mark.parametrize(
    ("arguments", "environment", "message"),
    [
        (["--store", "ftp://example.org/store"], {}, "--store must be an http(s) URL"),
        (["--store", "http://:7878/store"], {}, "--store must be an http(s) URL"),
        (["--store", "http://localhost:99999/store"], {}, "--store must be an http(s) URL"),
        (
            ["--store", "http://localhost/s", "--query-endpoint", "q"],
            {},
            "--query-endpoint must be",
        ),
        (
            ["--store", "http://localhost/s", "--graph", "not an iri"],
            {},
            "--graph must be an absolute IRI",
        ),
        (["--store", "http://localhost/s", "--graph", "urn:x", "--default-graph"], {}, "not both"),
        (
            ["--store", "http://localhost/s", "--graph-per-source", "--graph", "urn:x"],
            {},
            "give --graph-per-source or --graph, not both: choose --graph-per-source for a "
            "named graph per source file, or --graph IRI / --default-graph for the whole "
            "dataset in one graph",
        ),
        (
            ["--store", "http://localhost/s", "--graph-per-source", "--default-graph"],
            {},
            "give --graph-per-source or --default-graph, not both",
        ),
        (
            ["--store", "ftp://localhost/s", "--graph-per-source"],
            {},
            "--store must be an http(s) URL",
        ),
        (
            ["--store", "http://localhost/s"],
            {"IPRKG_STORE_TOKEN": "t", "IPRKG_STORE_USER": "u"},
            "set IPRKG_STORE_TOKEN or IPRKG_STORE_USER and IPRKG_STORE_PASSWORD, not both",
        ),
        (["--store", "http://localhost/s"], {"IPRKG_STORE_USER": "u"}, "go together"),
    ],
)
def test_bad_options_exit_2_before_anything_is_sent(
    built_dist: Path,
    run_iprkg: RunIprkg,
    tmp_path: Path,
    arguments: list[str],
    environment: dict[str, str],
    message: str,
) -> None:
    result = run_iprkg(
        "publish", *arguments, "--dist", str(built_dist), root=tmp_path, env=environment
    )
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_dist_exits_2_saying_to_build(run_iprkg: RunIprkg, tmp_path: Path) -> None:
    result = run_iprkg("publish", "--store", "http://localhost/store", root=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines()[-1] == (
        f"error: no built dataset in {tmp_path / 'dist'} (no manifest.json); run iprkg build"
    )


def test_a_dist_not_matching_its_manifest_exits_2(
    tiny_dist: Path, run_iprkg: RunIprkg, tmp_path: Path
) -> None:
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("manifest.json", "iprkg.nt"):
        (copy / name).write_bytes((tiny_dist / name).read_bytes())
    with (copy / "iprkg.nt").open("ab") as dump:
        dump.write(b"<urn:x:s> <urn:x:p> <urn:x:o> .\n")
    result = run_iprkg(
        "publish", "--store", "http://localhost/store", "--dist", str(copy), root=tmp_path
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines()[-1] == (
        f"error: {copy}: iprkg.nt does not match manifest.json; rebuild it"
    )


# ---------------------------------------------------------------- pieces


def test_the_content_hash_is_the_builds(built_dist: Path) -> None:
    graph = Graph().parse(built_dist / "iprkg.nt", format="nt")
    assert content_hash(graph) == read_manifest(built_dist)["content_hash"]


def test_the_content_hash_ignores_blank_node_labels(tiny_dist: Path) -> None:
    text = (tiny_dist / "iprkg.nt").read_text(encoding="utf-8")
    relabelled = re.sub(r"_:(\w+)", r"_:store\1x", text)
    assert relabelled != text  # the tiny project has a blank node
    graph = Graph().parse(data=relabelled, format="nt")
    assert any(isinstance(term, BNode) for triple in graph for term in triple)
    assert content_hash(graph) == read_manifest(tiny_dist)["content_hash"]


@pytest.mark.parametrize(
    ("store", "query"),
    [
        ("http://localhost:7878/store", "http://localhost:7878/query"),
        ("http://fuseki:3030/ds/data", "http://fuseki:3030/ds/query"),
        ("https://example.org/kg/store?x=1", "https://example.org/kg/query"),
        ("http://localhost:7878", "http://localhost:7878/query"),
    ],
)
def test_the_default_query_endpoint_follows_oxigraphs_layout(store: str, query: str) -> None:
    assert default_query_endpoint(store) == query


def test_the_graph_is_named_by_indirect_identification() -> None:
    named = Target.make("http://localhost:7878/store", "https://w3id.org/iprkg/dataset", None)
    assert named.graph_url == (
        "http://localhost:7878/store?graph=https%3A%2F%2Fw3id.org%2Fiprkg%2Fdataset"
    )
    assert Target.make("http://localhost:7878/store", None, None).graph_url == (
        "http://localhost:7878/store?default"
    )


def test_credentials_stay_out_of_their_repr() -> None:
    credentials = Credentials.from_environ({"IPRKG_STORE_TOKEN": "s3cret"})
    assert credentials.authorization == "Bearer s3cret"
    assert "s3cret" not in repr(credentials)
