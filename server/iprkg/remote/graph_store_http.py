"""The HTTP side of ``iprkg publish``: where to (``Target``), as whom (``Credentials``),
the one-request-per-connection ``Client``, and the errors, each with its exit status.

HTTP is the one client of ``iprkg.core.http`` (httpx): the body goes out in chunks with a
known Content-Length, counted for the progress line, and a store that answers before it
has read the body (401, 413) is still heard; redirects are not followed. Credentials come
from IPRKG_STORE_USER + IPRKG_STORE_PASSWORD (Basic) or IPRKG_STORE_TOKEN (Bearer); they
are never printed, and go to the query endpoint only when it has the store's scheme,
host and port.
"""

from __future__ import annotations

import base64
import ipaddress
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit, urlunsplit

import pyoxigraph

from iprkg.core import http

USER_ENV = "IPRKG_STORE_USER"
PASSWORD_ENV = "IPRKG_STORE_PASSWORD"
TOKEN_ENV = "IPRKG_STORE_TOKEN"
CREDENTIAL_HELP = f"set {USER_ENV} and {PASSWORD_ENV} (HTTP Basic) or {TOKEN_ENV} (Bearer)"


class GraphStoreError(Exception):
    """Publishing failed; the message says why, ``exit_code`` is the command's status."""

    exit_code = 1


class BadInput(GraphStoreError):
    """The artefact, an option or a credential variable cannot be used; nothing was sent."""

    exit_code = 2


class VerificationFailed(GraphStoreError):
    """The upload went through but the graph in the store is not the built dataset."""

    exit_code = 3


class StoreUnreachable(GraphStoreError):
    """No connection to the store (refused, timed out, unknown host), or it broke off."""

    exit_code = 4


class UploadRefused(GraphStoreError):
    """The store answered the upload (or a query) with an error status."""

    exit_code = 5


class AccessRefused(GraphStoreError):
    """The store wants credentials (401) or refused those given (403)."""

    exit_code = 6


@dataclass(frozen=True)
class Credentials:
    """The Authorization header to send, if any; ``source`` names the variables it came
    from. The value is kept out of ``repr`` and every message."""

    authorization: str | None = field(default=None, repr=False)
    source: str = ""

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> Credentials:
        user, password = environ.get(USER_ENV, ""), environ.get(PASSWORD_ENV, "")
        token = environ.get(TOKEN_ENV, "")
        if token and (user or password):
            raise BadInput(f"set {TOKEN_ENV} or {USER_ENV} and {PASSWORD_ENV}, not both")
        if token:
            if not (token.isascii() and token.isprintable()) or " " in token:
                raise BadInput(f"{TOKEN_ENV} holds characters an HTTP header cannot carry")
            return cls(f"Bearer {token}", TOKEN_ENV)
        if not (user or password):
            return cls()
        if not (user and password):
            raise BadInput(f"{USER_ENV} and {PASSWORD_ENV} go together: set both")
        if ":" in user:
            raise BadInput(f"{USER_ENV} cannot hold ':' (HTTP Basic separates it so)")
        pair = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        return cls(f"Basic {pair}", f"{USER_ENV} and {PASSWORD_ENV}")


@dataclass(frozen=True)
class Target:
    """Where the dataset goes: a Graph Store endpoint, a graph in it (None: the default
    graph), and the SPARQL query endpoint that verifies it."""

    store: str
    graph: str | None
    query_endpoint: str

    @classmethod
    def make(cls, store: str, graph: str | None, query_endpoint: str | None) -> Target:
        """Checked URLs and graph IRI; the query endpoint defaults to Oxigraph's layout."""
        checked_url(store, "--store")
        if graph is not None:
            try:
                pyoxigraph.NamedNode(graph)
            except ValueError as error:
                raise BadInput(f"--graph must be an absolute IRI, got {graph!r}") from error
        if query_endpoint is None:
            query_endpoint = default_query_endpoint(store)
        checked_url(query_endpoint, "--query-endpoint")
        return cls(store, graph, query_endpoint)

    @property
    def label(self) -> str:
        return "the default graph" if self.graph is None else f"<{self.graph}>"

    @property
    def graph_url(self) -> str:
        """The Graph Store Protocol's indirect identification of the graph."""
        parts = urlsplit(self.store)
        selector = "default" if self.graph is None else urlencode({"graph": self.graph})
        query = f"{parts.query}&{selector}" if parts.query else selector
        return urlunsplit(parts._replace(query=query))

    @property
    def query_shares_origin(self) -> bool:
        """Whether the query endpoint may see the store's credentials."""
        return origin(self.query_endpoint) == origin(self.store)

    def pattern(self) -> str:
        """The graph's triples, as a SPARQL graph pattern."""
        triple = "?s ?p ?o"
        return triple if self.graph is None else f"GRAPH <{self.graph}> {{ {triple} }}"


def checked_url(url: str, option: str) -> None:
    """BadInput unless ``url`` is an absolute http(s) URL with a host and a valid port."""
    parts = urlsplit(url)
    try:
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        port_ok = False
    good = parts.scheme in ("http", "https") and bool(parts.hostname) and port_ok
    plain = url.isascii() and all(" " < char < "\x7f" for char in url)  # as a request line
    if not good or not plain or parts.fragment:
        example = "http://localhost:7878/store"
        raise BadInput(f"{option} must be an http(s) URL like {example}, got {url!r}")


def default_query_endpoint(store: str) -> str:
    """Oxigraph's layout: the store URL with its last path segment replaced by ``query``
    (``http://host:7878/store`` -> ``http://host:7878/query``; Fuseki's ``/ds/data`` ->
    ``/ds/query``, which Fuseki also answers)."""
    parts = urlsplit(store)
    folder = parts.path.rsplit("/", 1)[0] if "/" in parts.path else ""
    return urlunsplit((parts.scheme, parts.netloc, f"{folder}/query", "", ""))


def origin(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    default_port = 443 if parts.scheme == "https" else 80
    return parts.scheme, (parts.hostname or "").lower(), parts.port or default_port


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Answer:
    """A store's answer: status, reason, media type and body."""

    status: int
    reason: str
    media_type: str
    body: bytes
    challenge: str = ""
    """WWW-Authenticate, on a 401."""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def summary(self) -> str:
        """``HTTP 403 Forbidden: the first line of the body``."""
        text = self.body.decode("utf-8", "replace")
        first = next((line.strip() for line in text.splitlines() if line.strip()), "")
        return f"HTTP {self.status} {self.reason}" + (f": {first[:200]}" if first else "")


class UploadBroken(StoreUnreachable):
    """The connection broke after the request began: the store may hold part of it."""


class Client:
    """Requests to the store: one connection per request, the credentials, and a timeout
    for connecting and for each read and write."""

    def __init__(self, credentials: Credentials, timeout: float) -> None:
        self.credentials = credentials
        self.timeout = timeout
        self._http = http.Client(timeout, keep_alive=False)

    def exchange(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None = None,
        body: bytes = b"",
        *,
        authorise: bool = True,
        sent: Callable[[int], None] | None = None,
    ) -> Answer:
        """Send the request (the body in chunks, ``sent`` told the bytes so far) and read
        the answer. StoreUnreachable if no connection; UploadBroken if it broke later."""
        fields = dict(headers or {})
        if authorise and self.credentials.authorization is not None:
            fields["Authorization"] = self.credentials.authorization
        try:
            answer = self._http.exchange(
                method, url, fields, body, sent=sent, keep=("WWW-Authenticate",)
            )
        except http.NoAnswer as error:
            parts = urlsplit(url)
            where = f"{parts.hostname}:{origin(url)[2]}"
            if not error.connected:
                raise StoreUnreachable(f"cannot reach {where}: {error.reason}") from error
            raise UploadBroken(
                f"the connection to {where} broke off during {method}: {error.reason}"
            ) from error
        challenge = answer.headers["WWW-Authenticate"]
        return Answer(answer.status, answer.reason, answer.media_type, answer.body, challenge)


def access_refused(answer: Answer, credentials: Credentials, what: str) -> str:
    refused = f"the store refused {what}: {answer.summary()}"
    if answer.challenge.lower().startswith("digest"):
        return f"{refused}; it asks for HTTP Digest, and publish sends Basic or Bearer only"
    if credentials.source:
        return f"{refused}; check the credentials in {credentials.source}"
    return f"{refused}; if it needs credentials, {CREDENTIAL_HELP}"
