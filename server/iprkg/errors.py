"""Typed errors and the one handler that renders every error response.

Each error carries its HTTP status, a short machine-readable ``kind`` and a message
written for the client. The handler renders them, and werkzeug's own HTTP errors (404
for an unknown path, 405, 413), in one shape: text/plain by default, JSON when the client
prefers ``application/json``, and an HTML page (``templates/pages/error.html``) when it
prefers ``text/html`` (a browser). Nothing else ever reaches the client: an unexpected
exception is logged and answered with a fixed 500 message, never a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

ERROR_MEDIA_TYPES = ("text/plain", "application/json", "text/html")
"""What an error can be rendered as; the first is the default."""


class IprkgError(Exception):
    """Base of every error the server reports to a client."""

    status: int = 500
    kind: str = "internal-error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequest(IprkgError):
    """A request the protocol does not allow: no query, two queries, bytes not UTF-8, ..."""

    status = 400
    kind = "bad-request"


class BadQuery(BadRequest):
    """The query does not parse; the message is the parser's, with line and column."""

    kind = "bad-query"


class QueryTooComplex(BadQuery):
    """The query nests or chains deeper than the engine can take without crashing."""

    kind = "query-too-complex"


class Refused(IprkgError):
    """Understood, and refused on purpose: this endpoint only reads.

    403, not 405: POST on /sparql is allowed (it is how large queries are sent), so
    there is no method to name in an Allow header; what is refused is the operation.
    """

    status = 403
    kind = "refused"


class UpdateRefused(Refused):
    """A SPARQL Update (``update=`` or ``application/sparql-update``): the data are read-only."""

    kind = "update-refused"


class ServiceRefused(Refused):
    """A federated query (SERVICE): the endpoint never calls other servers."""

    kind = "service-refused"


class NotFound(IprkgError):
    """Nothing is published at this IRI."""

    status = 404
    kind = "not-found"


class UnknownRelease(NotFound):
    """No release has this version; the message lists those that exist."""

    kind = "unknown-release"


class ReleaseNotQueryable(BadRequest):
    """The release exists, but this server cannot query it (its data are elsewhere)."""

    kind = "release-not-queryable"


class NotAcceptable(IprkgError):
    """None of the serialisations the client accepts can carry this result."""

    status = 406
    kind = "not-acceptable"

    def __init__(self, message: str, supported: Sequence[str]) -> None:
        super().__init__(f"{message}; supported: {', '.join(supported)}")
        self.supported = tuple(supported)


class UnsupportedMediaType(IprkgError):
    """The request body's Content-Type is not one the endpoint reads."""

    status = 415
    kind = "unsupported-media-type"

    def __init__(self, message: str, supported: Sequence[str]) -> None:
        super().__init__(f"{message}; supported: {', '.join(supported)}")
        self.supported = tuple(supported)


class TooLarge(IprkgError):
    """A query or request part longer than the server reads (a setting names the limit)."""

    status = 413
    kind = "too-large"


class AnswerTooLarge(IprkgError):
    """The answer would pass the limit on answers (IPRKG_MAX_ANSWER_MB): refused, never cut.

    422: the request was understood and is well-formed, but this server will not
    produce an answer that large for it.
    """

    status = 422
    kind = "answer-too-large"


class QueryFailed(IprkgError):
    """The store could not evaluate a query that parsed; the cause is logged, not echoed."""

    kind = "query-failed"


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
            "pages/error.html", status=status, kind=kind, title=title, message=message
        )
    except Exception:  # the error page must not fail in turn (e.g. the store is broken)
        current_app.logger.exception("cannot render the error page")
        return Response(f"{status} {title}: {message}\n", mimetype="text/plain")
    return Response(body, mimetype="text/html")


def handle_iprkg_error(error: IprkgError) -> Response:
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
