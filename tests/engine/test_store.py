"""The read-only store: loading the artefact or dataset files, and its refusals."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from iprkg.artefact.artefact import DatasetFile, StoreError
from iprkg.core.errors import BadQuery, ServiceRefused, UpdateRefused
from iprkg.core.formats import SPARQL_JSON
from iprkg.engine.answers import Solutions
from iprkg.engine.oxigraph_store import OxigraphStore
from iprkg.engine.query_text import is_update, uses_service
from iprkg.engine.store import LABELS, labels


def test_the_artefact_answers_relative_queries_against_its_base(store: OxigraphStore) -> None:
    assert store.base_iri == "https://w3id.org/iprkg/"
    result = store.query("ASK { <council/nome-midt-telemark> ?p ?o }")
    assert isinstance(result, Solutions)
    assert b'"boolean":true' in result.serialise(SPARQL_JSON)


def test_integer_subtypes_come_back_as_xsd_integer(store: OxigraphStore, built_dist: Path) -> None:
    """A known deviation (docs/sparql.md): Oxigraph stores integer subtypes as xsd:integer.

    The dumps keep the PDF's ``dcat:byteSize`` as xsd:nonNegativeInteger; the endpoint
    answers xsd:integer. If pyoxigraph stops normalising, this fails: update the docs.
    """
    nonnegative = "http://www.w3.org/2001/XMLSchema#nonNegativeInteger"
    assert f'"638000"^^<{nonnegative}>' in (built_dist / "iprkg.nt").read_text("utf-8")
    result = store.query("SELECT ?size WHERE { ?pdf <http://www.w3.org/ns/dcat#byteSize> ?size }")
    assert isinstance(result, Solutions)
    answer = result.serialise(SPARQL_JSON).decode()
    assert '"datatype":"http://www.w3.org/2001/XMLSchema#integer"' in answer


def test_an_artefact_whose_dump_differs_from_its_manifest_is_refused(
    built_dist: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "dist"
    shutil.copytree(built_dist, copy)
    with (copy / "iprkg.nt").open("a", encoding="utf-8") as dump:
        dump.write("<http://e/s> <http://e/p> <http://e/o> .\n")
    with pytest.raises(StoreError, match=re.escape("does not match manifest.json")):
        OxigraphStore.from_dist(copy)


def test_a_missing_artefact_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot read the artefact"):
        OxigraphStore.from_dist(tmp_path / "nowhere")


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("data.txt", "", "unknown extension; use one of .ttl, .nt"),
        ("broken.ttl", "<s> <p> ", "broken.ttl: "),
        ("absent.ttl", None, "absent.ttl: "),
    ],
)
def test_a_dataset_file_that_cannot_load_names_itself(
    tmp_path: Path, name: str, text: str | None, message: str
) -> None:
    if text is not None:
        (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(StoreError, match=re.escape(message)):
        OxigraphStore.from_files([DatasetFile(tmp_path / name)], "https://e/")


def test_a_graph_name_must_be_an_absolute_iri(tmp_path: Path) -> None:
    (tmp_path / "a.ttl").write_text("", encoding="utf-8")
    with pytest.raises(StoreError, match="not an absolute IRI"):
        OxigraphStore.from_files([DatasetFile(tmp_path / "a.ttl", "g")], "https://e/")


def test_dataset_options_split_graph_iri_and_path(tmp_path: Path) -> None:
    existing = tmp_path / "x=y.ttl"
    existing.write_text("", encoding="utf-8")
    cases = {
        "data.ttl": DatasetFile(Path("data.ttl")),
        "a=b.ttl": DatasetFile(Path("a=b.ttl")),
        str(existing): DatasetFile(existing),
        "http://e/g=data.ttl": DatasetFile(Path("data.ttl"), "http://e/g"),
        f"http://e/g?a=b={existing}": DatasetFile(existing, "http://e/g?a=b"),
        f"urn:x:g={existing}": DatasetFile(existing, "urn:x:g"),
    }
    for option, expected in cases.items():
        assert DatasetFile.parse(option) == expected, option


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("SELECT * WHERE {", BadQuery),
        ("INSERT DATA { <http://e/s> <http://e/p> 1 }", UpdateRefused),
        (
            "PREFIX e: <http://e/> BASE <http://e/> WITH <g> DELETE { ?s ?p ?o } WHERE {}",
            UpdateRefused,
        ),
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", ServiceRefused),
    ],
)
def test_queries_the_store_will_not_answer(
    store: OxigraphStore, query: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        store.query(query)


@pytest.mark.parametrize(
    ("text", "service"),
    [
        ("SELECT * { SERVICE <http://x/> {} }", True),
        ("SELECT * { ?a ?b ?c.SERVICE<http://x/>{} }", True),
        ("SELECT * { SERVICE ?endpoint { ?s ?p ?o } }", True),
        ("SELECT * { \\u0053ERVICE <http://x/> {} }", True),
        ('SELECT * { ?s ?p "SERVICE" }', False),
        ('SELECT * { ?s ?p """a\nSERVICE""" }', False),
        ("SELECT * { ?s <http://x/SERVICE> ?service } # SERVICE", False),
        ("PREFIX service: <http://x/> SELECT * { ?s service:p ex:service }", False),
    ],
)
def test_service_is_found_only_as_a_keyword(text: str, service: bool) -> None:
    assert uses_service(text) is service


@pytest.mark.parametrize(
    ("text", "update"),
    [
        ("INSERT DATA {}", True),
        ("  # c\n drop all", True),
        ("PREFIX e: <http://e/> BASE <http://e/> LOAD <x>", True),
        ("SELECT * {}", False),
        ("PREFIX insert: <http://e/> SELECT * {}", False),
        ("# INSERT\nASK {}", False),
    ],
)
def test_updates_are_told_by_their_first_keyword(text: str, update: bool) -> None:
    assert is_update(text) is update


def test_labels_are_every_label_with_its_language(store: OxigraphStore) -> None:
    import json

    result = store.query(LABELS)
    assert isinstance(result, Solutions)
    rows = json.loads(result.serialise(SPARQL_JSON))["results"]["bindings"]
    expected = [
        (
            r["resource"]["value"],
            r["property"]["value"],
            r["label"]["value"],
            r["label"].get("xml:lang", ""),
        )
        for r in rows
        if r["resource"]["type"] == "uri"
    ]
    assert labels(store) == expected and expected
    assert any(language == "nb" for *_, language in expected)
    assert all(isinstance(text, str) for _, _, text, _ in expected), "pairs made of the terms only"
