"""Run one W3C test over the SPARQL 1.1 protocol, as a client would, and judge the answer.

The query goes by POST ``application/sparql-query``. Its dataset is given with the
protocol's own parameters: ``default-graph-uri=`` each qt:data file's URI and
``named-graph-uri=`` each qt:graphData file's URI, in the URL; a query with its own
FROM or FROM NAMED is sent without them, since those parameters would override it.
A query without BASE gets ``BASE <its file URI>`` in front, so that its relative IRIs
resolve as in the W3C harness.

Evaluation tests ask for the format their expected result is written in (srx, srj,
csv, tsv; Turtle for a graph) and compare the parsed answer with it. Positive syntax
tests must be answered (200), negative ones refused as malformed (400, ``bad-query``).
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from rdflib import Graph

from iprkg.engine.query_text import keywords_only
from support.w3c.manifest import W3cTest, file_path
from support.w3c.results import (
    RESULT_FORMATS,
    Answer,
    difference,
    parse_graph,
    parse_results,
    read_expected,
)

TURTLE = "text/turtle"
JSON = "application/sparql-results+json"
SPARQL_QUERY = "application/sparql-query"
ERROR_JSON = "application/json"
"""Asked for by negative syntax tests: errors then say their kind (``bad-query``)."""
TIMEOUT_SECONDS = 30
SHOWN_BODY = 300
"""How much of an unexpected response body a failure message quotes."""

_BASE = re.compile(r"(?<![\w?$:])BASE(?![\w:-])", re.IGNORECASE)
_FROM = re.compile(r"(?<![\w?$:])FROM(?![\w:-])", re.IGNORECASE)


@dataclass(frozen=True)
class Outcome:
    """Whether the endpoint passed a test; ``detail`` says what went wrong if not."""

    passed: bool
    detail: str = ""


@dataclass(frozen=True)
class Response:
    status: int
    media_type: str
    body: bytes

    def quoted(self) -> str:
        text = self.body[:SHOWN_BODY].decode("utf-8", "replace").strip()
        return f"{self.status} {self.media_type}: {text}"


def run(test: W3cTest, endpoint: str) -> Outcome:
    """Send ``test`` to the SPARQL ``endpoint`` and judge the response."""
    if test.kind == "evaluation":
        return evaluate(test, endpoint)
    if test.kind == "positive-syntax":
        response = post_query(endpoint, query_text(test), [], accept=None)
        if response.status == 200:
            return Outcome(True)
        return Outcome(False, f"a valid query was not answered: {response.quoted()}")
    response = post_query(endpoint, query_text(test), [], accept=ERROR_JSON)
    if response.status == 400 and error_kind(response) == "bad-query":
        return Outcome(True)
    return Outcome(False, f"a malformed query was not refused as one: {response.quoted()}")


def error_kind(response: Response) -> str | None:
    """The ``error`` of a JSON error body (see iprkg.core.errors), if it is one."""
    try:
        body = json.loads(response.body)
    except ValueError:
        return None
    return body.get("error") if isinstance(body, dict) else None


def evaluate(test: W3cTest, endpoint: str) -> Outcome:
    if test.result is None:
        return Outcome(False, "the manifest gives no mf:result")
    result = file_path(test.result)
    expected = read_expected(result, test.result)
    extension = result.suffix.removeprefix(".")
    if extension in RESULT_FORMATS:
        accept = RESULT_FORMATS[extension][0]
    else:
        accept = TURTLE if isinstance(expected, Graph) else JSON
    text = query_text(test)
    parameters = [] if has_dataset_clause(text) else dataset_parameters(test)
    response = post_query(endpoint, text, parameters, accept)
    if response.status != 200:
        return Outcome(False, f"not answered: {response.quoted()}")
    if response.media_type != accept:
        return Outcome(False, f"asked for {accept}, got {response.media_type}")
    try:
        actual = parse_answer(response.body, accept, endpoint)
    except Exception as error:  # any parser failure is the answer's fault
        return Outcome(False, f"the {accept} answer does not parse: {error}")
    problem = difference(expected, actual)
    return Outcome(problem is None, problem or "")


def parse_answer(body: bytes, media_type: str, base: str) -> Answer:
    if media_type == TURTLE:
        return parse_graph(body, "turtle", base)
    extension = next(ext for ext, (mt, _) in RESULT_FORMATS.items() if mt == media_type)
    return parse_results(body, extension)


def query_text(test: W3cTest) -> str:
    """The test's query, with ``BASE <query file URI>`` in front if it has no BASE."""
    text = file_path(test.query).read_text(encoding="utf-8")
    if _BASE.search(keywords_only(text)):
        return text
    return f"BASE <{test.query}>\n{text}"


def has_dataset_clause(text: str) -> bool:
    """True when the query says its own dataset (FROM or FROM NAMED)."""
    return _FROM.search(keywords_only(text)) is not None


def dataset_parameters(test: W3cTest) -> list[tuple[str, str]]:
    return [("default-graph-uri", uri) for uri in test.data] + [
        ("named-graph-uri", uri) for uri in test.graph_data
    ]


def post_query(
    endpoint: str, text: str, parameters: list[tuple[str, str]], accept: str | None
) -> Response:
    """POST ``text`` as application/sparql-query, ``parameters`` in the URL."""
    url = f"{endpoint}?{urllib.parse.urlencode(parameters)}" if parameters else endpoint
    headers = {"Content-Type": SPARQL_QUERY}
    if accept is not None:
        headers["Accept"] = accept
    request = urllib.request.Request(url, data=text.encode("utf-8"), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
            return Response(answer.status, answer.headers.get_content_type(), answer.read())
    except urllib.error.HTTPError as error:
        with error:
            return Response(error.code, error.headers.get_content_type(), error.read())
