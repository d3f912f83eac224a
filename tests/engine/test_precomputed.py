"""Answers the build computed (``engine.precomputed``, ``build.answers``): the same answers
the store gives, in every format, used only where they are that answer."""

from __future__ import annotations

import gzip
import hashlib
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
from iprkg.web.app import create_app, open_store

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
    unwritten = [e["query"] for e in manifest["answers"]["queries"] if not e.get("path")]
    assert not unwritten, "every answer is written, whatever its size"


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


def large_answer(tmp_path: Path, megabytes: float) -> tuple[Path, bytes]:
    """A SPARQL JSON answer file of about ``megabytes``, and its bytes."""
    rows = [{"n": {"type": "literal", "value": f"{n:08d}" + "x" * 40}} for n in range(30_000)]
    rows = rows[: int(len(rows) * megabytes)]
    body = json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": rows}}).encode()
    path = tmp_path / "iprkg-answer-large.srj"
    path.write_bytes(body)
    return path, body


def test_an_answer_over_the_limit_is_sent_whole_as_sparql_json_from_its_file(
    served: OxigraphStore, tmp_path: Path
) -> None:
    path, body = large_answer(tmp_path, 2.5)
    assert len(body) > 1024 * 1024
    text = (PROJECT_ROOT / "queries" / "councils.rq").read_text(encoding="utf-8")
    rows = len(json.loads(body)["results"]["bindings"])
    answer = Precomputed(path, hashlib.sha256(body).hexdigest(), len(body), rows)
    answering = PrecomputedStore(served, {key(text, served.base_iri): answer})
    settings = Settings.load(environ={"IPRKG_MAX_ANSWER_MB": "1"})
    app = create_app({"TESTING": True, "IPRKG_STORE": answering, "IPRKG_SETTINGS": settings})
    client = app.test_client()
    json_answer = {"Accept": "application/sparql-results+json"}
    for _ in range(2):  # the second from the response cache, if it had kept it
        got = client.get("/sparql", query_string={"query": text}, headers=json_answer)
        assert got.status_code == 200 and got.data == body
        assert got.headers["Content-Length"] == str(len(body))
        assert got.headers["Content-Type"].startswith("application/sparql-results+json")
        assert "public" in got.headers["Cache-Control"]
    again = client.get(
        "/sparql",
        query_string={"query": text},
        headers={**json_answer, "If-None-Match": got.headers["ETag"]},
    )
    assert again.status_code == 304 and again.data == b""
    head = client.head("/sparql", query_string={"query": text}, headers=json_answer)
    assert head.status_code == 200 and head.data == b""
    csv = client.get("/sparql", query_string={"query": text}, headers={"Accept": "text/csv"})
    assert csv.status_code == 422
    assert "as SPARQL JSON it is sent whole" in csv.get_data(as_text=True)


def test_an_answer_is_read_in_parts_from_the_file_opened_and_checked_once(
    tmp_path: Path,
) -> None:
    path, body = large_answer(tmp_path, 0.5)
    answer = Precomputed(path, hashlib.sha256(body).hexdigest(), len(body), 0)
    answer.CHUNK = 4096
    assert answer.usable()
    path.unlink()  # the descriptor kept open still reads the build's file
    parts = list(answer.chunks())
    assert b"".join(parts) == body and len(parts) == -(-len(body) // 4096)
    assert answer.read() == body


def test_an_answer_too_large_for_the_response_cache_is_sent_from_its_file_unless_gzipped(
    served: OxigraphStore, tmp_path: Path
) -> None:
    path, body = large_answer(tmp_path, 0.5)
    text = (PROJECT_ROOT / "queries" / "councils.rq").read_text(encoding="utf-8")
    rows = len(json.loads(body)["results"]["bindings"])
    sha256 = hashlib.sha256(body).hexdigest()
    answering = PrecomputedStore(
        served, {key(text, served.base_iri): Precomputed(path, sha256, len(body), rows)}
    )
    # A response cache of 1 MB keeps bodies of up to 512 kB; the answer is under the limit.
    settings = Settings.load(environ={"IPRKG_QUERY_CACHE_MB": "2", "IPRKG_MAX_ANSWER_MB": "64"})
    assert 512 * 1024 < len(body) < 64 * 1024 * 1024
    app = create_app({"TESTING": True, "IPRKG_STORE": answering, "IPRKG_SETTINGS": settings})
    client = app.test_client()
    plain = client.get(
        "/sparql",
        query_string={"query": text},
        headers={"Accept": "application/sparql-results+json", "Accept-Encoding": "identity"},
    )
    assert plain.status_code == 200 and plain.data == body
    assert plain.headers["ETag"] == f'"{sha256[:32]}"', "sent from the build's file"
    assert "public" in plain.headers["Cache-Control"]
    assert {"Accept", "Accept-Encoding"} <= {
        part.strip() for part in plain.headers["Vary"].split(",")
    }, "a shared cache keeps it apart from the compressed one"
    zipped = client.get(
        "/sparql",
        query_string={"query": text},
        headers={"Accept": "application/sparql-results+json", "Accept-Encoding": "gzip"},
    )
    assert zipped.headers["Content-Encoding"] == "gzip", "compressed the usual way"
    assert gzip.decompress(zipped.data) == body
