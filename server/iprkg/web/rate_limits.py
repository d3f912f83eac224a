"""Optional per-client rate limits, counted by the ``limits`` library (``IPRKG_RATE_LIMIT``).

Off by default. When set (the notation of ``limits`` and Flask-Limiter, e.g.
``20/second;600/minute``), each client address may make that many requests; more get
429 Too Many Requests in the app's error shape, with ``Retry-After``. The address is the
peer's, or with ``IPRKG_PROXY_HOPS`` the one the trusted proxies forwarded.

The counting is ``limits``' (the library under Flask-Limiter, by the same maintainers),
used as WSGI middleware rather than through Flask-Limiter's Flask hooks, because answers
the response cache (``response_cache``) serves never reach Flask, and they must count
too. Counts are kept in ``IPRKG_RATE_LIMIT_STORAGE``: ``memory://`` counts per worker
process (a client may then make up to the limit times the workers), ``memcached://`` or
``redis://`` count across workers and servers.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

from flask import Flask, request
from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
from werkzeug.exceptions import TooManyRequests

from iprkg.core.settings import SettingsError

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

RETRY_KEY = "iprkg.retry_after"
"""Set in the WSGI environ of a request over the limit: seconds until it may retry."""


class RateLimits:
    """WSGI middleware counting each client's requests for ``app``; over a limit, the
    request goes to ``refuse`` (the Flask app itself, past any cache) marked so that
    ``register``'s hook answers 429."""

    def __init__(
        self,
        app: WSGIApplication,
        refuse: WSGIApplication,
        limits: list[RateLimitItem],
        storage: str,
    ) -> None:
        self._app = app
        self._refuse = refuse
        self._limits = limits
        self._limiter = FixedWindowRateLimiter(storage_from_string(storage))

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        client = str(environ.get("REMOTE_ADDR", ""))
        for limit in self._limits:
            if not self._limiter.hit(limit, client):
                reset = self._limiter.get_window_stats(limit, client).reset_time
                environ[RETRY_KEY] = max(1, math.ceil(reset - time.time()))
                return self._refuse(environ, start_response)
        return self._app(environ, start_response)


def register(app: Flask, limit: str, storage: str, refuse: WSGIApplication) -> None:
    """Limit every request to ``app`` to ``limit`` per client; nothing if ``limit`` is
    empty. Call after the app's other middleware (the response cache) is in place;
    ``refuse`` is the Flask app's own ``wsgi_app``, which answers the 429."""
    if not limit:
        return
    try:
        parsed = parse_many(limit)
        counting = RateLimits(app.wsgi_app, refuse, parsed, storage)
    except Exception as error:  # limits' own errors name the bad value
        raise SettingsError(f"IPRKG_RATE_LIMIT or IPRKG_RATE_LIMIT_STORAGE: {error}") from error
    app.wsgi_app = counting  # type: ignore[method-assign]

    @app.before_request
    def refuse_over_the_limit() -> None:
        retry_after = request.environ.get(RETRY_KEY)
        if retry_after is not None:
            raise TooManyRequests(
                f"more than {limit} requests from {request.remote_addr}; "
                f"retry after {retry_after} s",
                retry_after=retry_after,
            )
