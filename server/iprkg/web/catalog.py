"""How harvesters find the data: ``/catalog`` (DCAT), ``/.well-known/void`` (VoID),
``/sitemap.xml`` and ``/robots.txt``.

The catalogue and the VoID description are negotiated like every RDF answer (Accept or
``?format=``, from the formats registry; 406 naming the types), with ``Link:
rel="alternate"`` for each serialisation. What they say is fixed when the app is
created (``publication.describe``, reusing the service description's VoID counts, so
this blueprint is registered after ``sparql``); a request adds only the URLs where it
reached the server. The sitemap lists the page of every IRI under the base, at this
server; robots.txt allows everything but query URLs and points to the sitemap.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import cast
from xml.etree import ElementTree

from flask import Blueprint, Response, current_app, request
from flask.blueprints import BlueprintSetupState
from pyoxigraph import Triple

from iprkg.artefact.releases import RELEASES_KEY, ServedReleases
from iprkg.core.formats import SERIALISATIONS, Serialisation
from iprkg.engine.store import STORE_KEY
from iprkg.services.dcat import catalog_triples
from iprkg.services.publication import Locations, Publication, describe, serialise
from iprkg.services.service import SERVICE_KEY, ServiceDescription, statistics
from iprkg.services.void import void_triples
from iprkg.web.conneg import choose

blueprint = Blueprint("catalog", __name__)

PUBLICATION_KEY = "iprkg.services.publication"
"""Where the app keeps what the catalogue says: ``app.extensions[PUBLICATION_KEY]``."""
SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
ROBOTS = """User-agent: *
Allow: /
Disallow: /sparql?
Sitemap: {sitemap}
"""
"""Crawlers may read every page; query URLs (``/sparql?query=…``) are endless and heavy."""


@blueprint.record_once
def describe_publication(state: BlueprintSetupState) -> None:
    """Describe the publication once, from the store's own data and the service's VoID
    counts (counted again when harvested publications share the default graph)."""
    description = cast(ServiceDescription, state.app.extensions[SERVICE_KEY])
    store = state.app.extensions[STORE_KEY]
    own = store.own_data()
    counts = description.default_graph if own is store else statistics(own)
    served = cast(ServedReleases, state.app.extensions.get(RELEASES_KEY, ServedReleases()))
    state.app.extensions[PUBLICATION_KEY] = describe(own, counts, served.releases)


@blueprint.route("/catalog")
def catalog() -> Response:
    """The DCAT catalogue: the dataset, a distribution per dump, the SPARQL service."""
    return rdf_response(catalog_triples)


@blueprint.route("/.well-known/void")
def void() -> Response:
    """The VoID description of the dataset (RFC 5785 well-known location)."""
    return rdf_response(void_triples)


@blueprint.route("/sitemap.xml")
def sitemap() -> Response:
    """Every page of a resource under the base, at this server (sitemaps.org 0.9)."""
    root = request.url_root
    urlset = ElementTree.Element("urlset", xmlns=SITEMAP_NAMESPACE)
    modified = (current_publication().built or "")[:10]
    for path in current_publication().paths:
        url = ElementTree.SubElement(urlset, "url")
        ElementTree.SubElement(url, "loc").text = f"{root}{path}"
        if modified:
            ElementTree.SubElement(url, "lastmod").text = modified
    body = ElementTree.tostring(urlset, encoding="utf-8", xml_declaration=True)
    return Response(body, content_type="application/xml; charset=utf-8")


@blueprint.route("/robots.txt")
def robots() -> Response:
    return Response(
        ROBOTS.format(sitemap=f"{request.url_root}sitemap.xml"),
        content_type="text/plain; charset=utf-8",
    )


def current_publication() -> Publication:
    return cast(Publication, current_app.extensions[PUBLICATION_KEY])


def rdf_response(
    triples: Callable[[Publication, Locations], Sequence[Triple]],
    serialisation: Serialisation | None = None,
) -> Response:
    """``triples`` for this request's URLs, in ``serialisation`` or the negotiated one."""
    serialisation = serialisation or chosen(request.args.getlist("format"))
    body = serialise(
        triples(current_publication(), Locations(request.url_root)),
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
