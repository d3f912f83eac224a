"""The one handler that renders every error response.

The typed errors of ``iprkg.core.errors``, and werkzeug's own HTTP errors (404 for an
unknown path, 405, 413), in one shape: text/plain by default, JSON when the client
prefers ``application/json``, and an HTML page (``templates/pages/error.html``) when it
prefers ``text/html`` (a browser). Nothing else ever reaches the client: an unexpected
exception is logged and answered with a fixed 500 message, never a traceback.

The page for people speaks the page's language (nb, or en with ``?lang=en`` or
Accept-Language): what went wrong and what to do, in words, with the precise message
(in English, as clients get it) as a detail; links home, to the search page and to the
query page; and on a 404 a search box filled with the last segment of the path.
"""

from __future__ import annotations

import re
from http import HTTPStatus
from typing import Any
from urllib.parse import unquote

from flask import Flask, Response, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from iprkg.core.errors import IprkgError, QueryTimeout

ERROR_MEDIA_TYPES = ("text/plain", "application/json", "text/html")
"""What an error can be rendered as; the first is the default."""


def render(status: int, kind: str, message: str) -> Response:
    """An error response in the shape every route shares: text/plain or JSON."""
    accept = request.accept_mimetypes
    # The best of the error shapes for the client, else the first: an error never fails.
    media_type = (accept.best_match(ERROR_MEDIA_TYPES) if accept else None) or ERROR_MEDIA_TYPES[0]
    if media_type == "application/json":
        response = jsonify({"status": status, "error": kind, "message": message})
    elif media_type == "text/html":
        response = html_page(status, kind, message)
    else:
        title = HTTPStatus(status).phrase
        response = Response(f"{status} {title}: {message}\n", mimetype="text/plain")
    response.status_code = status
    return response


def html_page(status: int, kind: str, message: str) -> Response:
    """The error as a page for people; as text/plain if the page cannot be rendered."""
    title = HTTPStatus(status).phrase
    try:
        body = render_template(
            "pages/error.html",
            status=status,
            kind=kind,
            title=title,
            message=message,
            search_terms=search_terms(request.path) if status == 404 else "",
        )
    except Exception:  # the error page must not fail in turn (e.g. the store is broken)
        current_app.logger.exception("cannot render the error page")
        return Response(f"{status} {title}: {message}\n", mimetype="text/plain")
    return Response(body, mimetype="text/html")


WORD_SEPARATORS = re.compile(r"[-_+.\s]+")


def search_terms(path: str) -> str:
    """What a 404 page offers to search for: the path's last segment, without a file
    extension, its hyphens and underscores as spaces ("/council/nome-midt.ttl" -> "nome
    midt"); at most 100 characters."""
    segment = unquote(path.rstrip("/").rsplit("/", 1)[-1], errors="replace")
    stem = segment.rsplit(".", 1)[0] if "." in segment[1:] else segment
    return " ".join(WORD_SEPARATORS.sub(" ", stem).split())[:100]


def handle_iprkg_error(error: IprkgError) -> Response:
    if isinstance(error, QueryTimeout):  # said in the log where it was stopped
        response = render(error.status, error.kind, error.message)
        response.headers["Retry-After"] = str(error.retry_after)
        response.headers["Cache-Control"] = "no-store"
        return response
    if error.status >= 500:
        current_app.logger.error("%s: %s", error.kind, error.message, exc_info=error)
    return render(error.status, error.kind, error.message)


def handle_http_exception(error: HTTPException) -> Response:
    """Werkzeug's own errors (routing 404, 405, 413, 429) in the same shape, their own
    headers (Allow, Retry-After) kept."""
    status = error.code or 500
    kind = HTTPStatus(status).phrase.lower().replace(" ", "-")
    message = error.description or HTTPStatus(status).description
    response = render(status, kind, message)
    for name, value in error.get_headers():
        if name.lower() not in ("content-type", "content-length"):
            response.headers[name] = value
    return response


def handle_unexpected(error: Exception) -> Response:
    current_app.logger.exception("unexpected error", exc_info=error)
    return render(500, "internal-error", "the server failed to answer; the error is logged")


def register(app: Flask) -> None:
    """Install the handler for every error on ``app``."""
    handlers: tuple[tuple[type[Exception], Any], ...] = (
        (IprkgError, handle_iprkg_error),
        (HTTPException, handle_http_exception),
        (Exception, handle_unexpected),
    )
    for error_type, handler in handlers:
        app.register_error_handler(error_type, handler)
