"""CORS, so that browser tools (YASGUI, notebooks) on other origins can query the data.

Everything served is public and read-only and no request carries credentials, so any
origin may read it: ``Access-Control-Allow-Origin: *`` on every response (errors too, so
a browser can show them), and preflights (OPTIONS, answered by Flask) allow GET, POST and
OPTIONS with whatever headers the client asks for.
"""

from __future__ import annotations

from flask import Response, request

ALLOWED_METHODS = "GET, POST, OPTIONS"
PREFLIGHT_MAX_AGE = "86400"
"""Seconds a browser may cache a preflight answer."""


def add_cors_headers(response: Response) -> Response:
    """``after_request`` hook adding the CORS headers."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        asked = request.headers.get("Access-Control-Request-Headers")
        if asked:
            response.headers["Access-Control-Allow-Headers"] = asked
        response.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    return response
