"""Fuzzing every route: whatever a client sends, the server answers in time and in shape.

Hypothesis sends generated and mutated requests (strategies in ``fuzz_strategies``) to
the app serving the real built data, in-process through the WSGI environ as the server
would hand them over: SPARQL queries (the ones in queries/ mutated, and ones generated
from a small grammar) by GET, POST form and POST application/sparql-query; Accept,
Accept-Language and Accept-Encoding headers, valid and broken; paths under every prefix,
percent-encoded or raw, with dot segments, empty segments, long segments and odd
Unicode; every method with bodies of any type, conditional and CORS headers. Each
answer must

* come within ``HANG_SECONDS`` (else the test fails saying which request hung), and
  within the profile's deadline per example;
* not be a 5xx;
* carry no traceback, no ``File "…", line N`` and, in an error, no Python exception
  class name;
* if it is an error (4xx), be in the one error shape of ``iprkg.core.errors``: text/plain
  ``NNN Phrase: message``, JSON ``{status, error, message}`` or the HTML error page (or,
  for a 404 of a resource asked for as RDF, an empty graph in that format).

Two profiles:

* ``make test`` (``pytest tests/web/test_fuzz.py``): ``iprkg-bounded``, ``BOUNDED_EXAMPLES``
  examples per test, derandomised (the same examples on every run, so CI is
  reproducible), no example database; the whole file takes seconds.
* ``make fuzz``: ``iprkg-fuzz``, when ``IPRKG_FUZZ_EXAMPLES`` is set (``make fuzz``
  sets 5000): that many examples per test, from a random seed that ``make fuzz``
  prints; ``make fuzz IPRKG_FUZZ_SEED=N`` runs the same examples again. About ten
  minutes. Still no example database: a failure is reported with its request spelled
  out, to be kept as a plain regression test below.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import timedelta
from http import HTTPStatus
from pathlib import Path
from urllib.parse import unquote_to_bytes

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.test import TestResponse

from iprkg.core.settings import Settings
from iprkg.engine.oxigraph_store import OxigraphStore
from iprkg.engine.query_cache import CachingStore
from iprkg.web.app import create_app
from support.fuzz_strategies import (
    Request,
    any_request,
    generated_query,
    headers,
    mutated_query,
    query_string,
    raw_bytes,
    raw_path,
    sparql_request,
)

BOUNDED_EXAMPLES = 40
FUZZ_EXAMPLES = int(os.environ.get("IPRKG_FUZZ_EXAMPLES") or 0)
HANG_SECONDS = 30.0
"""A request still unanswered after this long hangs: the test fails naming it."""

settings.register_profile(
    "iprkg-bounded",
    max_examples=BOUNDED_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=timedelta(seconds=5),
    print_blob=False,
)
settings.register_profile(
    "iprkg-fuzz",
    max_examples=max(FUZZ_EXAMPLES, 1),
    derandomize=False,
    database=None,
    deadline=timedelta(seconds=5),
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
FUZZ = settings.get_profile("iprkg-fuzz" if FUZZ_EXAMPLES else "iprkg-bounded")
"""The settings every property test here uses; loading no profile globally."""

RDF_NOT_FOUND_TYPES = {
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
}
"""A resource's 404 may be an empty graph in the RDF format asked for."""
TRACEBACK = re.compile(rb'Traceback \(most recent call last\)|File "[^"\n]*", line \d+')
EXCEPTION_NAME = re.compile(
    r"\b(?:[A-Z][A-Za-z]*(?:Error|Exception|Warning)|StopIteration|KeyboardInterrupt)\b"
)
ERROR_KIND = re.compile(r"[a-z]+(?:-[a-z]+)*")


@pytest.fixture(scope="module")
def fuzz_app(store: OxigraphStore) -> Flask:
    """The app on the real built data as ``iprkg serve`` runs it (answers kept by the
    query cache too), shared by every example (a hypothesis test must not use a
    function-scoped fixture), warmed up so that no example pays for first use."""
    cached = CachingStore(store, Settings.load(environ={}).query_cache_mb * 1024 * 1024)
    app = create_app({"TESTING": True, "IPRKG_STORE": cached})
    client = app.test_client()
    for url in ("/", "/compare", "/sparql", "/ontology", "/council/nome-midt-telemark.html"):
        client.get(url, headers={"Accept": "text/html"})
    return app


# ---------------------------------------------------------------------------------------
# Sending a request and judging the answer


def environ_for(request: Request) -> dict[str, str]:
    """The WSGI variables a server sets for ``request``: PATH_INFO percent-decoded to
    bytes then read as latin-1 (PEP 3333), the raw target in RAW_URI and REQUEST_URI."""
    target = raw_bytes(request.path.encode("utf-8", "surrogatepass"))
    if not target.startswith(b"/"):
        target = b"/" + target
    uri = target + (b"?" + request.query_string if request.query_string else b"")
    return {
        "PATH_INFO": unquote_to_bytes(target).decode("latin-1"),
        "QUERY_STRING": request.query_string.decode("latin-1"),
        "RAW_URI": uri.decode("latin-1"),
        "REQUEST_URI": uri.decode("latin-1"),
    }


def send(app: Flask, request: Request) -> tuple[TestResponse, bytes]:
    """Send ``request``; the response and its whole body. Fails if no answer comes within
    ``HANG_SECONDS`` (the request's thread is left behind, a daemon)."""
    outcome: list[tuple[TestResponse, bytes]] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            response = app.test_client().open(
                "/",
                method=request.method,
                headers=request.headers,
                data=request.body,
                environ_overrides=environ_for(request),
            )
            try:
                outcome.append((response, response.get_data()))
            finally:
                response.close()  # as a WSGI server does: closes a static file's handle
        except BaseException as error:  # reported in the test's own thread
            failure.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(HANG_SECONDS)
    if thread.is_alive():
        pytest.fail(f"no answer within {HANG_SECONDS:.0f} s to {request.describe()}")
    if failure:
        raise failure[0]
    return outcome[0]


def check(app: Flask, request: Request) -> TestResponse:
    """Send ``request`` and check every property of its answer; returns the response."""
    response, body = send(app, request)
    status = response.status_code
    where = request.describe()
    assert status < 500, f"{status} for {where}:\n{body[:2000]!r}"
    if response.headers.get("Content-Encoding") == "gzip" and body:
        body = gzip.decompress(body)
    assert not TRACEBACK.search(body), f"a traceback in the answer to {where}:\n{body[:2000]!r}"
    if status >= 400 and request.method != "HEAD":
        check_error_shape(response, body, where)
    return response


def check_error_shape(response: TestResponse, body: bytes, where: str) -> None:
    """The one error shape (``iprkg.core.errors``), or an empty RDF graph for a resource's 404."""
    status = response.status_code
    phrase = HTTPStatus(status).phrase
    mimetype = response.mimetype
    text = body.decode("utf-8")
    assert not EXCEPTION_NAME.search(text), f"an exception's name in the answer to {where}: {text}"
    if mimetype == "text/plain":
        assert re.fullmatch(rf"{status} {re.escape(phrase)}: .+\n", text, re.DOTALL), (
            f"not 'NNN Phrase: message' for {where}: {text!r}"
        )
    elif mimetype == "application/json":
        error = json.loads(text)
        assert set(error) == {"status", "error", "message"}, f"{where}: {error}"
        assert error["status"] == status and isinstance(error["message"], str), where
        assert ERROR_KIND.fullmatch(error["error"]), f"{where}: {error}"
    elif mimetype == "text/html":  # the error page, or the query page showing the error
        assert f"<h1>{status} {phrase}</h1>" in text or (
            f'data-status="{status}"' in text and 'id="query-problem"' in text
        ), f"not the error page for {where}: {text}"
    else:
        assert status == 404 and mimetype in RDF_NOT_FOUND_TYPES, (
            f"{status} as {response.content_type} for {where}: {text[:500]!r}"
        )


# ---------------------------------------------------------------------------------------
# The properties


@FUZZ
@given(request=sparql_request(mutated_query()))
def test_mutated_queries_never_fail_the_server(fuzz_app: Flask, request: Request) -> None:
    check(fuzz_app, request)


@FUZZ
@given(request=sparql_request(generated_query()))
def test_generated_queries_never_fail_the_server(fuzz_app: Flask, request: Request) -> None:
    check(fuzz_app, request)


PAGES = (
    "/",
    "/sparql",
    "/council/nome-midt-telemark",
    "/council/nome-midt-telemark.html",
    "/strategy/nome-midt-telemark-2022-2035",
    "/ontology",
    "/resource?iri=http%3A%2F%2Fmetadata.un.org%2Fsdg%2F3",
    "/compare",
    "/compare/themes.csv",
    "/catalog",
    "/.well-known/void",
    "/dumps/iprkg.ttl",
    "/dumps/iprkg.nt.gz",
    "/context.jsonld",
    "/council/nowhere",
    "/sparql?query=ASK%20%7B%7D",
    "/sparql?query=CONSTRUCT%20WHERE%20%7B%3Fs%20a%20%3Fo%7D%20LIMIT%203",
    "/static/iprkg.css",
    "/no/such/path",
)


@FUZZ
@given(
    page=st.sampled_from(PAGES),
    method=st.sampled_from(("GET", "HEAD", "OPTIONS")),
    request_headers=headers(),
)
def test_any_headers_on_every_route(
    fuzz_app: Flask, page: str, method: str, request_headers: dict[str, str]
) -> None:
    path, _, query = page.partition("?")
    check(fuzz_app, Request(method, path, query.encode("ascii"), request_headers))


@FUZZ
@given(
    path=raw_path(),
    method=st.sampled_from(("GET", "HEAD")),
    request_headers=headers(),
    parameters=st.lists(
        st.tuples(st.sampled_from(("format", "lang", "iri", "council", "like")), st.text()),
        max_size=3,
    ),
)
def test_any_path_under_every_prefix(
    fuzz_app: Flask,
    path: str,
    method: str,
    request_headers: dict[str, str],
    parameters: list[tuple[str, str]],
) -> None:
    check(fuzz_app, Request(method, path, query_string(parameters, "quote"), request_headers))


@FUZZ
@given(request=any_request())
def test_any_method_body_and_parameters(fuzz_app: Flask, request: Request) -> None:
    check(fuzz_app, request)


# ---------------------------------------------------------------------------------------
# Regressions: what fuzzing found, kept as plain tests

CRASH_PROGRAM = """
import sys
from pathlib import Path

from iprkg.web.app import create_app
from iprkg.engine.oxigraph_store import OxigraphStore

app = create_app({"TESTING": True, "IPRKG_STORE": OxigraphStore.from_dist(Path(sys.argv[1]))})
response = app.test_client().post(
    "/sparql", data=sys.stdin.read(), content_type="application/sparql-query"
)
print(response.status_code, response.get_data(as_text=True).strip())
"""


InSubprocess = Callable[..., tuple[int | None, str]]


@pytest.fixture(scope="module")
def in_subprocess(built_dist: Path) -> InSubprocess:
    """``in_subprocess(query, timeout=120)`` POSTs a query to /sparql in a fresh Python,
    which a crash (SIGSEGV) cannot take the test run down with and which is killed after
    ``timeout`` seconds; returns (return code, output), the code None if it was killed."""

    def run(query: str, timeout: float = 120) -> tuple[int | None, str]:
        try:
            finished = subprocess.run(
                [sys.executable, "-c", CRASH_PROGRAM, str(built_dist)],
                input=query,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return None, f"no answer within {timeout} s"
        return finished.returncode, (finished.stdout + finished.stderr).strip()

    return run


def test_the_crash_harness_answers_a_shallow_query(
    in_subprocess: InSubprocess,
) -> None:
    """The harness of the next tests works: the same nesting, fifty deep, answers."""
    returncode, output = in_subprocess("SELECT * WHERE " + "{" * 50 + "}" * 50)
    assert (returncode, output) == (0, '200 {"head":{"vars":[]},"results":{"bindings":[{}]}}')


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("SELECT * WHERE " + "{" * 5000 + "}" * 5000, id="groups"),
        pytest.param("SELECT * { " + "OPTIONAL { " * 3000 + "}" * 3001, id="optionals"),
        pytest.param("SELECT (" + "(" * 10000 + "1" + ")" * 10000 + " AS ?x) {}", id="brackets"),
        pytest.param("ASK { FILTER(" + "!" * 10000 + "true) }", id="negations"),
        pytest.param("ASK{FILTER(1" + "+1" * 10000 + ")}", id="sum"),
        pytest.param("ASK{{}" + "UNION{}" * 10000 + "}", id="unions"),
        pytest.param("ASK { " + "MINUS {} " * 3000 + "}", id="minus"),
        pytest.param("ASK{?s <p>" + "|<p>" * 14000 + " ?o}", id="alternative-path"),
    ],
)
def test_a_deeply_nested_query_is_4xx_not_a_crash(in_subprocess: InSubprocess, query: str) -> None:
    """Each query is well under the size limits (IPRKG_MAX_QUERY_CHARS)."""
    returncode, output = in_subprocess(query)
    assert returncode == 0, f"the server process died ({returncode}): {output[-500:]}"
    assert re.match(r"4\d\d ", output), output


def sparql_answer(app: Flask, query: str) -> tuple[int, str]:
    """GET /sparql?query=QUERY through ``send``: the status and the body as text."""
    encoded = query_string([("query", query)], "quote")
    response, body = send(app, Request("GET", "/sparql", encoded, {"Accept": "text/csv, */*"}))
    return response.status_code, body.decode("utf-8")


def test_describe_targets_need_no_space_between_them(fuzz_app: Flask) -> None:
    status, body = sparql_answer(fuzz_app, "DESCRIBE ?x<council/nome-midt-telemark> WHERE {}")
    assert status == 200, body


def test_describe_takes_only_variables_and_iris(fuzz_app: Flask) -> None:
    status, body = sparql_answer(fuzz_app, "DESCRIBE (1+1)")
    assert status == 400, body


def test_a_describe_parse_error_points_into_the_clients_query(fuzz_app: Flask) -> None:
    query = "DESCRIBE <a> WHERE { ?s }"
    status, body = sparql_answer(fuzz_app, query)
    assert status == 400
    position = re.search(r"error at (\d+):(\d+)", body)
    assert position is not None, body
    assert position.group(1) == "1" and int(position.group(2)) <= len(query) + 1, body
