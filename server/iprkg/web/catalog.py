"""How harvesters find the data: ``/catalog`` (DCAT), ``/.well-known/void`` (VoID),
``/sitemap.xml`` and ``/robots.txt``.

The catalogue and the VoID description are negotiated like every RDF answer
(``descriptions``: Accept or ``?format=``, from the formats registry; 406 naming the
types), with ``Link: rel="alternate"`` for each serialisation. The catalogue is also a
page for people (``templates/catalog/catalog.html``, from ``services.catalog_view``):
for a client that prefers ``text/html`` (a browser), or ``?format=html``; a wildcard or
an empty Accept still gets Turtle, so RDF clients see no change. What they say is fixed
when the app is created (``AppContext.publication``, reusing the service description's
VoID counts); a request adds only the URLs where it reached the server. The sitemap
lists the page of every IRI under the base, at this server; robots.txt allows
everything but query URLs and points to the sitemap.
"""

from __future__ import annotations

from xml.etree import ElementTree

from flask import Blueprint, Response, render_template, request

from iprkg.core.formats import HTML, SERIALISATIONS, PageFormat, Serialisation
from iprkg.services.catalog_view import catalog_view
from iprkg.services.dcat import catalog_triples
from iprkg.services.publication import Locations
from iprkg.services.void import void_triples
from iprkg.web.conneg import choose
from iprkg.web.context import current_context, current_store
from iprkg.web.dates import readable_date, readable_size, readable_time
from iprkg.web.descriptions import rdf_response
from iprkg.web.templating import Alternate, display_label, page_language

blueprint = Blueprint("catalog", __name__)

CATALOG_FORMATS: tuple[Serialisation | PageFormat, ...] = (*SERIALISATIONS, HTML)
"""What ``/catalog`` answers in: Turtle first (the default, and what a wildcard gets),
HTML last (only for a client that prefers it)."""

SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
ROBOTS = """User-agent: *
Allow: /
Disallow: /sparql?
Sitemap: {sitemap}
"""
"""Crawlers may read every page; query URLs (``/sparql?query=…``) are endless and heavy."""


@blueprint.route("/catalog")
def catalog() -> Response:
    """The DCAT catalogue: the dataset, a distribution per dump, the SPARQL service; as
    RDF, or as a page for people."""
    chosen = choose(
        request.accept_mimetypes,
        CATALOG_FORMATS,
        request.args.getlist("format"),
        "carry this description",
    )
    if isinstance(chosen, Serialisation):
        return rdf_response(catalog_triples, chosen)
    return catalog_page()


def catalog_page() -> Response:
    """The catalogue as a dataset page, its RDF forms as alternates (links and headers)."""
    context = current_context()
    store = current_store()
    view = catalog_view(store, context.publication, store.manifest, Locations(request.url_root))
    lang = page_language()
    alternates = [
        Alternate(s.media_type, f"{request.base_url}?format={s.name}", s.label)
        for s in SERIALISATIONS
    ]
    period = (
        (readable_date(view.period[0], lang), readable_date(view.period[1], lang))
        if view.period
        else None
    )
    body = render_template(
        "catalog/catalog.html",
        view=view,
        places=sorted(view.places, key=lambda place: display_label(place.municipality).lower()),
        size=lambda count: readable_size(count, lang),
        alternates=alternates,
        period=period,
        modified=readable_time(view.modified, lang) if view.modified else "",
        issued={r.version: readable_date(r.issued, lang) for r in view.releases},
    )
    response = Response(body, content_type="text/html; charset=utf-8")
    for alternate in alternates:
        response.headers.add(
            "Link", f'<{alternate.url}>; rel="alternate"; type="{alternate.media_type}"'
        )
    return response


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
