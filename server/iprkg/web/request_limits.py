"""The longest request line and header field read (``IPRKG_MAX_HEADER_BYTES``): 414, 431.

A request line longer than the limit (a long query sent by GET) gets 414 URI Too Long,
saying to send it by POST; a header field longer than it gets 431 Request Header Fields
Too Large. Checked before anything else, the response cache included, as WSGI
middleware; the answer comes from the app (``refuse``) in its one error shape.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from flask import Flask, request
from werkzeug.exceptions import RequestHeaderFieldsTooLarge, RequestURITooLarge

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

OVER_KEY = "iprkg.over_header_limit"
"""Set in the WSGI environ of a request over the limit: ``line`` or ``field``."""
FIELDS = ("CONTENT_TYPE", "CONTENT_LENGTH")
"""Header fields WSGI does not name ``HTTP_…``."""


class RequestLimits:
    """WSGI middleware sending requests over ``limit`` bytes to ``refuse``, marked."""

    def __init__(self, app: WSGIApplication, refuse: WSGIApplication, limit: int) -> None:
        self._app, self._refuse, self._limit = app, refuse, limit

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        over = over_limit(environ, self._limit)
        if over:
            environ[OVER_KEY] = over
            return self._refuse(environ, start_response)
        return self._app(environ, start_response)


def over_limit(environ: WSGIEnvironment, limit: int) -> str:
    """``line`` if the request line is longer than ``limit`` bytes, ``field`` if a header
    field is (its name, colon, space and value), else ``""``."""
    target = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if not target:
        query = environ.get("QUERY_STRING", "")
        target = environ.get("PATH_INFO", "") + (f"?{query}" if query else "")
    line = len(environ.get("REQUEST_METHOD", "")) + len(target) + 10  # " " and " HTTP/1.1"
    if line > limit:
        return "line"
    for key, value in environ.items():  # on every request: kept to the simplest tests
        if key[:5] == "HTTP_":
            if len(key) - 3 + len(value) > limit:  # the name less HTTP_, ": ", the value
                return "field"
        elif key in FIELDS and len(key) + 2 + len(str(value)) > limit:
            return "field"
    return ""


def register(app: Flask, limit: int, refuse: WSGIApplication) -> None:
    """Refuse requests to ``app`` over ``limit`` bytes; ``refuse`` is the Flask app's own
    ``wsgi_app``, which answers. Call after the app's other middleware is in place."""
    app.wsgi_app = RequestLimits(app.wsgi_app, refuse, limit)  # type: ignore[method-assign]

    @app.before_request
    def refuse_over_the_limit() -> None:
        over = request.environ.get(OVER_KEY)
        if over == "line":
            raise RequestURITooLarge(
                f"the request line is longer than {limit} bytes (IPRKG_MAX_HEADER_BYTES); "
                "send a long query by POST"
            )
        if over == "field":
            raise RequestHeaderFieldsTooLarge(
                f"a request header field is longer than {limit} bytes (IPRKG_MAX_HEADER_BYTES)"
            )
