"""Content negotiation: pick a serialisation from the formats registry for a request.

Like Oxigraph's ``content_negotiation``: an explicit ``format`` parameter wins (a name
such as ``turtle`` or ``csv``, a file extension, or a media type); else the client's
Accept header, parsed by werkzeug, with q-values and wildcards; an absent or empty
Accept gets the default (the first candidate). When nothing fits, ``negotiate`` answers
None; ``choose`` raises ``errors.NotAcceptable`` naming the ``media_types`` (a 406).
Every response says ``Vary: Accept``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from flask import Response
from werkzeug.datastructures import MIMEAccept

from iprkg.core.errors import NotAcceptable


class Negotiable(Protocol):
    """What negotiation needs of a registry entry (``formats.Serialisation`` and co)."""

    @property
    def name(self) -> str: ...
    @property
    def media_type(self) -> str: ...
    @property
    def extension(self) -> str: ...
    @property
    def aliases(self) -> tuple[str, ...]: ...
    @property
    def format_names(self) -> tuple[str, ...]: ...


F = TypeVar("F", bound=Negotiable)


def negotiate(
    accept: MIMEAccept, candidates: Sequence[F], overrides: Sequence[str] = ()
) -> F | None:
    """The candidate to answer with (the first is the default), or None if none fits.

    ``overrides`` are the request's ``format`` values: the first one that names a
    candidate wins (clients such as SPARQLWrapper send several, some for other kinds of
    result); when none does, nothing fits.
    """
    if overrides:
        for override in overrides:
            wanted = override.strip().lower()
            for candidate in candidates:
                if wanted in names_of(candidate):
                    return candidate
        return None
    if not accept:
        return candidates[0]
    by_media_type = {c.media_type: c for c in candidates}
    for candidate in candidates:
        for alias in candidate.aliases:
            by_media_type.setdefault(alias, candidate)
    # Canonical types first: a wildcard picks the first of them, aliases only match exactly.
    best = accept.best_match(list(by_media_type))
    if best is None or accept.quality(best) <= 0:
        return None
    return by_media_type[best]


def names_of(candidate: Negotiable) -> tuple[str, ...]:
    """Every name ``?format=`` accepts for ``candidate``."""
    return (
        candidate.name,
        candidate.extension,
        candidate.media_type,
        *candidate.aliases,
        *candidate.format_names,
    )


def choose(accept: MIMEAccept, candidates: Sequence[F], overrides: Sequence[str], what: str) -> F:
    """``negotiate``, or NotAcceptable (406) naming the candidates' media types; ``what``
    says what was to be answered ("this result", "this resource") in its message."""
    chosen = negotiate(accept, candidates, overrides)
    if chosen is None:
        problem = (
            f"unknown format {', '.join(map(repr, overrides))}"
            if overrides
            else f"none of the media types in Accept can {what}"
        )
        raise NotAcceptable(problem, media_types(candidates))
    return chosen


def media_types(candidates: Sequence[Negotiable]) -> list[str]:
    """The canonical media types of ``candidates``, for a 406 message."""
    return [candidate.media_type for candidate in candidates]


def add_vary_accept(response: Response) -> Response:
    """``after_request`` hook: every response may differ by Accept, so caches must know."""
    response.vary.add("Accept")
    return response
