"""The answer cache: the same bytes as the store, computed once, bounded, errors not kept."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from iprkg.core.errors import BadQuery
from iprkg.core.formats import N_TRIPLES, SPARQL_CSV, SPARQL_JSON, TURTLE
from iprkg.core.settings import Settings, SettingsError
from iprkg.engine.answers import QueryResult, Solutions, Triples
from iprkg.engine.oxigraph_store import OxigraphStore
from iprkg.engine.query_cache import ByteBoundedCache, CachingStore, normalised, uncached
from iprkg.engine.store import LABELS
from iprkg.web.app import create_app, open_store
from iprkg.web.response_cache import ResponseCache
from support.live import serving

COUNCIL = "https://w3id.org/iprkg/council/nome-midt-telemark"
SELECT = "SELECT ?s WHERE { ?s a <ontology#RegionalCouncil> } ORDER BY ?s"
CONSTRUCT = "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } ORDER BY ?s LIMIT 5"


class CountingStore:
    """An OxigraphStore that counts the queries and descriptions it evaluates."""

    def __init__(self, inner: OxigraphStore) -> None:
        self.inner = inner
        self.queries = 0
        self.descriptions = 0

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    def query(
        self,
        text: str,
        base_iri: str | None = None,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
    ) -> QueryResult:
        self.queries += 1
        return self.inner.query(text, base_iri, default_graph_uris, named_graph_uris)

    def describe(self, iri: str) -> Triples:
        self.descriptions += 1
        return self.inner.describe(iri)


@pytest.fixture
def counting(store: OxigraphStore) -> CountingStore:
    return CountingStore(store)


@pytest.fixture
def cached(counting: CountingStore) -> CachingStore:
    return CachingStore(counting, 1024 * 1024)  # type: ignore[arg-type]


def test_a_cached_answer_is_the_stores_answer_in_every_format(
    store: OxigraphStore, cached: CachingStore
) -> None:
    for serialisation in (SPARQL_JSON, SPARQL_CSV):
        answer = store.query(SELECT)
        assert isinstance(answer, Solutions)
        expected = answer.serialise(serialisation)
        first, again = cached.query(SELECT), cached.query(f"\r\n  {SELECT}\n")
        assert isinstance(first, Solutions) and isinstance(again, Solutions)
        assert first.serialise(serialisation) == expected
        assert again.serialise(serialisation) == expected
    triples = cached.query(CONSTRUCT)
    assert isinstance(triples, Triples)
    assert triples.serialise(TURTLE) == store.query(CONSTRUCT).serialise(TURTLE)  # type: ignore[arg-type]


def test_the_same_query_is_evaluated_once_per_format(
    counting: CountingStore, cached: CachingStore
) -> None:
    for _ in range(3):
        cached.query(SELECT).serialise(SPARQL_JSON)  # type: ignore[arg-type]
    assert counting.queries == 1
    cached.query(SELECT).serialise(SPARQL_CSV)  # type: ignore[arg-type]
    assert counting.queries == 2, "another format is serialised from a fresh evaluation"
    for _ in range(3):
        cached.describe(COUNCIL).serialise(N_TRIPLES)
    assert counting.descriptions == 1


def test_the_key_holds_base_and_dataset(counting: CountingStore, cached: CachingStore) -> None:
    cached.query(SELECT).serialise(SPARQL_JSON)  # type: ignore[arg-type]
    cached.query(SELECT, base_iri="http://example.org/").serialise(SPARQL_JSON)  # type: ignore[arg-type]
    cached.query(SELECT, default_graph_uris=["http://example.org/g"]).serialise(SPARQL_JSON)  # type: ignore[arg-type]
    assert counting.queries == 3
    empty = cached.query(SELECT, default_graph_uris=["http://example.org/g"])
    assert json.loads(empty.serialise(SPARQL_JSON))["results"]["bindings"] == []  # type: ignore[arg-type]


def test_a_bad_query_is_refused_each_time_and_not_kept(cached: CachingStore) -> None:
    for _ in range(2):
        with pytest.raises(BadQuery):
            cached.query("SELECT WHERE {")
    assert cached.cache.size == 0


def test_the_cache_holds_no_more_than_its_bound() -> None:
    cache: ByteBoundedCache[bytes] = ByteBoundedCache(100)
    for number in range(10):
        cache.put(("k", number), b"x" * 20, 20)
    assert cache.size == 100
    assert cache.get(("k", 0)) is None, "least recently used first out"
    assert cache.get(("k", 9)) == b"x" * 20
    cache.put(("big",), b"x" * 51, 51)
    assert cache.get(("big",)) is None, "an answer over half the bound is not kept"
    cache.put(("half",), b"x" * 50, 50)
    assert cache.get(("half",)) == b"x" * 50


def test_normalised_keys() -> None:
    assert normalised("  ASK {}\r\n") == normalised("ASK {}") == "ASK {}"


def test_the_setting_turns_the_cache_on_and_off(built_dist: Path) -> None:
    on = open_store(Settings.load(environ={}, dist=str(built_dist)))
    off = open_store(Settings.load(environ={"IPRKG_QUERY_CACHE_MB": "0"}, dist=str(built_dist)))
    assert isinstance(on, CachingStore)
    assert not isinstance(off, CachingStore) and type(off).__name__ == "IsolatedStore"
    with pytest.raises(SettingsError, match="IPRKG_QUERY_CACHE_MB must be a whole number"):
        Settings.load(environ={"IPRKG_QUERY_CACHE_MB": "lots"})


def test_the_app_answers_the_same_with_and_without_the_cache(
    store: OxigraphStore, cached: CachingStore
) -> None:
    plain = create_app({"TESTING": True, "IPRKG_STORE": store}).test_client()
    caching = create_app({"TESTING": True, "IPRKG_STORE": cached}).test_client()
    for path in ("/sparql?query=" + SELECT, "/council/nome-midt-telemark.ttl", "/compare"):
        for _ in range(2):
            assert caching.get(path).data == plain.get(path).data, path


def test_a_read_its_reader_keeps_is_not_kept_in_the_cache_too(
    store: OxigraphStore, cached: CachingStore
) -> None:
    assert solved_json(uncached(cached), SELECT) == solved_json(store, SELECT)
    assert cached.cache.size == 0, "kept by its reader, not here"
    assert uncached(store) is store, "a store without a cache is itself"


def test_the_pages_readings_of_the_whole_store_leave_the_cache_to_answers(
    store: OxigraphStore,
) -> None:
    cached = CachingStore(store, 64 * 1024 * 1024)  # room for every label many times over
    client = create_app({"TESTING": True, "IPRKG_STORE": cached}).test_client()
    assert client.get("/council/nome-midt-telemark.html").status_code == 200
    kept = [key for key in cached.cache._entries if normalised(LABELS) in key]
    assert kept == [], "the labels are kept by the pages (context.labels), once"
    assert cached.cache.size > 0, "the page's own questions are kept as before"


def solved_json(store: object, text: str) -> bytes:
    result = store.query(text)  # type: ignore[attr-defined]
    assert isinstance(result, Solutions)
    return result.serialise(SPARQL_JSON)


@pytest.mark.slow
def test_several_workers_answer_over_http(built_dist: Path) -> None:
    import urllib.parse
    import urllib.request

    with serving(["--dist", str(built_dist), "--workers", "2"]) as url:
        query = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
        for _ in range(6):  # more requests than workers: each worker answers some
            with urllib.request.urlopen(f"{url}?{query}", timeout=30) as response:
                assert json.load(response)["boolean"] is True


# ---------------------------------------------------------------- whole responses


class CountingApp:
    """A WSGI app answering with the request's Accept, marked as the test says."""

    def __init__(self, status: str = "200 OK", control: str = "public", vary: str = "Accept"):
        self.calls = 0
        self.status, self.control, self.vary = status, control, vary

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        self.calls += 1
        body = f"{environ.get('HTTP_ACCEPT', '')} #{self.calls}".encode()
        headers = [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))]
        headers += [("Cache-Control", self.control), ("Vary", self.vary)]
        start_response(self.status, headers)
        return [body]


def call(app: Any, method: str = "GET", path: str = "/a", **headers: str) -> tuple[str, bytes]:
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "wsgi.url_scheme": "http"}
    environ |= {f"HTTP_{name.upper()}": value for name, value in headers.items()}
    started: list[str] = []
    body = b"".join(app(environ, lambda status, headers, exc=None: started.append(status)))
    return started[0], body


def test_a_kept_response_is_served_again_per_varied_header() -> None:
    inner = CountingApp()
    app = ResponseCache(inner, 1024 * 1024)
    assert call(app, accept="text/turtle") == ("200 OK", b"text/turtle #1")
    assert call(app, accept="text/turtle") == ("200 OK", b"text/turtle #1")
    assert call(app, accept="text/html") == ("200 OK", b"text/html #2"), "Vary: Accept"
    assert call(app, path="/b", accept="text/turtle") == ("200 OK", b"text/turtle #3")
    assert call(app, "HEAD", accept="text/turtle") == ("200 OK", b"")
    assert inner.calls == 3


def test_a_see_other_is_kept_like_an_ok() -> None:
    inner = CountingApp("303 SEE OTHER")
    app = ResponseCache(inner, 1024 * 1024)
    assert call(app, accept="text/html") == call(app, accept="text/html")
    assert call(app, accept="text/turtle")[1] == b"text/turtle #2", "Vary: Accept"
    assert inner.calls == 2


@pytest.mark.parametrize(
    ("status", "control", "vary"),
    [
        ("404 NOT FOUND", "public", "Accept"),
        ("302 FOUND", "public", ""),
        ("200 OK", "no-store", ""),
        ("200 OK", "public", "*"),
    ],
)
def test_what_http_does_not_let_a_shared_cache_keep_is_not_kept(
    status: str, control: str, vary: str
) -> None:
    inner = CountingApp(status, control, vary)
    app = ResponseCache(inner, 1024 * 1024)
    call(app), call(app)
    assert inner.calls == 2


@pytest.mark.parametrize(
    ("method", "headers"),
    [
        ("POST", {}),
        ("GET", {"if_modified_since": "Mon, 01 Jan 2001 00:00:00 GMT"}),
        ("GET", {"authorization": "Basic eA=="}),
    ],
)
def test_posts_conditional_and_credentialed_requests_go_to_the_app(
    method: str, headers: dict[str, str]
) -> None:
    inner = CountingApp()
    app = ResponseCache(inner, 1024 * 1024)
    call(app)
    call(app, method, **headers)
    assert inner.calls == 2


def test_if_none_match_is_answered_from_a_kept_response() -> None:
    def tagged(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response(
            "200 OK",
            [("Cache-Control", "public"), ("ETag", '"v1"'), ("Content-Type", "text/plain")],
        )
        return [b"body"]

    app = ResponseCache(tagged, 1024 * 1024)
    assert call(app, if_none_match='"v1"') == ("200 OK", b"body"), "not kept yet: the app's"
    call(app)
    assert call(app, if_none_match='"v0", W/"v1"') == ("304 NOT MODIFIED", b"")
    assert call(app, if_none_match="*") == ("304 NOT MODIFIED", b"")
    assert call(app, if_none_match='"v0"') == ("200 OK", b"body")


@pytest.mark.parametrize(
    "headers",
    [
        {"Accept": "text/html", "Accept-Language": "en"},
        {"Accept": "text/html", "Accept-Language": "nb"},
        {"Accept": "text/turtle", "Accept-Encoding": "gzip"},
        {"Accept": "application/ld+json"},
    ],
)
def test_the_app_with_its_response_cache_answers_as_without(
    store: OxigraphStore, headers: dict[str, str]
) -> None:
    environ = {"IPRKG_QUERY_CACHE_MB": "0"}
    plain = create_app(
        {"TESTING": True, "IPRKG_STORE": store, "IPRKG_SETTINGS": Settings.load(environ=environ)}
    ).test_client()
    caching = create_app({"TESTING": True, "IPRKG_STORE": store}).test_client()
    for path in ("/council/nome-midt-telemark", "/council/nome-midt-telemark.ttl", "/", "/compare"):
        expected = plain.get(path, headers=headers)
        for _ in range(2):
            got = caching.get(path, headers=headers)
            assert (got.status_code, got.data) == (expected.status_code, expected.data), path
            undated = [(n, v) for n, v in got.headers if n != "Date"]
            assert undated == [(n, v) for n, v in expected.headers if n != "Date"], path
            assert ("Date" in got.headers) == ("Date" in expected.headers), path
        tag = {"If-None-Match": expected.headers.get("ETag", '"none"')}
        expected = plain.get(path, headers={**headers, **tag})
        got = caching.get(path, headers={**headers, **tag})
        assert (got.status_code, got.data) == (expected.status_code, expected.data), path
        undated = [(n, v) for n, v in got.headers if n != "Date"]
        assert undated == [(n, v) for n, v in expected.headers if n != "Date"], path


def test_a_kept_response_is_sent_with_the_date_it_is_sent_at() -> None:
    old = "Mon, 01 Jan 2001 00:00:00 GMT"

    def dated_app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("200 OK", [("Cache-Control", "public"), ("Date", old)])
        return [b"x"]

    app = ResponseCache(dated_app, 1024 * 1024)
    sent: list[list[tuple[str, str]]] = []
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/"}
    for _ in range(2):
        b"".join(app(environ, lambda status, headers, exc=None: sent.append(headers)))
    assert dict(sent[0])["Date"] == old
    assert dict(sent[1])["Date"] not in ("", old)


def test_the_date_of_a_kept_response_is_written_once_a_second(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from iprkg.web import response_cache

    clock = iter([1_000_000_000.2, 1_000_000_000.9, 1_000_000_001.0])
    monkeypatch.setattr(response_cache, "time", SimpleNamespace(time=lambda: next(clock)))
    first, same, next_second = (response_cache.dated([])[0][1] for _ in range(3))
    assert first == same == "Sun, 09 Sep 2001 01:46:40 GMT"
    assert next_second == "Sun, 09 Sep 2001 01:46:41 GMT"
    assert response_cache.dated([("A", "b")], dated=False) == [("A", "b")]


def test_memory_is_given_back_after_a_request_that_grew_the_worker(
    store: OxigraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from iprkg.core import memory

    trims: list[int] = []
    monkeypatch.setattr(memory, "malloc_trim", lambda: trims.append)
    sizes = iter([100, 100, 100 + memory.TRIM_AFTER_BYTES + 1, 100, 100, 101])
    monkeypatch.setattr(memory, "resident_bytes", lambda: next(sizes))
    client = client_without_caches(store)
    client.get("/sparql", query_string={"query": SELECT})  # grew past the threshold
    assert trims == [0]
    client.get("/sparql", query_string={"query": SELECT})  # grew by a byte
    assert trims == [0]


def client_without_caches(store: OxigraphStore) -> Any:
    settings = Settings.load(environ={"IPRKG_QUERY_CACHE_MB": "0"})
    return create_app(
        {"TESTING": True, "IPRKG_STORE": store, "IPRKG_SETTINGS": settings}
    ).test_client()


def test_a_response_too_large_to_keep_is_passed_on_as_the_app_sends_it() -> None:
    def parts() -> Iterator[bytes]:
        yield from (b"x" * 1024 for _ in range(1024))

    sent = parts()

    def large_app(environ: dict[str, Any], start_response: Any) -> Iterator[bytes]:
        headers = [("Cache-Control", "public"), ("Content-Length", str(1024 * 1024))]
        start_response("200 OK", headers)
        return sent

    app = ResponseCache(large_app, 1024 * 1024)  # keeps nothing over 512 KB
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/"}
    assert app(environ, lambda status, headers, exc=None: None) is sent, "not joined"
