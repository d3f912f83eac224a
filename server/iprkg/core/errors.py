"""Typed errors: each carries its HTTP status, a short machine-readable ``kind`` and a
message written for the client. Any layer raises them; ``iprkg.web.errors`` renders them.
"""

from __future__ import annotations

from collections.abc import Sequence


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


class SearchTooLong(BadRequest):
    """A search longer than the search reads (``iprkg.engine.search.MAX_QUERY_CHARS``)."""

    kind = "search-too-long"


class SearchUnavailable(IprkgError):
    """The data served have no search index (``iprkg serve --dataset``, an older build)."""

    status = 503
    kind = "search-unavailable"


class SearchTimeout(IprkgError):
    """A search ran past the time limit (``IPRKG_QUERY_TIMEOUT``)."""

    status = 503
    kind = "timeout"


class QueryTimeout(IprkgError):
    """A query ran past the time limit (``IPRKG_QUERY_TIMEOUT``) and was stopped."""

    status = 503
    kind = "timeout"
    retry_after = 60
    """Seconds a client should wait before asking again (``Retry-After``)."""
