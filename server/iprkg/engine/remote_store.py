"""A ``ReadOnlyStore`` answering from a remote SPARQL 1.1 endpoint: ``iprkg serve --backend URL``.

The pages, the comparison and ``/sparql`` use the store interface only, so they run
unchanged on ``RemoteStore``. What it does, and the choices made:

* **Refusals are made here, exactly as ``OxigraphStore`` makes them.** A query is first
  parsed by pyoxigraph on an empty in-memory store (no data, so evaluating costs
  nothing): a malformed query gets the same ``BadQuery`` with the parser's message and
  position, an update the same ``UpdateRefused``, SERVICE the same ``ServicePolicy``
  check, DESCRIBE the same rewriting (``describe_as_select``) and the same description
  (``DESCRIPTION``) of each resource. The remote only ever sees queries that parsed.
* **The remote gets an absolute query.** Relative IRIs resolve against our base IRI, not
  the remote's idea of one: ``BASE <base>`` is put before the query text, which is what
  pyoxigraph's ``base_iri`` means (a ``BASE`` of the query's own resolves against it in
  turn). The local parse has already checked the text, so error positions never refer
  to the prefixed text.
* **Answers pass through in the negotiated format.** ``serialise(format)`` asks the remote
  for that format (``Accept``), checks the ``Content-Type`` it answers with, and reads
  at most ``max_bytes`` of it (``AnswerTooLarge`` as the embedded store says it). Two
  cases are transcoded by pyoxigraph here instead: a SELECT cut at ``max_rows`` (read as
  SPARQL JSON, streaming, and cut by ``Solutions`` itself) and descriptions (read as
  N-Triples and written by ``Triples``, as the embedded store writes its own).
* **The manifest, the dumps and the prefixes come from ``--dist``**, the local copy of
  the build the remote holds: the landing page, VoID, DCAT, the service description,
  ``ETag`` and ``Last-Modified`` all need the manifest, and serving the same responses
  as the embedded store needs the same ones.
* **The graph that holds the build** is found at start-up (``remote_graph``): the named
  graph ``{base}dataset`` that ``iprkg publish`` writes, else the default graph, the
  first whose triple and subject counts are the manifest's; every query is then sent
  with ``default-graph-uri`` naming it (unless the query or the client names a
  dataset), so the graph counted is the graph queried. If none holds the build, or the
  remote cannot be reached, ``StoreError`` (``iprkg serve`` exits 2) saying what to
  publish where. Equal counts with different triples are not detected: comparing
  content would mean reading the whole remote dataset at each start.
* **HTTP**: the one client of ``iprkg.core.http`` (httpx), POSTing the protocol's form
  (``query``, ``default-graph-uri``, ``named-graph-uri``) over kept connections, pooled
  per process (the server forks its workers after the store is opened, so a process never
  uses a connection it inherited); a query that fails as a kept connection the remote
  has closed meanwhile fails is tried once more on a new one (queries are safe to
  repeat). An answer left unread closes its connection.
* **Errors**: a remote that cannot be reached or fails during a request is not the
  client's doing: ``BackendFailed`` (502), with the cause logged, not echoed; a remote
  silent past ``timeout`` seconds (``IPRKG_QUERY_TIMEOUT``): ``BackendTimeout`` (504).

What cannot be the same as with the embedded store:

* Without ORDER BY, solutions and triples come in the remote's storage order. Oxigraph
  server in memory (``oxigraph serve``) gives the embedded store's bytes for every
  answer and page (``tests/engine/test_remote_store.py``); on disk (RocksDB, ``serve-read-only``)
  CONSTRUCT and DESCRIBE answers and the N-Triples, JSON-LD and RDF/XML resource
  documents hold the same graph in another order; the Turtle and HTML pages, the
  comparison, VoID, the catalogue and ordered SELECTs are the same bytes.
* A blank node a DESCRIBE query names cannot be named again in a query to the remote
  (its label is the remote's, and a blank node in a query is a variable): it is left
  out of the answer. The built data have no blank nodes.
* With ``IPRKG_SERVICE_ALLOW`` set, an ASK query's allowed SERVICE is called twice, once
  while it is parsed here (pyoxigraph evaluates ASK at once, on the empty store) and
  once by the remote; the remote's own SERVICE support decides whether the second works.
"""

from __future__ import annotations

import logging
import re
import weakref
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, cast
from urllib.parse import urlencode, urlsplit

import pyoxigraph

from iprkg.artefact.artefact import StoreError, published_files, read_prefixes
from iprkg.artefact.manifest import read_manifest
from iprkg.core.errors import BadRequest, QueryFailed
from iprkg.core.formats import N_TRIPLES, SPARQL_JSON, ResultsSerialisation, Serialisation
from iprkg.core.http import Body, Client, NoAnswer

# The embedded store's answers, limits and refusals, so that they say the same here.
from iprkg.engine.answers import QueryResult, Solutions, Triples, bounded
from iprkg.engine.federation import ServicePolicy
from iprkg.engine.remote_graph import Held, chosen_graph, protocol_dataset
from iprkg.engine.store import (
    BaseStore,
    Resource,
    description_of,
    named_node,
    refused_unless_parsed,
)

log = logging.getLogger(__name__)

FORM = "application/x-www-form-urlencoded"
CHUNK_BYTES = 64 * 1024
"""How much of an answer is read at a time."""
ERROR_BODY_BYTES = 4096
"""How much of a remote's error answer is logged."""

_IRIREF = re.compile(r"[^<>\"{}|^`\\\x00-\x20]*")
"""What SPARQL's IRIREF allows between ``<`` and ``>``."""


class BackendFailed(QueryFailed):
    """The remote SPARQL endpoint cannot be reached, or answered with an error or with
    something else than asked for: not the client's doing, and not ours (502)."""

    status = 502
    kind = "backend-failed"


class BackendTimeout(BackendFailed):
    """The remote SPARQL endpoint did not answer in time (504)."""

    status = 504
    kind = "backend-timeout"


class RemoteSolutions(Solutions):
    """The answer to a SELECT or ASK query, asked of the remote when it is serialised."""

    def __init__(self, store: RemoteStore, request: Sequence[tuple[str, str]], ask: bool) -> None:
        self._store, self._request, self._ask = store, request, ask

    def rows(self) -> Iterator[pyoxigraph.QuerySolution]:
        body = self._store.endpoint.fetch(self._request, SPARQL_JSON.media_type)
        results = _parsed_results(body)
        if isinstance(results, pyoxigraph.QuerySolutions):
            yield from results

    def serialise(
        self, serialisation: ResultsSerialisation, max_bytes: int = 0, max_rows: int = 0
    ) -> bytes:
        endpoint = self._store.endpoint
        if not max_rows or self._ask:
            return endpoint.fetch(self._request, serialisation.media_type, max_bytes)
        with endpoint.stream(self._request, SPARQL_JSON.media_type) as response:
            try:
                results = pyoxigraph.parse_query_results(  # it calls read() only
                    cast(IO[bytes], response), format=SPARQL_JSON.oxigraph_format
                )
                cut = Solutions(results)
                body = cut.serialise(serialisation, max_bytes, max_rows)
            except (QueryFailed, SyntaxError, ValueError, OSError, NoAnswer) as error:
                raise _backend_error(error) from error
        self.truncated = cut.truncated
        return body


class RemoteTriples(Triples):
    """The answer to a CONSTRUCT query, asked of the remote when it is serialised."""

    def __init__(self, store: RemoteStore, request: Sequence[tuple[str, str]]) -> None:
        self._store, self._request = store, request

    def serialise(self, serialisation: Serialisation, max_bytes: int = 0) -> bytes:
        return self._store.endpoint.fetch(self._request, serialisation.media_type, max_bytes)


class Endpoint:
    """A SPARQL 1.1 Protocol endpoint, asked by POST over kept connections, pooled per
    process. Every failure is ``BackendFailed`` or ``BackendTimeout``."""

    def __init__(self, url: str, timeout: float | None = None) -> None:
        parts = urlsplit(url)
        try:
            _port = parts.port
        except ValueError as error:
            raise StoreError(f"the back end {url!r} has a bad port: {error}") from error
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise StoreError(
                f"the back end must be an http(s) URL of a SPARQL endpoint, got {url!r}"
            )
        if parts.username or parts.password or parts.fragment:
            raise StoreError(f"the back end URL may have no user, password or fragment: {url!r}")
        self.url = url
        self._client = Client(timeout)
        weakref.finalize(self, self._client.close)

    def close(self) -> None:
        """Close every connection (the next query opens a new one)."""
        self._client.close()

    def fetch(
        self, request: Sequence[tuple[str, str]], media_type: str, max_bytes: int = 0
    ) -> bytes:
        """The whole answer in ``media_type``; AnswerTooLarge past ``max_bytes`` (0: none)."""
        with self.stream(request, media_type) as response:

            def copy(output: Any, format: Any) -> None:
                while chunk := response.read(CHUNK_BYTES):
                    output.write(chunk)

            try:
                return bounded(copy, None, max_bytes)
            except NoAnswer as error:
                raise _backend_error(error) from error

    @contextmanager
    def stream(self, request: Sequence[tuple[str, str]], media_type: str) -> Iterator[Body]:
        """The answer in ``media_type`` to read (file-like), in a ``with`` block: checked,
        status 200 and the media type asked for."""
        body = urlencode(list(request)).encode()
        headers = {"Accept": media_type, "Content-Type": f"{FORM}; charset=utf-8"}
        try:
            with self._client.open("POST", self.url, headers, body, repeatable=True) as response:
                _check(self.url, response, media_type)
                yield response
        except NoAnswer as error:
            raise _backend_error(error) from error


def _check(url: str, response: Body, media_type: str) -> None:
    """BackendFailed unless ``response`` is a 200 in ``media_type`` (an error is logged)."""
    if response.status != 200:
        try:
            said = response.read(ERROR_BODY_BYTES).decode("utf-8", "replace")
        except NoAnswer:
            said = "(unreadable)"
        log.warning("%s answered %s: %s", url, response.status, said)
        raise BackendFailed(
            f"the SPARQL back end failed to answer (HTTP {response.status}); the error is logged"
        )
    given = response.media_type
    if given != media_type:
        raise BackendFailed(
            f"the SPARQL back end answered {given or '(no type)'} instead of {media_type}"
        )


def _backend_error(error: BaseException) -> BackendFailed:
    """The client's view of a remote failure (the cause is logged with it)."""
    if isinstance(error, BackendFailed):
        return error
    cause = error.__cause__ if isinstance(error, QueryFailed) else error
    if isinstance(cause, NoAnswer) and cause.timed_out:
        return BackendTimeout("the SPARQL back end did not answer in time")
    if isinstance(cause, SyntaxError | ValueError):
        return BackendFailed("the SPARQL back end's answer cannot be read; the error is logged")
    return BackendFailed("the SPARQL back end cannot be reached; the error is logged")


def _parsed_results(body: bytes) -> pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean:
    try:
        return pyoxigraph.parse_query_results(body, format=SPARQL_JSON.oxigraph_format)
    except (SyntaxError, ValueError) as error:
        raise _backend_error(error) from error


class RemoteStore(BaseStore):
    """A ``ReadOnlyStore`` whose data are at a remote SPARQL endpoint (see the module)."""

    _describable = (pyoxigraph.NamedNode,)
    """A blank node cannot be named in a query to the remote (see the module)."""

    def __init__(
        self,
        endpoint: Endpoint,
        base_iri: str,
        summary: str,
        manifest: Mapping[str, Any] | None = None,
        published: Mapping[str, bytes] | None = None,
        prefixes: Mapping[str, str] | None = None,
        service_policy: ServicePolicy | None = None,
        graph: str | None = None,
    ) -> None:
        super().__init__(absolute(base_iri), summary, manifest, published, prefixes, service_policy)
        self.endpoint = endpoint
        self.graph = None if graph is None else absolute(graph)
        """The graph queries are answered from (``default-graph-uri``); None: the default graph."""

    @classmethod
    def from_dist(
        cls,
        url: str,
        dist: Path,
        service_policy: ServicePolicy | None = None,
        timeout: float | None = None,
        graph: str = "",
    ) -> RemoteStore:
        """The remote at ``url``, answering from the graph that holds the build in ``dist``
        (``remote_graph.chosen_graph``; ``graph``: "" the first of ``{base}dataset`` and
        the default graph that does, "default" or an IRI that graph only): StoreError if
        it cannot be reached or no such graph holds the build."""
        endpoint = Endpoint(url, timeout)
        try:
            manifest = read_manifest(dist)
        except (OSError, ValueError) as error:
            raise StoreError(f"cannot read the artefact in {dist}: {error}") from error
        if manifest.get("harvested"):
            raise StoreError(
                f"the build in {dist} holds {len(manifest['harvested'])} harvested "
                "publication(s), which a back end does not serve: serve it without "
                "--backend, or build without them (iprkg harvest --remove GRAPH)"
            )
        published = published_files(dist, manifest)

        def ask(request: Sequence[tuple[str, str]]) -> bytes:
            return endpoint.fetch(request, SPARQL_JSON.media_type)

        try:
            held: Held = chosen_graph(ask, url, dist, manifest, graph)
        except BackendFailed as error:  # said to the operator: the cause, not the client's view
            reason = error.__cause__ or error.message
            raise StoreError(f"the SPARQL back end {url} cannot be used: {reason}") from error
        except (ValueError, LookupError, TypeError) as error:
            raise StoreError(f"the SPARQL back end {url} answered an unreadable count") from error
        where = "the default graph" if held.graph is None else f"<{held.graph}>"
        summary = f"{url} ({held.triples} triples in {where}, {manifest['content_hash']} in {dist})"
        return cls(
            endpoint,
            str(manifest["base"]),
            summary,
            manifest,
            published,
            read_prefixes(dist) or None,
            service_policy,
            held.graph,
        )

    def _answer(
        self,
        text: str,
        base: str,
        default_graph_uris: Sequence[str],
        named_graph_uris: Sequence[str],
    ) -> QueryResult:
        for iri in (*default_graph_uris, *named_graph_uris):
            named_node(iri)
        parsed = _parsed(text, base)
        request = [("query", f"BASE <{absolute(base)}>\n{text}")]
        request += protocol_dataset(self.graph, text, default_graph_uris, named_graph_uris)
        if isinstance(parsed, pyoxigraph.QueryTriples):
            return RemoteTriples(self, request)
        return RemoteSolutions(self, request, isinstance(parsed, pyoxigraph.QueryBoolean))

    def _description(
        self, resource: Resource, default_graph_uris: Sequence[str] = ()
    ) -> list[pyoxigraph.Triple]:
        """``DESCRIPTION`` of ``resource``, as the remote answers it from its graph (or from
        ``default_graph_uris``), in the remote's order."""
        query = description_of(absolute(resource.value))
        request = [("query", query), *protocol_dataset(self.graph, query, default_graph_uris)]
        body = self.endpoint.fetch(request, N_TRIPLES.media_type)
        try:
            return list(pyoxigraph.parse(body, format=N_TRIPLES.oxigraph_format))
        except (SyntaxError, ValueError) as error:
            raise _backend_error(error) from error


def absolute(iri: str) -> str:
    """``iri`` if it can be written as ``<iri>`` in a query; else BadRequest."""
    if not _IRIREF.fullmatch(iri):
        raise BadRequest(f"not an IRI that can be written in a query: {iri!r}")
    return iri


def _parsed(
    text: str, base: str
) -> pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean | pyoxigraph.QueryTriples:
    """``text`` parsed on an empty store, refused as ``OxigraphStore`` refuses it."""
    with refused_unless_parsed(text):
        return pyoxigraph.Store().query(text, base_iri=base)
