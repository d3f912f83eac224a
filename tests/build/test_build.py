"""The build: byte-identical output, a truthful manifest, round-tripping dumps, and a
``dist`` that failed, broken or killed builds never touch."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

import iprkg.build.publish
from iprkg.artefact.manifest import MANIFEST_NAME, read_manifest
from iprkg.build.build import ValidationFailed, build
from iprkg.build.publish import builds_folder
from iprkg.build.sources import TurtleSyntaxError
from iprkg.core.formats import DUMP_FORMATS, N_TRIPLES, Serialisation
from support.builds import KILL_MID_WRITE
from support.processes import unavailable
from support.project import RunIprkg, iprkg_environment, project_settings

BASE = "https://w3id.org/iprkg/"
IPR = BASE + "ontology#"
EPOCH = "1700000000"  # 2023-11-14T22:13:20Z

Snapshot = dict[str, tuple[str, bytes]]


def snapshot(dist: Path) -> Snapshot:
    """Everything a build leaves beside ``dist``: the link, every build, every file."""
    state: Snapshot = {}
    for top in (dist, builds_folder(dist)):
        if top.is_symlink():
            state[top.name] = ("link", os.readlink(top).encode())
        elif top.is_dir():
            for path in sorted(top.rglob("*")):
                if path.is_file():
                    state[path.relative_to(top.parent).as_posix()] = ("file", path.read_bytes())
    return state


def dist_files(dist: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(dist.iterdir())}


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def dump_path(dist: Path, serialisation: Serialisation) -> Path:
    return dist / f"iprkg.{serialisation.extension}"


def n_triples_graph(dist: Path) -> Graph:
    return Graph().parse(dump_path(dist, N_TRIPLES), format=N_TRIPLES.rdflib_format)


@pytest.fixture
def tiny_dist(tiny_project: Path) -> Path:
    """The tiny project built in-process into tiny/dist, built time from SOURCE_DATE_EPOCH."""
    settings = project_settings(tiny_project, source_date_epoch=EPOCH)
    build(settings)
    return settings.dist


# ---------------------------------------------------------------- determinism


def build_in_subprocess(run_iprkg: RunIprkg, root: Path, dist: Path, seed: str) -> None:
    result = run_iprkg("build", "--dist", str(dist), root=root, env={"PYTHONHASHSEED": seed})
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("project", ["tiny", "real"])
def test_two_builds_are_byte_identical(
    project: str, tiny_project: Path, project_root: Path, run_iprkg: RunIprkg, tmp_path: Path
) -> None:
    root = tiny_project if project == "tiny" else project_root
    first, second = tmp_path / "one" / "dist", tmp_path / "two" / "dist"
    build_in_subprocess(run_iprkg, root, first, seed="1")
    build_in_subprocess(run_iprkg, root, second, seed="2")
    assert os.readlink(first) == os.readlink(second)
    assert dist_files(first) == dist_files(second)


def test_blank_nodes_get_canonical_labels(tiny_dist: Path) -> None:
    assert "_:cb" in dump_path(tiny_dist, N_TRIPLES).read_text(encoding="utf-8")


def test_n_triples_are_sorted(tiny_dist: Path) -> None:
    lines = dump_path(tiny_dist, N_TRIPLES).read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines)
    assert len(lines) == len(set(lines)) > 0


def test_gzip_files_decompress_to_the_plain_files(tiny_dist: Path) -> None:
    for serialisation in DUMP_FORMATS:
        plain = dump_path(tiny_dist, serialisation)
        packed = plain.with_name(plain.name + ".gz").read_bytes()
        assert gzip.decompress(packed) == plain.read_bytes()
        assert packed[4:8] == b"\0\0\0\0", "gzip mtime must be 0"
        assert packed[3] & 0x08 == 0, "gzip header must not carry a file name"


# ---------------------------------------------------------------- round trips


@pytest.mark.parametrize("serialisation", DUMP_FORMATS, ids=lambda s: s.name)
def test_every_dump_reparses_to_the_n_triples(
    tiny_dist: Path, serialisation: Serialisation
) -> None:
    reparsed = Graph().parse(
        dump_path(tiny_dist, serialisation), format=serialisation.rdflib_format
    )
    assert isomorphic(reparsed, n_triples_graph(tiny_dist))


@pytest.mark.parametrize("serialisation", DUMP_FORMATS, ids=lambda s: s.name)
def test_every_real_dump_reparses_to_the_n_triples(
    built_dist: Path, dataset: Graph, serialisation: Serialisation
) -> None:
    reparsed = Graph().parse(
        dump_path(built_dist, serialisation), format=serialisation.rdflib_format
    )
    assert isomorphic(reparsed, dataset)


@pytest.mark.parametrize("serialisation", DUMP_FORMATS, ids=lambda s: s.name)
def test_pyoxigraph_reads_every_real_dump(
    built_dist: Path, dataset: Graph, serialisation: Serialisation
) -> None:
    quads = pyoxigraph.parse(
        path=dump_path(built_dist, serialisation), format=serialisation.oxigraph_format
    )
    assert len(set(quads)) == len(dataset)


RAPPER_SYNTAX = {"turtle": "turtle", "n-triples": "ntriples", "rdf-xml": "rdfxml"}
"""Raptor's names for the dumps it reads; it has no JSON-LD parser."""


@pytest.mark.parametrize(
    "serialisation",
    [s for s in DUMP_FORMATS if s.name in RAPPER_SYNTAX],
    ids=lambda s: s.name,
)
def test_rapper_reads_every_real_dump(
    built_dist: Path, dataset: Graph, serialisation: Serialisation
) -> None:
    """A third, independent parser: Raptor's rapper (Debian's raptor2-utils)."""
    rapper = shutil.which("rapper")
    if rapper is None:
        unavailable(
            "rapper not installed (Debian raptor2-utils; .ci/run installs it); "
            "rdflib and pyoxigraph still ran"
        )
    result = subprocess.run(
        [
            rapper,
            "--quiet",
            "--input",
            RAPPER_SYNTAX[serialisation.name],
            "--output",
            "ntriples",
            str(dump_path(built_dist, serialisation)),
            BASE,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert isomorphic(Graph().parse(data=result.stdout, format="nt"), dataset)


@pytest.mark.parametrize("serialisation", DUMP_FORMATS, ids=lambda s: s.name)
def test_pyoxigraph_reads_every_dump(tiny_dist: Path, serialisation: Serialisation) -> None:
    quads = pyoxigraph.parse(
        path=dump_path(tiny_dist, serialisation), format=serialisation.oxigraph_format
    )
    assert len(list(quads)) == len(n_triples_graph(tiny_dist))


@pytest.mark.parametrize("serialisation", DUMP_FORMATS, ids=lambda s: s.name)
def test_an_empty_prefix_still_gives_readable_dumps(
    tiny_project: Path, serialisation: Serialisation
) -> None:
    write(
        tiny_project,
        "data/empty-prefix.ttl",
        '@prefix : <http://example.org/empty#> .\n<council/tiny> :n "1" .\n',
    )
    settings = project_settings(tiny_project)
    build(settings)
    path = dump_path(settings.dist, serialisation)
    quads = pyoxigraph.parse(path=path, format=serialisation.oxigraph_format)
    assert len(list(quads)) == len(n_triples_graph(settings.dist)) == 11
    reparsed = Graph().parse(path, format=serialisation.rdflib_format)
    assert isomorphic(reparsed, n_triples_graph(settings.dist))


def test_relative_iris_and_prefixes_resolve_against_the_base(tiny_project: Path) -> None:
    settings = project_settings(tiny_project, base="https://example.org/kg/")
    build(settings)
    graph = n_triples_graph(settings.dist)
    council = URIRef("https://example.org/kg/council/tiny")
    assert graph.value(council, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")) == (
        URIRef("https://example.org/kg/ontology#Council")
    )
    assert not any(str(term).startswith(BASE) for triple in graph for term in triple)


# ---------------------------------------------------------------- manifest


def test_manifest_describes_the_dumps_and_sources(tiny_project: Path, tiny_dist: Path) -> None:
    manifest = read_manifest(tiny_dist)
    n_triples = dump_path(tiny_dist, N_TRIPLES).read_bytes()
    assert manifest["content_hash"] == "sha256:" + hashlib.sha256(n_triples).hexdigest()
    assert manifest["triples"] == len(n_triples_graph(tiny_dist)) == 10
    assert manifest["subjects"] == 4  # two classes, one restriction, one council
    assert manifest["classes"] == {
        "http://www.w3.org/2002/07/owl#Class": 2,
        "http://www.w3.org/2002/07/owl#Restriction": 1,
        IPR + "Council": 1,
    }
    assert manifest["base"] == BASE
    assert manifest["built"] == "2023-11-14T22:13:20Z"
    assert manifest["built_from"] == "SOURCE_DATE_EPOCH"
    assert [(s["path"], s["kind"]) for s in manifest["sources"]] == [
        ("ontology/tiny.ttl", "ontology"),
        ("data/councils/tiny.ttl", "data"),
        ("shapes/tiny.ttl", "shapes"),
    ]
    for source in manifest["sources"]:
        content = (tiny_project / source["path"]).read_bytes()
        assert source["sha256"] == hashlib.sha256(content).hexdigest()
    assert {"python", "iprkg", "rdflib", "pyshacl", "pyoxigraph"} <= set(manifest["tools"])


def test_manifest_lists_every_file_in_dist(tiny_dist: Path) -> None:
    manifest = read_manifest(tiny_dist)
    listed = {MANIFEST_NAME}
    for dump in manifest["dumps"]:
        content = (tiny_dist / dump["path"]).read_bytes()
        assert dump["sha256"] == hashlib.sha256(content).hexdigest()
        assert dump["bytes"] == len(content)
        assert (tiny_dist / dump["gzip"]["path"]).read_bytes()
        listed |= {dump["path"], dump["gzip"]["path"]}
    graphs = manifest["graphs"]  # the N-Quads dump, a graph per source: tests/build/test_quads.py
    assert graphs["sha256"] == hashlib.sha256((tiny_dist / graphs["path"]).read_bytes()).hexdigest()
    listed.add(graphs["path"])
    search = manifest["search"]  # the search index: tests/build/test_search_index.py
    assert search["sha256"] == hashlib.sha256((tiny_dist / search["path"]).read_bytes()).hexdigest()
    listed.add(search["path"])
    assert listed == set(dist_files(tiny_dist))
    assert [d["media_type"] for d in manifest["dumps"]] == [s.media_type for s in DUMP_FORMATS]


def test_built_defaults_to_the_newest_source_mtime(tiny_project: Path) -> None:
    for number, path in enumerate(sorted(tiny_project.rglob("*.ttl"))):
        os.utime(path, (1600000000 + number, 1600000000 + number))
    settings = project_settings(tiny_project)
    build(settings)
    manifest = read_manifest(settings.dist)
    assert manifest["built"] == "2020-09-13T12:26:42Z"  # 1600000000 + 2
    assert manifest["built_from"] == "newest source file modification time"


def test_the_real_manifest_counts_what_the_dataset_holds(built_dist: Path, dataset: Graph) -> None:
    manifest = read_manifest(built_dist)
    assert manifest["triples"] == len(dataset) > 0
    assert manifest["subjects"] == len(set(dataset.subjects()))
    assert json.loads((built_dist / MANIFEST_NAME).read_text(encoding="utf-8")) == manifest


# ---------------------------------------------------------------- failures leave dist alone


BROKEN_TURTLE = [
    pytest.param(
        '@prefix ipr: <ontology#> .\n\n<council/x> foo:name "x" .\n',
        ["data/broken.ttl:3", 'unknown prefix "foo:"', "@prefix foo: <...> ."],
        id="unknown-prefix",
    ),
    pytest.param(
        "@prefix ipr: <ontology#> .\n<council/x> a ipr:Council\n<council/y> a ipr:Council .\n",
        ["data/broken.ttl:3", "end it with '.'"],
        id="missing-dot",
    ),
    pytest.param(
        "@prefix ipr: <ontology#> .\n<council/x> a ipr:Council ;\n    ipr:p 1\n"
        "    # a comment between\n\n    ipr:q 2 .\n",
        ["data/broken.ttl:6", "most likely line 3, which ends without ';'"],
        id="missing-semicolon",
    ),
    pytest.param(
        '<council/x> <p> "open\n.\n',
        ["data/broken.ttl:1", "closing quote"],
        id="unterminated-string",
    ),
    pytest.param(
        "<council/x y> <p> <o> .\n",
        ["data/broken.ttl:1", "invalid IRI", "%20"],
        id="space-in-iri",
    ),
]


@pytest.mark.parametrize(("text", "expected"), BROKEN_TURTLE)
def test_a_file_that_does_not_parse_exits_2_and_leaves_dist(
    tiny_project: Path, tiny_dist: Path, run_iprkg: RunIprkg, text: str, expected: list[str]
) -> None:
    before = snapshot(tiny_dist)
    write(tiny_project, "data/broken.ttl", text)
    result = run_iprkg("build", root=tiny_project)
    assert result.returncode == 2, result.stderr
    for fragment in expected:
        assert fragment in result.stderr
    assert snapshot(tiny_dist) == before


def test_a_predicate_rdf_xml_cannot_write_exits_2_and_leaves_dist(
    tiny_project: Path, tiny_dist: Path, run_iprkg: RunIprkg
) -> None:
    before = snapshot(tiny_dist)
    write(tiny_project, "data/digits.ttl", '<council/tiny> <http://example.org/p#1> "x" .\n')
    result = run_iprkg("build", root=tiny_project)
    assert result.returncode == 2, result.stderr
    assert "cannot write RDF/XML" in result.stderr
    assert snapshot(tiny_dist) == before


def test_a_violation_exits_1_and_leaves_dist(
    tiny_project: Path, tiny_dist: Path, run_iprkg: RunIprkg
) -> None:
    before = snapshot(tiny_dist)
    write(
        tiny_project,
        "data/nameless.ttl",
        "@prefix ipr: <ontology#> .\n<council/x> a ipr:Council .\n",
    )
    result = run_iprkg("build", root=tiny_project)
    assert result.returncode == 1, result.stderr
    assert (
        "data/nameless.ttl: <council/x> rdfs:label: Missing a label" in result.stdout.splitlines()
    )
    assert snapshot(tiny_dist) == before


def test_failing_builds_raise_typed_errors_in_process(tiny_project: Path) -> None:
    write(
        tiny_project,
        "data/nameless.ttl",
        "@prefix ipr: <ontology#> .\n<council/x> a ipr:Council .\n",
    )
    with pytest.raises(ValidationFailed) as failure:
        build(project_settings(tiny_project))
    assert [v.files for v in failure.value.violations] == [("data/nameless.ttl",)]
    write(tiny_project, "data/nameless.ttl", "<council/x> a ipr:Council .\n")
    with pytest.raises(TurtleSyntaxError) as syntax:
        build(project_settings(tiny_project))
    assert (syntax.value.name, syntax.value.line) == ("data/nameless.ttl", 1)
    assert not (tiny_project / "dist").exists()


def test_a_build_failing_mid_write_leaves_the_previous_dist(
    tiny_project: Path, tiny_dist: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(tiny_dist)
    write(tiny_project, "data/more.ttl", '<council/tiny> <http://schema.org/name> "Tiny" .\n')
    written: list[Path] = []
    real_write_file = iprkg.build.publish.write_file

    def write_some_then_fail(path: Path, content: bytes) -> None:
        if len(written) == 3:
            raise OSError("disk full")
        real_write_file(path, content)
        written.append(path)

    monkeypatch.setattr(iprkg.build.publish, "write_file", write_some_then_fail)
    with pytest.raises(OSError, match="disk full"):
        build(project_settings(tiny_project, source_date_epoch=EPOCH))
    assert len(written) == 3
    assert snapshot(tiny_dist) == before, "no staging leftovers, dist unchanged"


@pytest.mark.slow
def test_a_killed_build_leaves_the_previous_dist_and_is_cleaned_up(
    tiny_project: Path, tiny_dist: Path, run_iprkg: RunIprkg
) -> None:
    before = snapshot(tiny_dist)
    write(tiny_project, "data/more.ttl", '<council/tiny> <http://schema.org/name> "Tiny" .\n')
    killed = subprocess.run(
        [sys.executable, "-c", KILL_MID_WRITE],
        cwd=tiny_project,
        env=iprkg_environment(tiny_project, {"SOURCE_DATE_EPOCH": EPOCH}),
        capture_output=True,
        check=False,
        timeout=300,
    )
    assert killed.returncode == -signal.SIGKILL
    after = snapshot(tiny_dist)
    assert {name: entry for name, entry in after.items() if "/.tmp-" not in name} == before
    leftovers = list(builds_folder(tiny_dist).glob(".tmp-*"))
    assert leftovers, "the kill should have happened while writing"

    result = run_iprkg("build", root=tiny_project)
    assert result.returncode == 0, result.stderr
    assert not list(builds_folder(tiny_dist).glob(".tmp-*"))
    assert "schema.org/name" in dump_path(tiny_dist, N_TRIPLES).read_text(encoding="utf-8")


# ---------------------------------------------------------------- publication


def test_builds_swap_atomically_and_keep_one_previous(tiny_project: Path) -> None:
    settings = project_settings(tiny_project)
    first = build(settings).publication.build
    write(tiny_project, "data/more.ttl", '<council/tiny> <http://schema.org/name> "Tiny" .\n')
    second = build(settings).publication.build
    write(tiny_project, "data/more.ttl", '<council/tiny> <http://schema.org/name> "Tinier" .\n')
    third = build(settings).publication
    assert settings.dist.is_symlink()
    assert settings.dist.resolve() == third.build.resolve()
    assert third.previous == second
    kept = {p.name for p in builds_folder(settings.dist).iterdir() if p.is_dir()}
    assert kept == {second.name, third.build.name}
    assert first.name not in kept


def test_an_identical_rebuild_reuses_the_build_and_keeps_the_previous(tiny_project: Path) -> None:
    settings = project_settings(tiny_project, source_date_epoch=EPOCH)
    first = build(settings).publication.build
    write(tiny_project, "data/more.ttl", '<council/tiny> <http://schema.org/name> "Tiny" .\n')
    second = build(settings).publication.build
    again = build(settings).publication
    assert again.reused
    assert again.build == second
    assert again.previous == first


def test_a_real_dist_folder_is_adopted_as_the_previous_build(tiny_project: Path) -> None:
    settings = project_settings(tiny_project)
    write(tiny_project, "dist/old.txt", "from an older build\n")
    publication = build(settings).publication
    assert settings.dist.is_symlink()
    assert publication.previous is not None
    assert (publication.previous / "old.txt").read_text(encoding="utf-8") == "from an older build\n"


def test_build_files_are_read_only(tiny_dist: Path) -> None:
    for path in tiny_dist.iterdir():
        assert not path.stat().st_mode & 0o222, f"{path.name} is writable"
