"""The search index: built into the artefact, listed in the manifest, reproducible; the
words normalised alike at build and query time; every labelled resource indexed with
its kind."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef

from iprkg.artefact.manifest import MANIFEST_NAME
from iprkg.build.authorities import authority_of
from iprkg.build.search_index import KINDS, LANGUAGES, SPECIFIC, THEME, Kind, make_search_index
from iprkg.core.example_queries import EXAMPLES_GRAPH
from iprkg.core.vocabulary import LABEL_PROPERTIES
from iprkg.engine.search import INDEX_NAME, SearchIndex
from iprkg.engine.search_words import stems
from support.project import DEFAULT_BASE

ONTOLOGY = f"{DEFAULT_BASE}ontology#"


@pytest.fixture(scope="module")
def manifest(built_dist: Path) -> dict[str, object]:
    return json.loads((built_dist / MANIFEST_NAME).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def index_file(built_dist: Path) -> bytes:
    return (built_dist / INDEX_NAME).read_bytes()


@pytest.fixture(scope="module")
def searchable(built_dist: Path, dataset: Graph) -> Graph:
    """What search covers: the built dataset without the example queries' own graph
    (the queries are listed on the query page, not found by search)."""
    tail = f" <{DEFAULT_BASE}graph/{EXAMPLES_GRAPH}> ."
    lines = (built_dist / "iprkg.nq").read_text(encoding="utf-8").splitlines()
    examples = Graph().parse(
        data="".join(line[: -len(tail)] + " .\n" for line in lines if line.endswith(tail)),
        format="nt",
    )
    assert len(examples), "the example queries' graph is missing from iprkg.nq"
    return dataset - examples


def test_the_index_is_a_file_of_the_artefact_listed_in_the_manifest(
    manifest: dict[str, object], index_file: bytes
) -> None:
    entry = manifest["search"]
    assert isinstance(entry, dict)
    assert entry["path"] == INDEX_NAME
    assert entry["bytes"] == len(index_file)
    assert entry["sha256"] == hashlib.sha256(index_file).hexdigest()
    assert index_file.startswith(b"SQLite format 3\0")


def test_the_index_is_byte_reproducible(searchable: Graph, index_file: bytes) -> None:
    """The same graph gives the same bytes, twice, and the bytes the build published."""
    first, entry = make_search_index(searchable, DEFAULT_BASE)
    second, _ = make_search_index(searchable, DEFAULT_BASE)
    assert first == second
    assert first == index_file
    assert entry["sha256"] == hashlib.sha256(first).hexdigest()


def labelled_iris(graph: Graph) -> set[str]:
    return {
        str(s)
        for prop in LABEL_PROPERTIES
        if not prop.endswith("altLabel")
        for s, o in graph.subject_objects(URIRef(prop))
        if isinstance(s, URIRef) and (getattr(o, "language", None) or "") in LANGUAGES
    }


def indexed(content: bytes) -> dict[str, str]:
    """IRI -> kind slug, read from the file with plain sqlite3."""
    connection = sqlite3.connect(":memory:")
    connection.deserialize(content)
    try:
        return dict(connection.execute("SELECT iri, kind FROM resource").fetchall())
    finally:
        connection.close()


def test_every_labelled_resource_is_indexed(searchable: Graph, index_file: bytes) -> None:
    assert set(indexed(index_file)) == labelled_iris(searchable)


@pytest.mark.parametrize("kind", KINDS[:SPECIFIC], ids=lambda kind: kind.slug)
def test_each_resource_of_a_specific_class_has_its_kind(
    dataset: Graph, index_file: bytes, kind: Kind
) -> None:
    kinds = indexed(index_file)
    classes = {c if ":" in c else ONTOLOGY + c for c in kind.classes}
    members = {
        str(s) for c in classes for s in dataset.subjects(RDF.type, URIRef(c))
    } & labelled_iris(dataset)
    if kind is THEME:  # a theme of LOS or the EU table, whatever its type
        members = {iri for iri in labelled_iris(dataset) if authority_of(iri) is not None}
        if not members:
            pytest.skip("no theme facts: the external folder (IPRKG_EXTERNAL) is absent")
    assert members, f"no {kind.slug} in the data"
    assert {kinds[iri] for iri in members} == {kind.slug}


def test_the_index_opens_read_only(index_file: bytes) -> None:
    index = SearchIndex(index_file)
    with pytest.raises(sqlite3.OperationalError):
        index._db.execute("DELETE FROM resource")


SAME = [
    ("samferdsel", "Samferdsle"),
    ("samferdsel", "samferdselen"),
    ("sykehus", "Sykehuset"),
    ("sykehus", "sykehusa"),
    ("høgare", "Høyere"),
    ("høg", "høy"),
    ("kommune", "kommunane"),
    ("kommune", "kommunene"),
    ("kommune", "KOMMUNER"),
    ("regel", "reglar"),
    ("utdanning", "utdanninga"),
    ("næring", "naering"),
    ("Åfjord", "afjord"),
    ("café", "cafe"),
]
DIFFERENT = [("samferdsel", "sykehus"), ("høyere", "hav"), ("nome", "namdal")]


@pytest.mark.parametrize(("one", "other"), SAME)
def test_forms_of_a_word_share_a_stem(one: str, other: str) -> None:
    assert stems(one) == stems(other)


@pytest.mark.parametrize(("one", "other"), DIFFERENT)
def test_different_words_keep_different_stems(one: str, other: str) -> None:
    assert stems(one) != stems(other)


@pytest.mark.parametrize(
    "text",
    ['"', "*", "a:b", "AND OR NOT", "NEAR(a b)", "((", "\x00\x01\x7f", "\ufffd", "^x", "-x"],
)
def test_operators_are_only_separators(text: str) -> None:
    """What reaches FTS5 is words of letters and digits, nothing it could parse."""
    assert all(word.isalnum() for word in stems(text))
