"""``iprkg.nq`` (``server/iprkg/build/quads.py``): a named graph per source file, whose union is
the dataset of ``iprkg.nt``, counted and hashed per graph in the manifest's ``graphs``,
byte-identical across builds, served at ``/dumps/iprkg.nq``."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path

import pyoxigraph
import pytest
from flask.testing import FlaskClient
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from iprkg.artefact.manifest import read_manifest
from iprkg.build.build import build
from iprkg.remote.graph_store_verification import content_hash
from support.project import RunIprkg, project_settings

BASE = "https://w3id.org/iprkg/"
EPOCH = "1700000000"

SECOND_DATA = """\
@prefix ipr: <ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .

<council/tiny> a ipr:Council .
ipr:Council rdfs:subClassOf
    [ a owl:Restriction ; owl:onProperty rdfs:label ; owl:minCardinality 1 ] .
"""
"""A second data file that repeats a triple of data/councils/tiny.ttl and a blank node
shaped exactly as the ontology's: two blank nodes in the dataset, one in each graph."""


def quads(dist: Path) -> dict[str, list[pyoxigraph.Triple]]:
    """The triples of each named graph of ``dist/iprkg.nq``, read by Oxigraph's parser."""
    graphs: dict[str, list[pyoxigraph.Triple]] = defaultdict(list)
    content = (dist / "iprkg.nq").read_bytes()
    for quad in pyoxigraph.parse(content, format=pyoxigraph.RdfFormat.N_QUADS):
        assert isinstance(quad.graph_name, pyoxigraph.NamedNode), quad  # no default graph
        graphs[quad.graph_name.value].append(quad.triple)
    return graphs


def source_graphs(dist: Path) -> dict[str, Graph]:
    """Each named graph of ``dist/iprkg.nq`` as an rdflib graph, by IRI (each graph's
    blank nodes its own, as N-Quads says when their labels differ: see below)."""
    return {
        iri: Graph().parse(
            data=pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES),
            format="nt",
        )
        for iri, triples in quads(dist).items()
    }


def union(graphs: dict[str, Graph]) -> Graph:
    merged = Graph()
    for graph in graphs.values():
        merged += graph
    return merged


def n_triples(dist: Path) -> Graph:
    return Graph().parse(dist / "iprkg.nt", format="nt")


@pytest.fixture
def two_data_files(tiny_project: Path) -> Path:
    """The tiny project with SECOND_DATA as data/more.ttl, built into tiny/dist."""
    (tiny_project / "data" / "more.ttl").write_text(SECOND_DATA, encoding="utf-8")
    settings = project_settings(tiny_project, source_date_epoch=EPOCH)
    build(settings)
    return settings.dist


def test_each_ontology_and_data_file_has_its_graph_and_shapes_none(two_data_files: Path) -> None:
    entry = read_manifest(two_data_files)["graphs"]
    assert [(g["iri"], g["source"]) for g in entry["graphs"]] == [
        (f"{BASE}graph/ontology/tiny.ttl", "ontology/tiny.ttl"),
        (f"{BASE}graph/data/councils/tiny.ttl", "data/councils/tiny.ttl"),
        (f"{BASE}graph/data/more.ttl", "data/more.ttl"),
    ]
    assert set(source_graphs(two_data_files)) == {g["iri"] for g in entry["graphs"]}


def test_the_union_of_the_graphs_is_the_dataset(two_data_files: Path) -> None:
    graphs = source_graphs(two_data_files)
    council = (
        URIRef(f"{BASE}council/tiny"),
        URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
        URIRef(f"{BASE}ontology#Council"),
    )
    assert council in graphs[f"{BASE}graph/data/councils/tiny.ttl"]
    assert council in graphs[f"{BASE}graph/data/more.ttl"]  # in both graphs
    blank = {
        iri: {
            term.value
            for triple in triples
            for term in (triple.subject, triple.object)
            if isinstance(term, pyoxigraph.BlankNode)
        }
        for iri, triples in quads(two_data_files).items()
    }
    ontology, more = blank[f"{BASE}graph/ontology/tiny.ttl"], blank[f"{BASE}graph/data/more.ttl"]
    assert len(ontology) == len(more) == 1
    assert ontology != more  # the same shape, two blank nodes: N-Quads labels are global
    assert isomorphic(union(graphs), n_triples(two_data_files))


def test_the_real_union_of_the_graphs_is_the_dataset(built_dist: Path, dataset: Graph) -> None:
    graphs = source_graphs(built_dist)
    assert isomorphic(union(graphs), dataset)
    manifest = read_manifest(built_dist)
    sources = [s["path"] for s in manifest["sources"] if s["kind"] != "shapes"]
    sources += ["authorities"] if manifest.get("authorities") else []  # tests/build/test_themes.py
    sources += ["examples"] if manifest.get("examples") else []  # tests/services/test_examples.py
    sources += ["municipalities"] if manifest.get("municipalities") else []  # test_municipalities
    assert sorted(graphs) == sorted(f"{BASE}graph/{path}" for path in sources)


@pytest.mark.parametrize("project", ["tiny", "real"])
def test_each_graph_has_the_count_and_hash_the_manifest_says(
    project: str, two_data_files: Path, built_dist: Path
) -> None:
    dist = two_data_files if project == "tiny" else built_dist
    manifest = read_manifest(dist)
    entry = manifest["graphs"]
    content = (dist / "iprkg.nq").read_bytes()
    assert entry["path"] == "iprkg.nq"
    assert entry["media_type"] == "application/n-quads"
    assert entry["bytes"] == len(content)
    assert entry["sha256"] == hashlib.sha256(content).hexdigest()
    graphs = source_graphs(dist)
    for listed in entry["graphs"]:
        graph = graphs.get(listed["iri"], Graph())
        assert len(graph) == listed["triples"]
        assert content_hash(graph) == listed["content_hash"]  # as publish verifies it
    by_path = {s["path"]: s["triples"] for s in manifest["sources"]}
    own = [  # the others: tests/build/test_themes.py, test_examples.py, test_municipalities.py
        g
        for g in entry["graphs"]
        if g["source"] not in ("authorities", "examples", "municipalities")
    ]
    assert {g["source"]: g["triples"] for g in own} == {
        path: by_path[path] for path in (g["source"] for g in own)
    }
    assert "iprkg.nq" not in [dump["path"] for dump in manifest["dumps"]]


def test_the_quads_are_sorted_lines_with_blank_nodes_per_graph(two_data_files: Path) -> None:
    lines = (two_data_files / "iprkg.nq").read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines)
    assert all(line.endswith(".ttl> .") for line in lines)
    labels = {word for line in lines for word in line.split() if word.startswith("_:")}
    assert len({label[:11] for label in labels}) == 2  # _:s + 8 hex digits per source


@pytest.mark.slow
def test_two_builds_write_byte_identical_quads(
    two_data_files: Path, run_iprkg: RunIprkg, tmp_path: Path
) -> None:
    root = two_data_files.parent
    written = []
    for seed in ("1", "2"):
        dist = tmp_path / seed / "dist"
        result = run_iprkg("build", "--dist", str(dist), root=root, env={"PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr
        written.append((dist / "iprkg.nq").read_bytes())
    assert written[0] == written[1] == (two_data_files / "iprkg.nq").read_bytes()


def test_the_quads_are_served_as_n_quads(client: FlaskClient, built_dist: Path) -> None:
    response = client.get("/dumps/iprkg.nq")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/n-quads"
    assert response.data == (built_dist / "iprkg.nq").read_bytes()
