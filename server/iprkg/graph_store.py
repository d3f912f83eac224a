"""Publishing the built dataset to a triple store, by the SPARQL 1.1 Graph Store Protocol.

``publish`` replaces one graph of the store with the artefact's N-Triples dump (``PUT
{store}?graph={iri}``, or ``?default``: the protocol's PUT replaces, never appends), then
verifies it through the store's SPARQL query endpoint. Verified means: the store counts
exactly the manifest's ``triples`` in the graph, and the graph read back (CONSTRUCT)
hashes to the manifest's ``content_hash``, computed by the build's own functions
(``published_graph`` relabels blank nodes canonically, ``sorted_n_triples`` writes the
sorted dump whose sha256 the manifest records), so that a store's own blank-node labels
do not matter. One difference passes unless ``exact``, and is reported: literals the
store rewrote to the same value in a wider XSD type (Oxigraph keeps every type derived
from xsd:integer as xsd:integer, so the build's ``xsd:nonNegativeInteger`` comes back so).

Nothing half-written is left looking complete: when the upload broke off, the store
failed it (5xx), or the verification failed or could not run, the graph is deleted
(best effort; the message says whether that worked). A request the store refused (4xx)
was not carried out, as the protocol says, and the graph is left as it was.

HTTP is the standard library's ``http.client``: nothing to add to the dependencies, and
it lets the body go out in chunks with a known Content-Length, counted for the progress
line. Credentials come from IPRKG_STORE_USER + IPRKG_STORE_PASSWORD (Basic) or
IPRKG_STORE_TOKEN (Bearer); they are never printed, and go to the query endpoint only
when it has the store's scheme, host and port.

One graph, not one per source file: the dumps merge the sources and do not record which
file a triple came from (a triple may come from several), so graphs per source need the
build to write that provenance first (e.g. an N-Quads dump with a graph per source).
"""

from __future__ import annotations

import base64
import http.client
import ipaddress
import json
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import pyoxigraph
from rdflib import XSD, BNode, Graph, Literal, URIRef
from rdflib.exceptions import ParserError
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from iprkg import __version__
from iprkg.dumps import DUMP_STEM, published_graph, sorted_n_triples
from iprkg.formats import N_TRIPLES
from iprkg.manifest import MANIFEST_NAME, read_manifest, sha256

USER_ENV = "IPRKG_STORE_USER"
PASSWORD_ENV = "IPRKG_STORE_PASSWORD"
TOKEN_ENV = "IPRKG_STORE_TOKEN"
CREDENTIAL_HELP = f"set {USER_ENV} and {PASSWORD_ENV} (HTTP Basic) or {TOKEN_ENV} (Bearer)"

DEFAULT_GRAPH_NAME = "dataset"
"""The graph is ``{base}dataset`` unless ``--graph`` names another."""
CHUNK_BYTES = 64 * 1024
PROGRESS_FROM_BYTES = 1024 * 1024
"""Uploads this large or larger report their progress, in steps of a tenth."""
RESULTS_JSON = "application/sparql-results+json"
GRAPH_TYPES = {"application/n-triples": "nt", "text/plain": "nt", "text/turtle": "turtle"}
"""Media types a CONSTRUCT answer is read in, and rdflib's parser for each."""
EXAMPLES = 3
"""Differing triples quoted in a verification failure, of each kind."""

Progress = Callable[[str], None]


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
class Artefact:
    """The built dataset to publish: its N-Triples dump, checked against the manifest."""

    folder: Path
    n_triples: bytes = field(repr=False)
    triples: int
    content_hash: str
    base: str

    @classmethod
    def read(cls, dist: Path) -> Artefact:
        """The build ``dist`` points at now (a later build swapped in does not matter)."""
        folder = dist.resolve()
        if not (folder / MANIFEST_NAME).is_file():
            raise BadInput(f"no built dataset in {dist} (no {MANIFEST_NAME}); run iprkg build")
        dump = f"{DUMP_STEM}.{N_TRIPLES.extension}"
        try:
            manifest = read_manifest(folder)
            content = (folder / dump).read_bytes()
            triples, content_hash = int(manifest["triples"]), str(manifest["content_hash"])
            base = str(manifest["base"])
        except KeyError as error:
            raise BadInput(f"{dist}/{MANIFEST_NAME} has no {error}; rebuild it") from error
        except (OSError, ValueError, TypeError) as error:
            raise BadInput(f"cannot read the built dataset in {dist}: {error}") from error
        if f"sha256:{sha256(content)}" != content_hash:
            raise BadInput(f"{dist}: {dump} does not match {MANIFEST_NAME}; rebuild it")
        return cls(folder, content, triples, content_hash, base)

    def graph(self) -> Graph:
        return Graph().parse(data=self.n_triples, format=N_TRIPLES.rdflib_format)


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


def default_graph_iri(base: str) -> str:
    return f"{base}{DEFAULT_GRAPH_NAME}"


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


@dataclass(frozen=True)
class Client:
    """One HTTP request per connection, with the credentials and a timeout per request."""

    credentials: Credentials
    timeout: float

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
        parts = urlsplit(url)
        connection_type = (
            http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        )
        connection = connection_type(parts.hostname or "", parts.port, timeout=self.timeout)
        where = f"{parts.hostname}:{origin(url)[2]}"
        try:
            try:
                connection.connect()
            except OSError as error:
                raise StoreUnreachable(f"cannot reach {where}: {reason(error)}") from error
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            try:
                connection.putrequest(method, target, skip_accept_encoding=True)
                connection.putheader("User-Agent", f"iprkg/{__version__}")
                for name, value in (headers or {}).items():
                    connection.putheader(name, value)
                if authorise and self.credentials.authorization is not None:
                    connection.putheader("Authorization", self.credentials.authorization)
                if body or method in ("PUT", "POST"):
                    connection.putheader("Content-Length", str(len(body)))
                connection.endheaders()
                with suppress(OSError):  # the store may have answered early (401, 413)
                    self._send(connection, body, sent)  # and closed: read its answer
                response = connection.getresponse()
                content = response.read()
            except (OSError, http.client.HTTPException) as error:
                raise UploadBroken(
                    f"the connection to {where} broke off during {method}: {reason(error)}"
                ) from error
            media_type = (response.getheader("Content-Type") or "").split(";")[0].strip()
            challenge = response.getheader("WWW-Authenticate") or ""
            return Answer(response.status, response.reason, media_type.lower(), content, challenge)
        finally:
            connection.close()

    @staticmethod
    def _send(
        connection: http.client.HTTPConnection,
        body: bytes,
        sent: Callable[[int], None] | None,
    ) -> None:
        for start in range(0, len(body), CHUNK_BYTES):
            chunk = body[start : start + CHUNK_BYTES]
            connection.send(chunk)
            if sent is not None:
                sent(start + len(chunk))


def reason(error: BaseException) -> str:
    """A short reason: the OS's words where there are some, not the exception's repr."""
    if isinstance(error, TimeoutError):
        return "timed out"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


class Meter:
    """Reports an upload's progress in steps of a tenth, for bodies of ``least`` bytes
    or more."""

    def __init__(self, total: int, progress: Progress, least: int) -> None:
        self.total = total
        self.progress = progress
        self.shown = 0 if total >= least and total > 0 else 10

    def __call__(self, sent: int) -> None:
        step = sent * 10 // self.total if self.total else 10
        if step > self.shown:
            self.shown = step
            megabytes = f"{sent / 1e6:.1f} MB of {self.total / 1e6:.1f} MB"
            self.progress(f"uploaded {megabytes} ({sent * 100 // self.total} %)")


@dataclass(frozen=True)
class Verified:
    """What the store holds in the graph: the manifest's triples, its content hash, and
    the literals it rewrote to the same value in a wider type (``old -> new``)."""

    triples: int
    content_hash: str
    rewritten: tuple[str, ...] = ()


def publish(
    artefact: Artefact,
    target: Target,
    client: Client,
    progress: Progress,
    progress_from: int = PROGRESS_FROM_BYTES,
    exact: bool = False,
) -> Verified:
    """Replace the graph in the store with the artefact, then verify it (see the module);
    ``exact``: rewritten literals fail the verification too."""
    size = len(artefact.n_triples)
    plain = not target.store.startswith("https:") and not is_loopback(target.store)
    if client.credentials.authorization and plain:
        progress("warning: sending credentials over plain http; use https")
    progress(f"replacing {target.label} at {target.store} with {artefact.triples} triples")
    progress(f"uploading {size} bytes of N-Triples…")
    try:
        answer = client.exchange(
            "PUT",
            target.graph_url,
            {"Content-Type": N_TRIPLES.media_type},
            artefact.n_triples,
            sent=Meter(size, progress, progress_from),
        )
    except UploadBroken as error:
        raise UploadBroken(f"{error}; {discard(client, target)}") from error
    except StoreUnreachable as error:
        raise StoreUnreachable(f"{error}; nothing was sent") from error
    if answer.status in (401, 403):
        raise AccessRefused(access_refused(answer, client.credentials, "the upload"))
    if answer.status >= 500:
        failed = f"the store failed the upload: {answer.summary()}"
        raise UploadRefused(f"{failed}; {discard(client, target)}")
    if not answer.ok:
        refused = f"the store refused the upload: {answer.summary()}"
        raise UploadRefused(f"{refused}; {target.label} was left as it was")
    progress(f"verifying through {target.query_endpoint}…")
    try:
        return verify(artefact, target, client, exact)
    except VerificationFailed as error:
        unusable = f"{target.label} in the store is incomplete or wrong and must not be used"
        raise VerificationFailed(f"{error}; {unusable}; {discard(client, target)}") from error
    except GraphStoreError as error:
        unverified = f"{target.label} is not verified and must not be used"
        raise VerificationFailed(
            f"cannot verify the upload: {error}; {unverified}; {discard(client, target)}"
        ) from error


def access_refused(answer: Answer, credentials: Credentials, what: str) -> str:
    refused = f"the store refused {what}: {answer.summary()}"
    if answer.challenge.lower().startswith("digest"):
        return f"{refused}; it asks for HTTP Digest, and publish sends Basic or Bearer only"
    if credentials.source:
        return f"{refused}; check the credentials in {credentials.source}"
    return f"{refused}; if it needs credentials, {CREDENTIAL_HELP}"


def discard(client: Client, target: Target) -> str:
    """Delete the graph, best effort, and say what became of it."""
    deleted = client_delete(client, target)
    if deleted is None:
        return f"deleted {target.label}, so that nothing half-written looks complete"
    return f"could not delete {target.label} ({deleted}): do not use it, it may be incomplete"


def client_delete(client: Client, target: Target) -> str | None:
    """None when the graph is gone (deleted, or absent already); else why not."""
    try:
        answer = client.exchange("DELETE", target.graph_url)
    except GraphStoreError as error:
        return str(error)
    return None if answer.ok or answer.status == 404 else answer.summary()


def verify(artefact: Artefact, target: Target, client: Client, exact: bool) -> Verified:
    """Count the graph's triples and hash them read back; VerificationFailed saying what
    differs from the manifest. Unless ``exact``, literals the store rewrote to the same
    value in the same or a wider XSD type are no difference (Oxigraph stores
    ``"5"^^xsd:nonNegativeInteger`` as ``"5"^^xsd:integer``, Virtuoso too): the caller
    is told which."""
    counted = count_triples(target, client)
    found = read_graph(target, client)
    found_hash = content_hash(found)
    if counted == len(found) == artefact.triples:
        if found_hash == artefact.content_hash:
            return Verified(counted, found_hash)
        rewritten = rewritten_literals(artefact.graph(), found)
        if rewritten and not exact:
            return Verified(counted, found_hash, tuple(rewritten))
    raise VerificationFailed(differences(artefact, counted, found, found_hash))


XSD_WIDER: dict[URIRef, URIRef] = {
    XSD[derived]: XSD[wider]
    for derived, wider in {
        "integer": "decimal",
        "nonPositiveInteger": "integer",
        "negativeInteger": "nonPositiveInteger",
        "long": "integer",
        "int": "long",
        "short": "int",
        "byte": "short",
        "nonNegativeInteger": "integer",
        "positiveInteger": "nonNegativeInteger",
        "unsignedLong": "nonNegativeInteger",
        "unsignedInt": "unsignedLong",
        "unsignedShort": "unsignedInt",
        "unsignedByte": "unsignedShort",
        "dateTimeStamp": "dateTime",
        "dayTimeDuration": "duration",
        "yearMonthDuration": "duration",
        "normalizedString": "string",
        "token": "normalizedString",
    }.items()
}
"""Each XSD datatype the store may widen, to the type it is derived from."""


def widened(datatype: URIRef | None) -> list[URIRef | None]:
    """``datatype`` and every type it derives from."""
    chain = [datatype]
    while chain[-1] in XSD_WIDER:
        chain.append(XSD_WIDER[chain[-1]])
    return chain


def datatype_of(literal: Literal) -> URIRef | None:
    """The literal's datatype; a simple literal's is xsd:string (RDF 1.1)."""
    return literal.datatype or (None if literal.language else XSD.string)


def rewritten_literals(built: Graph, found: Graph) -> list[str] | None:
    """``old -> new`` for every triple of ``built`` that ``found`` holds with its literal
    rewritten to the same value in the same or a wider type; None if any other triple
    differs (or blank nodes make triples incomparable)."""
    missing, extra = built - found, found - built
    if len(missing) != len(extra) or has_blank_nodes(built) or has_blank_nodes(found):
        return None
    unmatched = set(extra)
    rewrites = []
    for subject, predicate, old in sorted(missing):
        new = next(
            (
                o
                for s, p, o in unmatched
                if (s, p) == (subject, predicate) and same_value_wider(old, o)
            ),
            None,
        )
        if new is None or not isinstance(old, Literal):
            return None
        unmatched.remove((subject, predicate, new))
        rewrites.append(f"{old.n3()} -> {new.n3()}")
    return rewrites


def same_value_wider(old: Node, new: Node) -> bool:
    """Whether literal ``new`` has the value of ``old`` in its type or a wider one."""
    if not (isinstance(old, Literal) and isinstance(new, Literal)):
        return False
    if old.value is None or old.language != new.language:
        return False  # ill-typed, or a language-tagged string
    if datatype_of(new) not in widened(datatype_of(old)):
        return False
    try:
        return bool(old.value == new.value)
    except (TypeError, ValueError):
        return False


def has_blank_nodes(graph: Graph) -> bool:
    return any(isinstance(term, BNode) for triple in graph for term in triple)


def content_hash(graph: Graph) -> str:
    """The manifest's ``content_hash`` of ``graph``, computed as the build computes it:
    the sha256 of the sorted N-Triples of the graph with canonical blank-node labels."""
    return f"sha256:{sha256(sorted_n_triples(published_graph(graph, {})))}"


def ask(target: Target, client: Client, query: str, accept: str) -> Answer:
    """POST ``query`` to the query endpoint; the answer, or the error it amounts to."""
    answer = client.exchange(
        "POST",
        target.query_endpoint,
        {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        urlencode({"query": query}).encode("ascii"),
        authorise=target.query_shares_origin,
    )
    if answer.status in (401, 403):
        raise AccessRefused(access_refused(answer, client.credentials, "the query"))
    if not answer.ok:
        hint = "Fuseki's is /<dataset>/sparql, Virtuoso's /sparql: give --query-endpoint"
        raise UploadRefused(f"{target.query_endpoint} answered {answer.summary()} ({hint})")
    return answer


def count_triples(target: Target, client: Client) -> int:
    query = f"SELECT (COUNT(*) AS ?triples) WHERE {{ {target.pattern()} }}"
    answer = ask(target, client, query, RESULTS_JSON)
    try:
        results = json.loads(answer.body)
        return int(results["results"]["bindings"][0]["triples"]["value"])
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise UploadRefused(
            f"{target.query_endpoint} did not answer the count as SPARQL JSON results"
        ) from error


def read_graph(target: Target, client: Client) -> Graph:
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {target.pattern()} }}"
    accept = "application/n-triples, text/turtle;q=0.9, text/plain;q=0.5"
    answer = ask(target, client, query, accept)
    parser = GRAPH_TYPES.get(answer.media_type)
    if parser is None:
        raise UploadRefused(
            f"{target.query_endpoint} answered the CONSTRUCT as {answer.media_type or 'untyped'}"
            f", not one of {', '.join(GRAPH_TYPES)}"
        )
    try:
        return Graph().parse(data=answer.body, format=parser)
    except (BadSyntax, ParserError, ValueError) as error:
        raise UploadRefused(f"{target.query_endpoint} answered unreadable RDF: {error}") from error


def differences(artefact: Artefact, counted: int, found: Graph, found_hash: str) -> str:
    """What the store's graph and the manifest disagree on, in one line."""
    if counted == artefact.triples:
        said = [f"the count agrees ({counted} triples)"]
    else:
        said = [f"the store counts {counted} triples, the manifest says {artefact.triples}"]
    if len(found) != counted:
        said.append(f"the query endpoint sent back {len(found)} of them (does it cap answers?)")
    if found_hash != artefact.content_hash:
        said.append(f"content hash {found_hash}, the manifest's {artefact.content_hash}")
    built = artefact.graph()
    rewritten = rewritten_literals(built, found) if counted == len(found) else None
    if rewritten:
        widened = "to the same value in a wider type"
        said.append(
            f"the store rewrote {len(rewritten)} literal(s) {widened}, "
            f"e.g. {rewritten[0]} (passes without --exact)"
        )
    if has_blank_nodes(built) or has_blank_nodes(found):
        said.append("blank nodes: the differing triples are not listed")
    else:
        said += [
            listed("missing", built - found),
            listed("not in the build", found - built),
        ]
    return "verification failed: " + "; ".join(said)


def listed(what: str, graph: Graph) -> str:
    """``N what``, with up to EXAMPLES of the triples in N-Triples."""
    text = graph.serialize(format=N_TRIPLES.rdflib_format)
    examples = sorted(line.removesuffix(" .") for line in text.splitlines() if line.strip())
    examples = examples[:EXAMPLES]
    shown = ", e.g. " + " | ".join(line[:200] for line in examples) if examples else ""
    return f"{len(graph)} {what}{shown}"
