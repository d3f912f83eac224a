"""docs/deploy.md's two commands together, as written there, against Oxigraph server with
its default options: ``iprkg publish --store URL`` then ``iprkg serve --backend URL``,
each with its default options, and the answers (a SPARQL query, a page) come from the
store. And when the build is in a graph ``serve --backend`` does not look in, it exits 2
naming that graph and the command line that puts the build where it looks.

Oxigraph server is the ``oxigraph`` binary of PyPI's ``oxigraph`` (the [test] extra);
without it these tests skip, saying so (under ``CI`` they fail).
"""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from rdflib import RDFS, Graph, Literal, URIRef

from iprkg.artefact.manifest import read_manifest
from support.live import live
from support.oxigraph import Oxigraph, start_oxigraph
from support.processes import stop
from support.project import DEFAULT_BASE, RunIprkg

pytestmark = pytest.mark.slow

PUBLISHED_GRAPH = f"{DEFAULT_BASE}dataset"
COUNCIL = f"{DEFAULT_BASE}council/nome-midt-telemark"
ELSEWHERE = "https://example.org/graph/elsewhere"


@pytest.fixture
def oxigraph(tmp_path: Path) -> Iterator[Oxigraph]:
    """``oxigraph serve --location … --bind …`` as docs/deploy.md starts it: an empty
    store, nothing else set."""
    server, base = start_oxigraph("serve", tmp_path / "store", tmp_path / "oxigraph.log")
    try:
        yield Oxigraph(base)
    finally:
        stop(server)


def publish(run_iprkg: RunIprkg, root: Path, oxigraph: Oxigraph, dist: Path, *options: str) -> str:
    """``iprkg publish --store URL --dist DIST [OPTIONS]``, which must succeed; its stdout."""
    result = run_iprkg(
        "publish", "--store", oxigraph.store, "--dist", str(dist), *options, root=root
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def sparql(endpoint: str, query: str) -> list[dict[str, str]]:
    """A SELECT's solutions through iprkg's /sparql, each variable to its value."""
    request = urllib.request.Request(
        endpoint,
        data=urllib.parse.urlencode({"query": query}).encode(),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        results = json.load(answer)
    return [{k: v["value"] for k, v in row.items()} for row in results["results"]["bindings"]]


def english_label(dataset: Graph, iri: str) -> str:
    labels = [
        str(label)
        for label in dataset.objects(URIRef(iri), RDFS.label)
        if isinstance(label, Literal) and label.language == "en"
    ]
    assert len(labels) == 1, labels
    return labels[0]


def test_publish_then_serve_backend_with_default_options_answers_from_the_store(
    built_dist: Path, dataset: Graph, oxigraph: Oxigraph, run_iprkg: RunIprkg, tmp_path: Path
) -> None:
    said = publish(run_iprkg, tmp_path, oxigraph, built_dist)
    assert f"published {built_dist} to <{PUBLISHED_GRAPH}> at {oxigraph.store}" in said
    manifest = read_manifest(built_dist)

    options = ["--dist", str(built_dist), "--backend", oxigraph.query, "--workers", "1"]
    with live(options) as server:
        assert (
            f"serving {oxigraph.query} ({manifest['triples']} triples in <{PUBLISHED_GRAPH}>, "
            in server.written()
        )
        counted = sparql(server.url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert counted == [{"n": str(manifest["triples"])}]
        label = english_label(dataset, COUNCIL)
        query = (
            f'SELECT ?label WHERE {{ <{COUNCIL}> rdfs:label ?label FILTER(lang(?label) = "en") }}'
        )
        assert sparql(server.url, f"PREFIX rdfs: <{RDFS}>\n{query}") == [{"label": label}]
        # as in the embedded store, a query sees no named graphs
        assert sparql(server.url, "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1") == []
        # a query that names its own dataset is sent as it is, and the store answers it
        named = f"SELECT (COUNT(*) AS ?n) FROM <{PUBLISHED_GRAPH}> WHERE {{ ?s ?p ?o }}"
        assert sparql(server.url, named) == [{"n": str(manifest["triples"])}]

        page_url = server.url.removesuffix("/sparql") + "/council/nome-midt-telemark"
        page = urllib.request.Request(
            page_url, headers={"Accept": "text/html", "Accept-Language": "en"}
        )
        with urllib.request.urlopen(page, timeout=60) as answer:  # follows the 303
            assert answer.status == 200
            assert answer.headers.get_content_type() == "text/html"
            html = unescape(answer.read().decode("utf-8"))
        assert f"<h1>{label}" in html or f">{label}<" in html


def test_a_build_in_the_default_graph_is_served_from_it(
    built_dist: Path, oxigraph: Oxigraph, run_iprkg: RunIprkg, tmp_path: Path
) -> None:
    publish(run_iprkg, tmp_path, oxigraph, built_dist, "--default-graph")
    manifest = read_manifest(built_dist)
    with live(["--dist", str(built_dist), "--backend", oxigraph.query, "--workers", "1"]) as server:
        assert f"({manifest['triples']} triples in the default graph, " in server.written()
        counted = sparql(server.url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert counted == [{"n": str(manifest["triples"])}]


def test_a_build_published_elsewhere_names_the_graph_and_the_command_that_fixes_it(
    built_dist: Path, oxigraph: Oxigraph, run_iprkg: RunIprkg, tmp_path: Path
) -> None:
    publish(run_iprkg, tmp_path, oxigraph, built_dist, "--graph", ELSEWHERE)
    manifest = read_manifest(built_dist)
    triples, subjects = manifest["triples"], manifest["subjects"]
    serve = ["serve", "--port", "0", "--dist", str(built_dist), "--backend", oxigraph.query]

    refused = run_iprkg(*serve, root=tmp_path)

    assert refused.returncode == 2, refused.stderr
    command = f"iprkg publish --store {oxigraph.store} --dist {built_dist}"
    assert refused.stderr == (
        f"error: the SPARQL back end {oxigraph.query} holds 0 triples about 0 subjects in "
        f"<{PUBLISHED_GRAPH}> (where iprkg publish puts the build) and 0 about 0 in its "
        f"default graph, the build in {built_dist} has {triples} about {subjects}: publish "
        f"the build to it: {command}; <{ELSEWHERE}> holds {triples} triples, as many as the "
        "build, but is not where serve --backend looks (publish without --graph)\n"
    )
    # the command the error gives is the one that puts things right
    given = re.search(r"publish the build to it: iprkg (publish [^;]+);", refused.stderr)
    assert given is not None
    published = run_iprkg(*given.group(1).split(" "), root=tmp_path)
    assert published.returncode == 0, published.stderr
    with live(["--dist", str(built_dist), "--backend", oxigraph.query, "--workers", "1"]) as server:
        assert f"({triples} triples in <{PUBLISHED_GRAPH}>, " in server.written()
