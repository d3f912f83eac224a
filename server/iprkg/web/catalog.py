"""How harvesters find the data: ``/catalog`` (DCAT), ``/.well-known/void`` (VoID),
``/sitemap.xml`` and ``/robots.txt``.

The catalogue and the VoID description are negotiated like every RDF answer
(``descriptions``: Accept or ``?format=``, from the formats registry; 406 naming the
types), with ``Link: rel="alternate"`` for each serialisation. What they say is fixed
when the app is created (``AppContext.publication``, reusing the service description's
VoID counts); a request adds only the URLs where it reached the server. The sitemap
lists the page of every IRI under the base, at this server; robots.txt allows
everything but query URLs and points to the sitemap.
"""

from __future__ import annotations

from xml.etree import ElementTree

from flask import Blueprint, Response, request

from iprkg.services.dcat import catalog_triples
from iprkg.services.void import void_triples
from iprkg.web.context import current_context
from iprkg.web.descriptions import rdf_response

blueprint = Blueprint("catalog", __name__)

SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
ROBOTS = """User-agent: *
Allow: /
Disallow: /sparql?
Sitemap: {sitemap}
"""
"""Crawlers may read every page; query URLs (``/sparql?query=…``) are endless and heavy."""


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
    modified = (current_context().publication.built or "")[:10]
    for path in current_context().publication.paths:
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
