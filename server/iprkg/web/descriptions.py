"""The publication's RDF descriptions as answers: the DCAT catalogue and VoID (``catalog``),
the releases' DCAT (``release_routes``).

What they say is fixed when the app is created (``AppContext.publication``); a request
adds only the URLs where it reached the server. The serialisation is negotiated like
every RDF answer (Accept or ``?format=``, from the formats registry; 406 naming the
types), with ``Link: rel="alternate"`` for each serialisation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flask import Response, request
from pyoxigraph import Triple

from iprkg.core.formats import SERIALISATIONS, Serialisation
from iprkg.services.publication import Locations, Publication, serialise
from iprkg.web.conneg import choose
from iprkg.web.context import current_context


def rdf_response(
    triples: Callable[[Publication, Locations], Sequence[Triple]],
    serialisation: Serialisation | None = None,
) -> Response:
    """``triples`` for this request's URLs, in ``serialisation`` or the negotiated one."""
    serialisation = serialisation or chosen(request.args.getlist("format"))
    body = serialise(
        triples(current_context().publication, Locations(request.url_root)),
        serialisation.oxigraph_format,
    )
    media_type = serialisation.media_type
    response = Response(
        body,
        content_type=f"{media_type}; charset=utf-8"
        if media_type.startswith("text/")
        else media_type,
    )
    for other in SERIALISATIONS:
        response.headers.add(
            "Link",
            f'<{request.base_url}?format={other.name}>; rel="alternate"; type="{other.media_type}"',
        )
    return response


def chosen(overrides: Sequence[str]) -> Serialisation:
    """The serialisation to answer with; NotAcceptable (406) naming them if none fits."""
    return choose(request.accept_mimetypes, SERIALISATIONS, overrides, "carry this description")
