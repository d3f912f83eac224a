"""Whole responses kept in memory, as a shared HTTP cache would keep them.

The pages, descriptions and GET queries of one build never change, so a finished
response can be served again to the next request that would get the same one. This is
the WSGI middleware that does so, inside the app (after ``ProxyFix``, so the scheme, host
and prefix the app sees are part of the key), following HTTP's own rules:

* only GET (and HEAD, answered from a kept GET) without credentials is served from it;
* only 200 and 303 (See Other) responses marked ``Cache-Control: public`` without
  ``Set-Cookie`` are kept;
* the key is the URL as the app sees it plus the request headers the response names in
  ``Vary`` (``Accept``, ``Accept-Language``, ``Accept-Encoding``);
* a request with ``If-None-Match`` for a kept response is answered here too: 304 Not
  Modified with the kept headers but the body's own (as werkzeug's ``make_conditional``
  answers) when a tag matches, the kept response when none does (``If-None-Match`` wins
  over ``If-Modified-Since``, RFC 9110); other conditional requests
  (``If-Modified-Since`` alone) go to the app, which answers 304 itself;
* a kept response is sent with the ``Date`` it is sent at;
* a response whose ``Content-Length`` is over half the bound is passed on as the app
  sends it (a build's large answer is streamed from its file), never read whole.

It is bounded by bytes like the answer cache (``IPRKG_QUERY_CACHE_MB``); see
``query_cache``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from werkzeug.datastructures import Headers
from werkzeug.http import http_date, parse_etags, remove_entity_headers, unquote_etag

from iprkg.engine.query_cache import ByteBoundedCache, Key, keeps

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from iprkg.core.settings import Settings

Header = tuple[str, str]

KEPT_STATUSES = ("200 ", "303 ")
"""OK, and See Other (a thing's IRI to its description: fixed by the build)."""
NOT_MODIFIED = "304 NOT MODIFIED"
"""As werkzeug writes it."""
URL_PARTS = ("wsgi.url_scheme", "HTTP_HOST", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING")
BYPASS = ("HTTP_AUTHORIZATION", "HTTP_COOKIE")
"""Requests never answered from the cache."""
CONDITIONAL = "HTTP_IF_NONE_MATCH"
"""The condition answered from the cache (others go to the app)."""


class Kept(NamedTuple):
    """A kept response, with what answering it again needs made once, when it is kept."""

    status: str
    headers: list[Header]
    """Its headers less ``Date`` (sent with the time it is sent at, when it had one)."""
    dated: bool
    body: bytes
    etag: str | None
    unmodified: list[Header]
    """The headers of a 304 for it, less ``Date`` (``not_modified``)."""

    @classmethod
    def of(cls, status: str, headers: list[Header], body: bytes) -> Kept:
        undated = [(name, value) for name, value in headers if name.lower() != "date"]
        etag = next((value for name, value in headers if name.lower() == "etag"), None)
        return cls(status, undated, len(undated) < len(headers), body, etag, not_modified(undated))


class ResponseCache:
    """WSGI middleware keeping ``app``'s cacheable responses (see the module). A response
    served from it costs a few dictionary look-ups: it is made to run before anything of
    Flask's, on every request a server answers."""

    def __init__(self, app: WSGIApplication, limit_bytes: int) -> None:
        self._app = app
        self._kept: ByteBoundedCache[Kept] = ByteBoundedCache(limit_bytes)
        self._vary: dict[Key, tuple[str, ...]] = {}
        self._lock = threading.Lock()

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        if (method != "GET" and method != "HEAD") or any(map(environ.get, BYPASS)):
            return self._app(environ, start_response)
        condition = environ.get(CONDITIONAL)
        if not condition and environ.get("HTTP_IF_MODIFIED_SINCE"):
            return self._app(environ, start_response)
        url = tuple(environ.get(part, "") for part in URL_PARTS)
        vary = self._vary.get(url)
        if vary is not None:
            kept = self._kept.get((*url, *(environ.get(h, "") for h in vary)))
            if kept is not None:
                if condition and kept.etag is not None and matches(condition, kept.etag):
                    start_response(NOT_MODIFIED, dated(kept.unmodified, kept.dated))
                    return [b""]
                start_response(kept.status, dated(kept.headers, kept.dated))
                return [b""] if method == "HEAD" else [kept.body]
        if method == "HEAD" or condition:
            return self._app(environ, start_response)
        return self._keep(environ, start_response, url)

    def _keep(
        self, environ: WSGIEnvironment, start_response: StartResponse, url: Key
    ) -> Iterable[bytes]:
        """Answer from the app, keeping the response if HTTP lets a shared cache keep it."""
        started: list[tuple[str, list[Header]]] = []

        def recording(status: str, headers: list[Header], exc_info: Any = None) -> Any:
            started.append((status, headers))
            return start_response(status, headers, exc_info)

        chunks = self._app(environ, recording)
        if started and too_large(started[-1][1], self._kept.limit):
            return chunks  # as the app sends it: a large answer is streamed, not joined
        try:
            body = b"".join(chunks)
        finally:
            close: Callable[[], None] | None = getattr(chunks, "close", None)
            if close is not None:
                close()
        status, headers = started[-1]
        if cacheable(status, headers):
            vary = varied_headers(headers)
            with self._lock:
                self._vary[url] = vary
            key = (*url, *(environ.get(h, "") for h in vary))
            self._kept.put(key, Kept.of(status, headers, body), len(body) + 200 * len(headers))
        return [body]


def matches(condition: str, etag: str) -> bool:
    """Whether ``If-None-Match: condition`` matches the entity tag ``etag`` (the weak
    comparison, as RFC 9110 asks for ``If-None-Match``; ``*`` matches any tag)."""
    return parse_etags(condition).contains_weak(unquote_etag(etag)[0])


def not_modified(headers: list[Header]) -> list[Header]:
    """The headers of a 304 for a response with ``headers``: its own less those that
    describe a body (``werkzeug.http.remove_entity_headers``)."""
    kept = Headers(headers)
    remove_entity_headers(kept)
    return kept.to_wsgi_list()


_now: tuple[int, str] = (0, "")
"""The second the last ``Date`` was written for, and that ``Date``."""


def dated(headers: list[Header], dated: bool = True) -> list[Header]:
    """``headers`` (less any ``Date``) with the ``Date`` now when ``dated``: a kept
    response is sent now, whenever it was made (one without a ``Date`` gets the server's,
    as it did the first time). The date is written once a second."""
    global _now
    if not dated:
        return headers
    second = int(time.time())
    now = _now
    if now[0] != second:
        _now = now = (second, http_date(second))
    return [*headers, ("Date", now[1])]


def cacheable(status: str, headers: list[Header]) -> bool:
    """A 200 or a 303 See Other that says ``Cache-Control: public``, sets no cookie and is
    not ``Vary: *``."""
    names = {name.lower(): value for name, value in headers}
    control = {part.strip().lower() for part in names.get("cache-control", "").split(",")}
    vary = {part.strip() for part in names.get("vary", "").split(",")}
    return (
        status.startswith(KEPT_STATUSES)
        and "public" in control
        and "no-store" not in control
        and "set-cookie" not in names
        and "*" not in vary
    )


def too_large(headers: list[Header], limit: int) -> bool:
    """Whether the ``Content-Length`` in ``headers`` says the body is larger than a cache
    of ``limit`` bytes keeps: it is not read whole to be kept."""
    length = next((value for name, value in headers if name.lower() == "content-length"), "")
    return length.isdigit() and not keeps(limit, int(length))


def response_cache_bytes(settings: Settings) -> int:
    """The bytes of each worker's response cache: half of ``IPRKG_QUERY_CACHE_MB``."""
    return settings.query_cache_mb * 1024 * 1024 // 2


def varied_headers(headers: list[Header]) -> tuple[str, ...]:
    """The WSGI environ keys of the request headers named in ``Vary``, in a stable order."""
    named = {
        part.strip().upper().replace("-", "_")
        for name, value in headers
        if name.lower() == "vary"
        for part in value.split(",")
        if part.strip()
    }
    return tuple(sorted(f"HTTP_{name}" for name in named))
