"""The SPARQL 1.1 Protocol endpoint at ``/sparql``, for queries: the data are read-only.

A query comes by GET (``?query=``), by POST ``application/x-www-form-urlencoded`` (the
parameters in the body, and in the URL too), or by POST ``application/sparql-query``
(the query is the body, the other parameters in the URL). ``default-graph-uri`` and
``named-graph-uri`` may repeat; once either is given, the dataset is exactly those
graphs. ``release=VERSION`` queries a release instead of the live data: its default graph
is the release's graph (as ``default-graph-uri=`` the release's IRI would make it); with
either of the other two it is a 400, for an unknown version a 404 listing the releases,
and a 400 when the data are at a back end (``--backend``), which holds no releases.
``format`` overrides the Accept header. SELECT and ASK answer in SPARQL JSON
(the default), XML, CSV or TSV; CONSTRUCT and DESCRIBE in Turtle (the default),
N-Triples, JSON-LD, RDF/XML, TriG or N-Quads.

A GET (or HEAD) with none of ``query``, ``update``, ``default-graph-uri`` and
``named-graph-uri`` answers the service description (``service``) in the negotiated RDF
serialisation; a client that prefers text/html to all of them (a browser), or asks for
``format=html``, gets the query page instead (``query_page``); an Accept that takes none
of them nor HTML gets 406 naming them. ``/sparql/editor/<file>`` serves the query page's
editor, where ``make node-deps`` installed it.

Errors (see ``errors``): no ``query``, two of them, ``query`` with ``update``, or bytes
that are not UTF-8: 400; a query that does not parse: 400 with the parser's message; an
update (``update=``, ``application/sparql-update``, or INSERT/DELETE/... as a query):
403; SERVICE: 403; a body of any other type, or in a charset other than UTF-8: 415;
nothing acceptable: 406; a body over IPRKG_MAX_BODY_KB or a query over
IPRKG_MAX_QUERY_CHARS: 413; an answer over IPRKG_MAX_ANSWER_MB: 422 (never cut short).
A SELECT answer over IPRKG_MAX_ROWS solutions holds the first ones and says so in
``X-SPARQL-MaxRows`` and ``Warning``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

from flask import Blueprint, Response, jsonify, request, send_file

from iprkg.core.errors import (
    BadQuery,
    BadRequest,
    IprkgError,
    NotFound,
    QueryTooComplex,
    TooLarge,
    UnsupportedMediaType,
    UpdateRefused,
)
from iprkg.core.formats import RESULTS_SERIALISATIONS, SERIALISATIONS, SPARQL_JSON
from iprkg.core.settings import Settings
from iprkg.engine.answers import Solutions, Triples
from iprkg.engine.precomputed import Precomputed, built_answer
from iprkg.engine.query_cache import keeps
from iprkg.engine.query_text import complexity
from iprkg.services.query_help import Problem, explain, unknown_terms
from iprkg.web.caching import accepts_gzip
from iprkg.web.conneg import F, choose, media_types
from iprkg.web.context import current_context, current_store
from iprkg.web.query_answers import page_answer
from iprkg.web.query_page import (
    EDITOR_FILES,
    editor_folder,
    editor_installed,
    link_too_long,
    naming,
    render_query_page,
    wants_page,
)
from iprkg.web.release_lookup import queryable_release
from iprkg.web.response_cache import response_cache_bytes

blueprint = Blueprint("sparql", __name__)

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
READABLE_BODIES = (FORM, SPARQL_QUERY)
"""The request bodies a query may come in."""
CHARSETS = ("utf-8", "us-ascii")
"""The ``charset`` a request body may declare: the protocol's UTF-8, or its ASCII subset."""
OPERATION_PARAMETERS = ("query", "update", "default-graph-uri", "named-graph-uri", "release")
"""A GET with none of these asks for the service description."""

Parameters = list[tuple[str, str]]


@dataclass(frozen=True)
class QueryRequest:
    """A protocol request for a query, as the client sent it."""

    text: str
    default_graph_uris: tuple[str, ...]
    named_graph_uris: tuple[str, ...]
    formats: tuple[str, ...]
    """The ``format`` parameters, which override the Accept header."""


@blueprint.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    """Answer one SPARQL query in the negotiated serialisation, or describe the service."""
    if request.method in ("GET", "HEAD") and not any(
        key in OPERATION_PARAMETERS for key, _ in decoded_parameters(request.query_string)
    ):
        return service_description()
    if wants_answer_page():
        return answer_page()
    query = query_request()
    store, limits = current_store(), current_settings()
    max_bytes = limits.max_answer_mb * 1024 * 1024
    built = built_answer(store, query.text, query.default_graph_uris, query.named_graph_uris)
    if built is not None and sent_from_file(built, limits, query.formats):
        return file_answer(built, limits)
    result = store.query(
        query.text,
        default_graph_uris=query.default_graph_uris,
        named_graph_uris=query.named_graph_uris,
    )
    if isinstance(result, Triples):
        graph_format = negotiated(SERIALISATIONS, query.formats)
        body, media_type = result.serialise(graph_format, max_bytes), graph_format.media_type
    else:
        results_format = negotiated(RESULTS_SERIALISATIONS, query.formats)
        body = result.serialise(results_format, max_bytes, limits.max_rows)
        media_type = results_format.media_type
    response = Response(body, content_type=content_type(media_type))
    if isinstance(result, Solutions) and result.truncated:
        # Virtuoso's header, which clients know; the answer holds the first max_rows.
        response.headers["X-SPARQL-MaxRows"] = str(limits.max_rows)
        response.headers["Warning"] = (
            f'199 iprkg "answer cut at {limits.max_rows} solutions (IPRKG_MAX_ROWS); '
            'page with LIMIT and OFFSET"'
        )
    return response


def sent_from_file(answer: Precomputed, limits: Settings, formats: Sequence[str]) -> bool:
    """Whether the build's ``answer`` is sent from its file (``file_answer``): asked for
    as SPARQL JSON, the format it is in, whole (not over ``IPRKG_MAX_ROWS``), and either
    over the answer limit, or too large for the response cache to keep and not to be
    compressed (the client takes no gzip), so that no worker holds it whole for one
    request. Other answers go the usual way, through the caches and gzip."""
    max_bytes = limits.max_answer_mb * 1024 * 1024
    whole = not limits.max_rows or answer.rows <= limits.max_rows
    over = bool(max_bytes) and answer.size > max_bytes
    unkept = not keeps(response_cache_bytes(limits), answer.size) and not accepts_gzip()
    return (over or unkept) and whole and negotiated(RESULTS_SERIALISATIONS, formats) == SPARQL_JSON


def file_answer(answer: Precomputed, limits: Settings) -> Response:
    """The build's ``answer`` as its file holds it, read in parts as it is sent: never
    held whole in memory, never compressed; its validator is the file's SHA-256."""
    response = Response(
        answer.chunks(),
        content_type=content_type(SPARQL_JSON.media_type),
        direct_passthrough=True,
    )
    response.content_length = answer.size
    response.vary.add("Accept-Encoding")  # whether it comes from the file depends on it
    if request.method in ("GET", "HEAD"):
        response.set_etag(answer.sha256[:32])
        response.cache_control.public = True
        response.cache_control.max_age = limits.cache_max_age
        response.make_conditional(request.environ)
    return response


def service_description() -> Response:
    """The service description, for the URL this request reached; or the query page."""
    formats = decoded_parameters(request.query_string)
    overrides = tuple(value for key, value in formats if key == "format")
    if wants_page(overrides):
        return Response(render_query_page(), content_type="text/html; charset=utf-8")
    serialisation = negotiated(SERIALISATIONS, overrides)
    body = current_context().service.serialise(request.base_url, serialisation)
    return Response(body, content_type=content_type(serialisation.media_type))


def wants_answer_page() -> bool:
    """True when this query request should get the query page (see the module)."""
    parameters = decoded_parameters(request.query_string)
    if request.method == "POST" and request.mimetype == FORM:
        parameters += decoded_parameters(request.get_data())
    overrides = tuple(value for key, value in parameters if key == "format")
    if not overrides and request.method not in ("GET", "HEAD"):
        return False
    answers = [*media_types(RESULTS_SERIALISATIONS), *media_types(SERIALISATIONS)]
    aliases = [alias for f in RESULTS_SERIALISATIONS for alias in f.aliases]
    return wants_page(overrides, [*answers, *aliases])


def answer_page() -> Response:
    """The query page with the request's query and its answer, or why there is none."""
    text = sent_query_text()
    problem = link_too_long()
    if problem is not None:
        return page_response(text, problem=problem, status=414)
    try:
        query = query_request()
        result = current_store().query(
            query.text,
            default_graph_uris=query.default_graph_uris,
            named_graph_uris=query.named_graph_uris,
        )
        answer = page_answer(result, current_settings(), naming())
    except IprkgError as error:
        if error.status >= 500:
            raise
        return page_response(text, problem=problem_of(error, text), status=error.status)
    warnings = unknown_terms(query.text, current_context().vocabulary)
    return page_response(query.text, answer=answer, warnings=warnings)


def page_response(text: str, status: int = 200, **page: object) -> Response:
    body = render_query_page(text, status=status, **page)  # type: ignore[arg-type]
    return Response(body, status=status, content_type="text/html; charset=utf-8")


def problem_of(error: IprkgError, text: str) -> Problem:
    """An error for people: a parser's message explained, else the error's own."""
    if isinstance(error, BadQuery):
        return explain(error.message, text, current_store().prefixes)
    return Problem(nb=error.message, en=error.message)


def sent_query_text() -> str:
    """The query as sent, read leniently (for the editor, even when the request is bad)."""
    if request.mimetype == SPARQL_QUERY:
        return request.get_data(as_text=True)
    return request.values.get("query", "")


@blueprint.route("/sparql/completions.json")
def completions() -> Response:
    """What the query page's editor completes: prefixes, classes and properties."""
    return jsonify(current_context().vocabulary.completions())


@blueprint.route("/sparql/editor/<name>")
def editor_file(name: str) -> Response:
    """One of the query page's ``EDITOR_FILES``, from the installed package; 404 for
    anything else."""
    if name not in EDITOR_FILES or not editor_installed():
        raise NotFound("no such editor file here (make node-deps installs the editor)")
    path, media_type = EDITOR_FILES[name]
    return send_file(editor_folder() / path, mimetype=media_type)


def current_settings() -> Settings:
    return current_context().settings


def negotiated(candidates: Sequence[F], overrides: Sequence[str]) -> F:
    """The serialisation to answer with; NotAcceptable (406) naming them if none fits."""
    return choose(request.accept_mimetypes, candidates, overrides, "carry this result")


def content_type(media_type: str) -> str:
    """Text formats say their charset; the others are UTF-8 by definition."""
    return f"{media_type}; charset=utf-8" if media_type.startswith("text/") else media_type


def query_request() -> QueryRequest:
    """The query in this request, wherever the protocol lets it be."""
    url_parameters = decoded_parameters(request.query_string)
    if request.method in ("GET", "HEAD"):
        return from_parameters(url_parameters)
    mimetype = request.mimetype
    if mimetype == SPARQL_UPDATE:
        raise UpdateRefused("this endpoint is read-only: updates are refused")
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if mimetype in READABLE_BODIES and charset not in CHARSETS:
        raise UnsupportedMediaType(
            f"cannot read a request body in charset {charset}; send UTF-8",
            [f"{body}; charset=utf-8" for body in READABLE_BODIES],
        )
    if mimetype == FORM:
        return from_parameters(url_parameters + decoded_parameters(request.get_data()))
    if mimetype == SPARQL_QUERY:
        text = utf8(request.get_data(), "the query")
        return from_parameters([*url_parameters, ("query", text)])
    raise UnsupportedMediaType(
        f"cannot read a request body of type {mimetype or '(none)'}", READABLE_BODIES
    )


def from_parameters(parameters: Parameters) -> QueryRequest:
    """Check the protocol's rules on ``query`` and ``update``; collect the rest."""

    def values(name: str) -> tuple[str, ...]:
        return tuple(value for key, value in parameters if key == name)

    queries, updates = values("query"), values("update")
    if queries and updates:
        raise BadRequest("give either query or update, not both")
    if updates:
        raise UpdateRefused("this endpoint is read-only: updates are refused")
    if not queries:
        raise BadRequest("missing the query parameter")
    if len(queries) > 1:
        raise BadRequest(f"the query is given {len(queries)} times; give it once")
    checked(queries[0], current_settings())
    default_graphs, named_graphs = values("default-graph-uri"), values("named-graph-uri")
    releases = values("release")
    if releases and (default_graphs or named_graphs):
        raise BadRequest(
            "give either release or default-graph-uri/named-graph-uri, not both: choose one "
            "(release=VERSION is default-graph-uri=<the release's IRI>)"
        )
    return QueryRequest(
        text=queries[0],
        default_graph_uris=default_graphs or release_graph(releases),
        named_graph_uris=named_graphs,
        formats=values("format"),
    )


def release_graph(versions: tuple[str, ...]) -> tuple[str, ...]:
    """The graph of the release the ``release`` parameter names (none if not given), as
    the dataset's default graph: mapped before the store is asked, so that the answer
    caches key by it."""
    if not versions:
        return ()
    if len(versions) > 1:
        raise BadRequest(f"the release is given {len(versions)} times; give it once")
    return (queryable_release(versions[0]).iri,)


def checked(text: str, limits: Settings) -> None:
    """Refuse a query longer, deeper or more chained than the settings allow."""
    if len(text) > limits.max_query_chars:
        raise TooLarge(
            f"the query has {len(text)} characters, more than the limit of "
            f"{limits.max_query_chars} (IPRKG_MAX_QUERY_CHARS)"
        )
    depth, operators = complexity(text)
    if depth > limits.max_query_depth:
        raise QueryTooComplex(
            f"the query nests {depth} levels deep, more than the limit of "
            f"{limits.max_query_depth} (IPRKG_MAX_QUERY_DEPTH)"
        )
    if operators > limits.max_query_operators:
        raise QueryTooComplex(
            f"the query chains {operators} operators, more than the limit of "
            f"{limits.max_query_operators} (IPRKG_MAX_QUERY_OPERATORS)"
        )


def decoded_parameters(raw: bytes) -> Parameters:
    """``application/x-www-form-urlencoded`` pairs, strictly UTF-8 (else BadRequest).

    Werkzeug's own parser replaces bad bytes silently; the protocol wants a 400.
    """
    pairs: Parameters = []
    for field in raw.split(b"&"):
        if field:
            key, _, value = field.partition(b"=")
            pairs.append((form_decoded(key), form_decoded(value)))
    return pairs


def form_decoded(part: bytes) -> str:
    return utf8(unquote_to_bytes(part.replace(b"+", b" ")), "a parameter")


def utf8(raw: bytes, what: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadRequest(f"{what} is not UTF-8: {error.reason} at byte {error.start}") from error
