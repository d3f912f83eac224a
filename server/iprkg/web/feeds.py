"""The feeds of changes: ``/feed/ldes``, the Linked Data Event Stream of the releases,
and ``/feed/releases.atom``, the Atom feed of releases (``services.change_feed`` and
``services.release_feed`` say what they hold).

* ``/feed/ldes`` is the stream's root node (page 1), ``/feed/ldes?page=N`` its page N;
  each is negotiated like every RDF answer (Accept or ``?format=``: Turtle, JSON-LD,
  N-Triples …; 406 naming the types), with ``Link`` headers to the first, previous, next
  and last pages and to each serialisation of this page. A page token that is not a
  number is a 400, a page beyond the last a 404, both in the shared error shape (an HTML
  page in the page language for a browser).
* ``/feed/releases.atom`` is ``application/atom+xml``; the releases page links it.

The stream is computed once for the releases served (they never change while served).
The page size is ``DEFAULT_PAGE_SIZE``, or the app's ``IPRKG_FEED_PAGE_SIZE`` config
(tests use a small one, to exercise the paging).
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from iprkg.core.formats import SERIALISATIONS
from iprkg.services.change_feed import (
    DEFAULT_PAGE_SIZE,
    STREAM_PATH,
    ChangeFeed,
    change_feed,
    page_triples,
    page_url,
    serialise_page,
)
from iprkg.services.publication import Locations
from iprkg.services.release_feed import ATOM_MEDIA_TYPE, ATOM_PATH, releases_atom
from iprkg.web.conneg import choose
from iprkg.web.context import current_context

blueprint = Blueprint("feeds", __name__)

PAGE_SIZE_CONFIG = "IPRKG_FEED_PAGE_SIZE"
"""The app's config key for the stream's page size (default ``DEFAULT_PAGE_SIZE``)."""


@blueprint.route(f"/{STREAM_PATH}")
def ldes_page() -> Response:
    """A page of the change feed: the root node, or ``?page=N``."""
    feed = served_feed()
    number = feed.page_number(request.args.getlist("page"))
    chosen = choose(
        request.accept_mimetypes,
        SERIALISATIONS,
        request.args.getlist("format"),
        "carry the change feed",
    )
    at = Locations(request.url_root)
    publication = current_context().publication
    triples = page_triples(feed, number, publication, at)
    media_type = chosen.media_type
    response = Response(
        serialise_page(triples, chosen.oxigraph_format, publication.base),
        content_type=f"{media_type}; charset=utf-8"
        if media_type.startswith("text/")
        else media_type,
    )
    for rel, target in page_links(feed, number).items():
        response.headers.add("Link", f'<{page_url(at, target)}>; rel="{rel}"')
    here = page_url(at, number)
    joiner = "&" if "?" in here else "?"
    for other in SERIALISATIONS:
        response.headers.add(
            "Link",
            f'<{here}{joiner}format={other.name}>; rel="alternate"; type="{other.media_type}"',
        )
    return response


@blueprint.route(f"/{ATOM_PATH}")
def releases_feed() -> Response:
    """The Atom feed of releases, newest first."""
    context = current_context()
    body = releases_atom(
        context.publication, Locations(request.url_root), context.releases.releases
    )
    return Response(body, content_type=f"{ATOM_MEDIA_TYPE}; charset=utf-8")


def served_feed() -> ChangeFeed:
    """The change feed of the releases this app serves, at the configured page size."""
    size = current_app.config.get(PAGE_SIZE_CONFIG) or DEFAULT_PAGE_SIZE
    return change_feed(current_context().releases.releases, int(size))


def page_links(feed: ChangeFeed, number: int) -> dict[str, int]:
    """The pages a page links in HTTP ``Link`` headers, by relation (RFC 8288)."""
    links = {"first": 1, "last": feed.last_page}
    if number > 1:
        links["prev"] = number - 1
    if number < feed.last_page:
        links["next"] = number + 1
    return links
