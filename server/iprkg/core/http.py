"""The one HTTP client iprkg asks other servers with: the SPARQL back end of ``iprkg serve
--backend`` (``engine.remote_store``), the graph store of ``iprkg publish``
(``remote.graph_store_http``) and the publications ``iprkg harvest`` reads
(``remote.harvest``).

It is httpx, a well-kept library (timeouts for each phase, streamed bodies read in
bounded pieces, connection pools that are safe across threads, redirects only when
asked), set up here once so that the three callers do alike what they must do alike:

* **Timeout**: one number, for connecting and for each read and write (None: none).
* **User-Agent** ``iprkg/<version>``, with the caller's suffix (harvest's ``(harvest)``).
* **Bodies as sent**: ``Accept-Encoding: identity``, and the body read raw, never
  decoded: what a limit counts is what the server sent, so a compressed answer cannot
  unpack past a limit before the caller's own bounded unpacking sees it.
* **Redirects** are not followed unless asked (harvest: at most ``MAX_REDIRECTS`` hops,
  GET only, http and https only); a redirect not followed is the answer.
* **Verification** of https by the system's trust store (``ssl.create_default_context``),
  as the standard library's clients did, not by a bundle of certificates of our own;
  proxies from the environment (``HTTP_PROXY``, ``NO_PROXY``...) only where asked
  (harvest, as urllib did).
* **Errors**: a request that gets no answer raises ``NoAnswer``, saying whether it got a
  connection (so, whether anything was sent), whether it timed out, and why in the OS's
  words. An answer with an error status is an answer, for the caller to judge.
* **Processes**: pooled connections are per process: a process forked after the client
  was used (the server's workers) opens its own and never uses its parent's.
"""

from __future__ import annotations

import os
import ssl
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpx

from iprkg import __version__

USER_AGENT = f"iprkg/{__version__}"
CHUNK_BYTES = 64 * 1024
MAX_REDIRECTS = 10
"""Hops followed where redirects are asked for, as urllib followed them."""
REDIRECTS = frozenset({301, 302, 303, 307, 308})

Sent = Callable[[int], None]
"""Told the bytes of the request body sent so far, after each chunk."""


class NoAnswer(Exception):
    """The request got no answer. ``str()`` is the client's words ("[Errno 111] Connection
    refused"), ``reason`` the OS's ("Connection refused", "timed out"); ``connected``:
    whether a connection was made, so whether anything may have been sent;
    ``timed_out``: whether the server was silent past the timeout."""

    def __init__(self, error: httpx.TransportError) -> None:
        super().__init__(str(error) or type(error).__name__)
        self.connected = not isinstance(
            error, httpx.ConnectError | httpx.ConnectTimeout | httpx.UnsupportedProtocol
        )
        self.timed_out = isinstance(error, httpx.TimeoutException)
        self.reason = "timed out" if self.timed_out else _os_words(error)
        self.repeatable = isinstance(
            error, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError
        )
        """A kept connection the server closed meanwhile fails so: a request that is safe
        to repeat may be tried once more, on a new connection."""


def _os_words(error: BaseException) -> str:
    """The OS's words for the cause of ``error`` where there are some, else its message."""
    cause: BaseException | None = error
    seen: set[int] = set()
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return str(error) or type(error).__name__


class Body:
    """An answer being read: status, reason, media type and headers at once, the body as
    it comes (``read``, file-like, so a parser can stream it). Reading it past its end
    returns ``b""``; a failure while reading raises ``NoAnswer``."""

    def __init__(self, response: httpx.Response, url: str) -> None:
        self._response = response
        self._chunks = response.iter_raw(CHUNK_BYTES)
        self._buffer = bytearray()
        self._ended = False
        self.url = url
        """Where the answer came from, after the redirects followed."""

    @property
    def status(self) -> int:
        return self._response.status_code

    @property
    def reason(self) -> str:
        return str(self._response.reason_phrase)

    @property
    def media_type(self) -> str:
        """The Content-Type's essence, lower-cased ("" if none)."""
        return self.header("Content-Type").split(";", 1)[0].strip().lower()

    def header(self, name: str) -> str:
        return str(self._response.headers.get(name, ""))

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes of the body (all that is left if ``size`` < 0)."""
        while not self._ended and (size < 0 or len(self._buffer) < size):
            try:
                chunk = next(self._chunks, None)
            except httpx.TransportError as error:
                raise NoAnswer(error) from error
            if chunk is None:
                self._ended = True
            else:
                self._buffer += chunk
        if size < 0:
            size = len(self._buffer)
        taken = bytes(self._buffer[:size])
        del self._buffer[:size]
        return taken

    def read_at_most(self, max_bytes: int) -> bytes:
        """The body, but at most ``max_bytes`` + 1 bytes of it (0: no limit): more than
        ``max_bytes`` read means that the body is larger."""
        return self.read(max_bytes + 1 if max_bytes else -1)


@dataclass(frozen=True)
class Answer:
    """A whole answer: status, reason, media type, the headers a caller asked for, body."""

    url: str
    status: int
    reason: str
    media_type: str
    body: bytes
    headers: Mapping[str, str]


class Client:
    """Requests to other servers (see the module). ``keep_alive``: keep connections for
    the next request (False: one connection per request, closed after its answer);
    ``proxies_from_environment``: honour ``HTTP_PROXY`` and the like. Safe to share
    between threads; ``close`` (or a ``with`` block) closes its connections."""

    def __init__(
        self,
        timeout: float | None,
        *,
        agent: str = "",
        keep_alive: bool = True,
        proxies_from_environment: bool = False,
    ) -> None:
        self.timeout = timeout
        self._agent = f"{USER_AGENT} {agent}" if agent else USER_AGENT
        self._keep_alive = keep_alive
        self._trust_env = proxies_from_environment
        self._lock = threading.Lock()
        self._pooled: tuple[int, httpx.Client] | None = None

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close every connection (the next request opens a new one)."""
        with self._lock:
            pooled, self._pooled = self._pooled, None
        if pooled is not None:
            pooled[1].close()

    def _client(self) -> httpx.Client:
        """This process's httpx client: one a parent process used is closed unused (its
        sockets stay open in the parent), and a new one made."""
        with self._lock:
            if self._pooled is not None and self._pooled[0] == os.getpid():
                return self._pooled[1]
            if self._pooled is not None:
                self._pooled[1].close()
            limits = httpx.Limits(max_keepalive_connections=None if self._keep_alive else 0)
            client = httpx.Client(
                timeout=httpx.Timeout(self.timeout),
                limits=limits,
                verify=ssl.create_default_context(),
                trust_env=self._trust_env,
                follow_redirects=False,
                headers={"User-Agent": self._agent, "Accept-Encoding": "identity"},
            )
            self._pooled = (os.getpid(), client)
            return client

    @contextmanager
    def open(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None = None,
        body: bytes = b"",
        *,
        sent: Sent | None = None,
        repeatable: bool = False,
        redirects: int = 0,
    ) -> Iterator[Body]:
        """The answer to the request, to read in the ``with`` block; NoAnswer if none.

        ``sent``: the body goes in chunks with its Content-Length, and ``sent`` is told the
        bytes so far (a server that answers early, say 401 or 413, is still heard).
        ``repeatable``: the request is safe to repeat, so one that fails as a kept
        connection closed meanwhile fails is tried once more. ``redirects``: follow up to
        so many (GET and HEAD only), to http and https URLs only."""
        if redirects and method not in ("GET", "HEAD"):
            raise ValueError(f"redirects are followed for GET and HEAD only, not {method}")
        response = self._send(method, url, headers, body, sent, repeatable)
        try:
            for _ in range(redirects):
                target = _redirect(url, response)
                if target is None:
                    break
                response.close()
                url = target
                response = self._send(method, url, headers, b"", None, repeatable)
            yield Body(response, url)
        finally:
            response.close()  # unread, the connection is closed, not kept

    def _send(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        body: bytes,
        sent: Sent | None,
        repeatable: bool,
    ) -> httpx.Response:
        fields = dict(headers or {})
        content: bytes | Iterable[bytes] = body
        if sent is not None:
            fields["Content-Length"] = str(len(body))
            content = _chunks(body, sent)
        client = self._client()
        for attempt in (1, 2):
            request = client.build_request(method, url, headers=fields, content=content)
            try:
                return client.send(request, stream=True)
            except httpx.TransportError as error:
                failed = NoAnswer(error)
                if not (repeatable and failed.repeatable and attempt == 1 and sent is None):
                    raise failed from error
        raise AssertionError("unreachable")  # pragma: no cover

    def exchange(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None = None,
        body: bytes = b"",
        *,
        sent: Sent | None = None,
        keep: Iterable[str] = (),
    ) -> Answer:
        """The whole answer to the request, with the headers named in ``keep``; NoAnswer
        if none (see ``open``)."""
        with self.open(method, url, headers, body, sent=sent) as answer:
            content = answer.read()
            kept = {name: answer.header(name) for name in keep}
            return Answer(
                answer.url, answer.status, answer.reason, answer.media_type, content, kept
            )


def _chunks(body: bytes, sent: Sent) -> Iterator[bytes]:
    for start in range(0, len(body), CHUNK_BYTES):
        chunk = body[start : start + CHUNK_BYTES]
        yield chunk
        sent(start + len(chunk))


def _redirect(url: str, response: httpx.Response) -> str | None:
    """Where ``response`` redirects to, if it does, to an http or https URL."""
    location = response.headers.get("Location")
    if response.status_code not in REDIRECTS or not location:
        return None
    target = urljoin(url, location)
    return target if urlsplit(target).scheme in ("http", "https") else None
