"""Answers the build computed (``engine.precomputed``, ``build.answers``): the same answers
the store gives, in every format, used only where they are that answer."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from iprkg.core.errors import AnswerTooLarge
from iprkg.core.formats import RESULTS_SERIALISATIONS, SPARQL_JSON
from iprkg.core.settings import Settings
from iprkg.engine.answers import Solutions
from iprkg.engine.oxigraph_store import OxigraphStore
from iprkg.engine.precomputed import (
    Precomputed,
    PrecomputedSolutions,
    PrecomputedStore,
    key,
    precomputable,
)
from iprkg.engine.query_cache import CachingStore
from iprkg.web.app import open_store

PROJECT_ROOT = Path(__file__).resolve().parents[2]
QUERIES = sorted((PROJECT_ROOT / "queries").glob("**/*.rq"))


@pytest.fixture(scope="module")
def served(built_dist: Path) -> OxigraphStore:
    return OxigraphStore.from_dist(built_dist)


def test_the_key_is_the_query_less_a_base_it_resolves_against_anyway() -> None:
    base = "https://w3id.org/iprkg/"
    text = "SELECT * WHERE { ?s ?p ?o }"
    assert key(f"  {text}\r\n", base) == key(text, base)
    assert key(f"BASE <{base}>\n{text}", base) == key(text, base)
    assert key(f"BASE <http://other.example/>\n{text}", base) != key(text, base)
    assert key(text, "http://other.example/") != key(text, base)


@pytest.mark.parametrize(
    ("text", "answerable"),
    [
        ("SELECT * { ?s ?p ?o }", True),
        ('SELECT * { ?s ?p "GRAPH" } # FROM', True),
        ("SELECT * { GRAPH ?g { ?s ?p ?o } }", False),
        ("SELECT * FROM <x> { ?s ?p ?o }", False),
        ("SELECT * { SERVICE <http://example.org/> { ?s ?p ?o } }", False),
    ],
)
def test_only_what_depends_on_the_default_graph_alone(text: str, answerable: bool) -> None:
    assert precomputable(text) is answerable


def test_the_build_answers_every_query_that_depends_on_the_default_graph(
    built_dist: Path, served: OxigraphStore
) -> None:
    manifest = json.loads((built_dist / "manifest.json").read_text())
    listed = {entry["query"] for entry in manifest["answers"]["queries"]}
    expected = {
        path.relative_to(PROJECT_ROOT).as_posix()
        for path in QUERIES
        if path.parent.name in ("queries", "compare") and precomputable(path.read_text())
    }
    assert listed == expected and listed
    assert len(served.precomputed) == len(listed)


@pytest.mark.parametrize("path", QUERIES, ids=lambda path: path.stem)
def test_a_precomputed_answer_is_the_stores_in_every_format(
    served: OxigraphStore, path: Path
) -> None:
    text = f"BASE <{served.base_iri}>\n{path.read_text(encoding='utf-8')}"
    answering = PrecomputedStore(served, served.precomputed)
    result = answering.query(text)
    if not precomputable(text):
        assert not isinstance(result, PrecomputedSolutions)
        return
    assert isinstance(result, PrecomputedSolutions)
    for serialisation in RESULTS_SERIALISATIONS:
        evaluated = served.query(text)
        assert isinstance(evaluated, Solutions)
        assert result.serialise(serialisation) == evaluated.serialise(serialisation)
    evaluated = served.query(text)
    assert isinstance(evaluated, Solutions)
    assert result.serialise(SPARQL_JSON, max_rows=1) == evaluated.serialise(SPARQL_JSON, max_rows=1)
    assert result.truncated == evaluated.truncated


def test_a_query_with_a_dataset_or_unknown_is_evaluated(served: OxigraphStore) -> None:
    text = (PROJECT_ROOT / "queries" / "councils.rq").read_text(encoding="utf-8")
    answering = PrecomputedStore(served, served.precomputed)
    assert isinstance(answering.query(text), PrecomputedSolutions)
    given = answering.query(text, default_graph_uris=[served.base_iri + "dataset"])
    assert not isinstance(given, PrecomputedSolutions)
    assert not isinstance(answering.query(text + " LIMIT 1"), PrecomputedSolutions)


def test_they_are_a_cache_the_setting_turns_off(built_dist: Path) -> None:
    def layers(environ: dict[str, str]) -> list[str]:
        store: object = open_store(Settings.load(environ=environ, dist=str(built_dist)))
        found = []
        while store is not None:
            found.append(type(store).__name__)
            store = getattr(store, "inner", None)
        return found

    assert "PrecomputedStore" in layers({}) and "CachingStore" in layers({})
    assert "PrecomputedStore" not in layers({"IPRKG_QUERY_CACHE_MB": "0"})
    assert CachingStore.__name__ not in layers({"IPRKG_QUERY_CACHE_MB": "0"})


def test_a_damaged_answer_file_is_not_used(
    built_dist: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "dist"
    shutil.copytree(built_dist, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    entry = next(e for e in manifest["answers"]["queries"] if e["query"] == "queries/councils.rq")
    damaged = copy / entry["path"]
    damaged.chmod(0o644)
    damaged.write_bytes(b'{"head":{"vars":[]},"results":{"bindings":[]}}')
    store = OxigraphStore.from_dist(copy)
    answering = PrecomputedStore(store, store.precomputed)
    text = (PROJECT_ROOT / "queries" / "councils.rq").read_text(encoding="utf-8")
    result = answering.query(text)
    assert not isinstance(result, PrecomputedSolutions), "evaluated instead"
    assert f"not using {damaged.resolve()}: changed" in capfd.readouterr().err


def test_an_answer_over_the_limit_is_refused_without_evaluating_it(
    served: OxigraphStore,
) -> None:
    text = (PROJECT_ROOT / "queries" / "councils.rq").read_text(encoding="utf-8")
    listed = {key(text, served.base_iri): Precomputed(None, "", 100 * 1024 * 1024, 5000)}
    answering = PrecomputedStore(served, listed)
    result = answering.query(text)
    assert isinstance(result, Solutions)
    with pytest.raises(AnswerTooLarge, match="larger than the limit of 64 MB"):
        result.serialise(SPARQL_JSON, 64 * 1024 * 1024)
    cut = answering.query(text)
    assert isinstance(cut, Solutions)
    assert json.loads(cut.serialise(SPARQL_JSON, 64 * 1024 * 1024, 2))["results"]["bindings"]
    assert cut.truncated, "cut at max_rows: evaluated"


def test_the_answer_cache_keeps_no_copy_of_an_answer_as_built(served: OxigraphStore) -> None:
    text = (
        f"BASE <{served.base_iri}>\n"
        + (PROJECT_ROOT / "queries" / "strategy-overview.rq").read_text()
    )
    caching = CachingStore(PrecomputedStore(served, served.precomputed), 1024 * 1024)
    result = caching.query(text)
    assert isinstance(result, Solutions)
    as_built = result.serialise(SPARQL_JSON)
    assert caching.cache.size == 0, "the build's file is read again, not copied"
    assert caching.query(text).serialise(SPARQL_JSON) == as_built
    converted = caching.query(text).serialise(RESULTS_SERIALISATIONS[-1])
    assert caching.cache.size == len(converted), "another format is kept"
