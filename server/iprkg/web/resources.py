"""Dereferencing: every IRI under the base answers at the server path that maps to it.

The server maps its own URL to the canonical IRI and never rewrites IRIs in the data:
the path below the application root (``request.script_root``, which honours
``X-Forwarded-Prefix`` when ``IPRKG_PROXY_HOPS`` is set) is appended to the store's base
IRI, so ``http://127.0.0.1:8080/council/x``, ``https://proxy.example/iprkg/council/x``
and ``https://w3id.org/iprkg/council/x`` all mean ``<https://w3id.org/iprkg/council/x>``.

Following the W3C note *Cool URIs for the Semantic Web* (see docs/linked-data.md):

* a slash IRI names a thing, not a document: ``GET /council/x`` answers **303 See Other**
  to the document in the negotiated format, ``/council/x.html`` (or ``.ttl``, ``.nt``,
  ``.jsonld``, ``.rdf``);
* a hash namespace (``/ontology``, whose terms are ``/ontology#Term``) is a document: it
  answers 200 in the negotiated format, with ``Content-Location`` naming the format's URL;
* a document URL (``/council/x.ttl``) answers 200 in its format, whatever the Accept.

Negotiation is over HTML and the RDF dump formats (``formats``): a browser's ``*/*`` and
an empty Accept get HTML; ``?format=`` overrides Accept. Every answer lists the formats
in ``Link: <…>; rel="alternate"; type="…"``. An IRI nothing mentions is 404 in the
negotiated format (an empty graph for RDF); an Accept none of the formats fits is 406.
Paths with ``.`` or ``..`` segments, empty segments, encoded slashes or backslashes,
control characters or bytes that are not UTF-8 are 404: the route never touches files.

The description of a resource is ``store.describe`` (``store.DESCRIPTION``), the same as
DESCRIBE at /sparql; a hash namespace document adds the descriptions of its terms.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from urllib.parse import quote, urlencode

from flask import Blueprint, Response, render_template, request
from rdflib import Graph

from iprkg.core.errors import BadRequest, NotFound
from iprkg.core.formats import DUMP_FORMATS, HTML, JSON_LD, N_TRIPLES, PageFormat, Serialisation
from iprkg.core.vocabulary import DCT
from iprkg.engine.results import iri_ref
from iprkg.engine.store import select
from iprkg.web.conneg import choose, negotiate
from iprkg.web.context import current_context, current_labels, current_store
from iprkg.web.resource_view import page_of
from iprkg.web.templating import (
    EXTERNAL_PATH,
    IRI_SAFE,
    Alternate,
    described_externals,
    external_url,
    page_language,
)

blueprint = Blueprint("resources", __name__)

Format = PageFormat | Serialisation
FORMATS: tuple[Format, ...] = (HTML, *DUMP_FORMATS)
"""What a resource answers in; the first is the default (empty Accept, ``*/*``)."""
BY_EXTENSION: dict[str, Format] = {f".{f.extension}": f for f in FORMATS}
CONTEXT_PATH = "/context.jsonld"
"""Where the JSON-LD ``@context`` (the build's prefixes) is published."""
REPLACED_BY = f"{DCT}isReplacedBy"
"""A retired resource names what replaces it; its IRI then redirects there (301)."""
MAX_REPLACEMENTS = 8
"""How many retirements in a row a redirect follows before giving up (a loop, or a mistake)."""


_UNSAFE_RAW = re.compile(r"%(?:2f|5c|00)", re.IGNORECASE)
_UNSAFE_CHARACTERS = re.compile(r"[\x00-\x1f\x7f\\\ufffd]")


@blueprint.route(CONTEXT_PATH)
def context() -> Response:
    """The JSON-LD context every JSON-LD description is compacted with."""
    body = json.dumps({"@context": jsonld_context()}, indent=2, ensure_ascii=False)
    return Response(body + "\n", content_type=JSON_LD.media_type)


@blueprint.route("/<path:path>")
def resource(path: str) -> Response:
    """The resource whose IRI is the base + ``path``, or a document describing it."""
    if not safe_path(path):
        raise NotFound("nothing is published at this path")
    base = current_store().base_iri
    iri = base + path
    description = describe(iri)
    if len(description):
        moved = replacement(iri)
        return respond(iri, description) if moved is None else moved_permanently(moved)
    stem, dot, extension = path.rpartition(".")
    chosen = BY_EXTENSION.get(f".{extension}") if dot and "/" not in extension else None
    if chosen is not None and stem:
        description = describe(base + stem)
        if len(description):
            moved = replacement(base + stem)
            if moved is not None:
                return moved_permanently(moved, chosen)
            return document(base + stem, description, chosen)
    return not_found(iri, chosen)


@blueprint.route(EXTERNAL_PATH)
def external() -> Response:
    """The page (or, with ``?format=``, the document) of an IRI outside the base that the
    data describe, such as a UN goal: ``/resource?iri=http://metadata.un.org/sdg/3``.

    Its IRI is not ours to dereference, so the description is answered here with 200.
    An IRI under the base is redirected to its own path; anything else is 404.
    """
    iris = request.args.getlist("iri")
    if len(iris) != 1:
        raise BadRequest("give the iri parameter once: /resource?iri=…")
    iri = iris[0]
    base = current_store().base_iri
    moved = replacement(iri)
    if moved is not None:  # the one place a retired hash IRI (ontology#Term) is seen whole
        return moved_permanently(moved)
    if iri.startswith(base) and safe_path(iri[len(base) :]):  # "//host" would leave the site
        return Response(status=303, headers={"Location": local_url(iri)})
    if iri not in described_externals():
        return not_found(iri)
    return document(iri, describe(iri), negotiated())


def respond(iri: str, description: Graph) -> Response:
    """The answer at ``iri`` itself: 303 to the negotiated document for a slash IRI; the
    document itself (with Content-Location) for a hash namespace."""
    chosen = negotiated()
    url = local_url(iri)
    if is_hash_namespace(iri, description):
        response = document(iri, description, chosen)
        response.headers["Content-Location"] = with_query(f"{url}.{chosen.extension}")
        return response
    target = with_query(f"{url}.{chosen.extension}", drop=("format",))
    redirection = Response(status=303, headers={"Location": target})
    add_links(redirection, iri)
    return redirection


def replacement(iri: str) -> str | None:
    """The IRI that replaces the retired ``iri`` (``dct:isReplacedBy``, followed to the end
    of a chain); None if ``iri`` is not retired, or its replacement is not one IRI, or the
    chain goes round in a circle."""
    chain = [iri]
    while len(chain) <= MAX_REPLACEMENTS:
        try:
            subject = iri_ref(chain[-1])
        except ValueError:  # not an IRI a query can hold: nothing in the store is called so
            return None
        query = f"SELECT DISTINCT ?new WHERE {{ {subject} <{REPLACED_BY}> ?new }}"
        found = [row["new"] for row in select(current_store(), query)]
        if len(found) != 1 or found[0]["type"] != "uri":
            break
        if found[0]["value"] in chain:
            return None
        chain.append(found[0]["value"])
    return chain[-1] if len(chain) > 1 else None


def moved_permanently(target: str, chosen: Format | None = None) -> Response:
    """301 to the page of ``target`` (what replaces a retired IRI): its document in
    ``chosen`` when a document URL was asked for, else its own URL, which negotiates;
    the query (``?lang=``, ``?format=``) is kept."""
    base = current_store().base_iri
    kept = [(k, v) for k, v in request.args.items(multi=True) if k != "iri"]
    resource_iri, hashed, fragment = target.partition("#")
    if target.startswith(base) and safe_path(resource_iri[len(base) :]):
        url = local_url(resource_iri) + (f".{chosen.extension}" if chosen is not None else "")
        url += f"?{urlencode(kept)}" if kept else ""
        url += f"#{quote(fragment, safe=IRI_SAFE)}" if hashed else ""
    else:
        arguments = [("iri", target)]
        if chosen is not None and not any(k == "format" for k, _ in kept):
            arguments.append(("format", chosen.extension))
        url = f"{request.script_root}{EXTERNAL_PATH}?{urlencode(arguments + kept)}"
    return Response(status=301, headers={"Location": url})


def document(iri: str, description: Graph, chosen: Format) -> Response:
    """The document describing ``iri`` in ``chosen``: 200, with Link headers."""
    if isinstance(chosen, Serialisation):
        response = Response(serialise(description, chosen), content_type=content_type(chosen))
    else:
        body = resource_page(iri, description)
        response = Response(body, content_type=content_type(chosen))
    add_links(response, iri)
    return response


def not_found(iri: str, suffixed: Format | None = None) -> Response:
    """404: an empty graph in the RDF format of the suffix or the negotiated one, else the
    error page or text (``errors``)."""
    chosen = suffixed or negotiate(
        request.accept_mimetypes, FORMATS, request.args.getlist("format")
    )
    if isinstance(chosen, Serialisation):
        body = serialise(Graph(bind_namespaces="none"), chosen)
        if chosen.media_type in ("text/turtle", "application/n-triples"):
            body = f"# 404 Not Found: nothing is published at <{iri}>\n".encode() + body
        return Response(body, status=404, content_type=content_type(chosen))
    raise NotFound(f"nothing is published at <{iri}>")


def negotiated() -> Format:
    """The format the request asks for; NotAcceptable (406) naming them if none fits."""
    overrides = request.args.getlist("format")
    return choose(request.accept_mimetypes, FORMATS, overrides, "describe this resource")


def safe_path(path: str) -> bool:
    """False for dot segments, empty segments, encoded slashes, control or odd characters."""
    raw = str(request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or "")
    if _UNSAFE_RAW.search(raw.split("?", 1)[0]) or _UNSAFE_CHARACTERS.search(path):
        return False
    return all(segment not in ("", ".", "..") for segment in path.split("/"))


def describe(iri: str) -> Graph:
    """The description of ``iri`` (``store.describe``) as an rdflib graph, the build's
    prefixes bound; a hash namespace's document adds the descriptions of its terms."""
    store = current_store()
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in store.prefixes.items():
        graph.bind(prefix, namespace)
    graph.parse(data=store.describe(iri).serialise(N_TRIPLES), format=N_TRIPLES.rdflib_format)
    if len(graph):
        for term in hash_terms(iri):
            graph.parse(
                data=store.describe(term).serialise(N_TRIPLES), format=N_TRIPLES.rdflib_format
            )
    return graph


def hash_terms(iri: str) -> list[str]:
    """The IRIs ``iri#…`` that are subjects in the store (the terms of a hash namespace)."""
    literal = json.dumps(f"{iri}#")
    query = (
        f"SELECT DISTINCT ?term WHERE {{ ?term ?p ?o FILTER(STRSTARTS(STR(?term), {literal})) }}"
    )
    return sorted(row["term"]["value"] for row in select(current_store(), query))


def is_hash_namespace(iri: str, description: Graph) -> bool:
    prefix = f"{iri}#"
    return any(str(subject).startswith(prefix) for subject in description.subjects())


def jsonld_context() -> dict[str, str]:
    return dict(sorted(current_store().prefixes.items()))


def serialise(graph: Graph, serialisation: Serialisation) -> bytes:
    """``graph`` in ``serialisation``; JSON-LD compacted with the published context."""
    if serialisation is JSON_LD:
        text = graph.serialize(
            format=JSON_LD.rdflib_format, context=jsonld_context(), auto_compact=True
        )
        return text.encode("utf-8")
    return graph.serialize(format=serialisation.rdflib_format, encoding="utf-8")


def content_type(chosen: Format) -> str:
    text = chosen.media_type.startswith("text/")
    return f"{chosen.media_type}; charset=utf-8" if text else chosen.media_type


def local_url(iri: str) -> str:
    """The URL of ``iri`` on this server, from the application root."""
    relative = iri[len(current_store().base_iri) :]
    return f"{request.script_root}/{quote(relative, safe=IRI_SAFE)}"


def document_url(iri: str, extension: str) -> str:
    """The URL of the document describing ``iri`` in the format with ``extension``."""
    if iri.startswith(current_store().base_iri):
        return f"{local_url(iri)}.{extension}"
    return external_url(iri, extension)


def with_query(url: str, drop: Sequence[str] = ()) -> str:
    """``url`` with this request's query string, less the ``drop`` parameters."""
    kept = [(k, v) for k, v in request.args.items(multi=True) if k not in drop]
    return f"{url}?{urlencode(kept)}" if kept else url


def add_links(response: Response, iri: str) -> None:
    """``Link: <document URL>; rel="alternate"; type="…"`` for every format."""
    links = [
        f'<{document_url(iri, f.extension)}>; rel="alternate"; type="{f.media_type}"'
        for f in FORMATS
    ]
    response.headers["Link"] = ", ".join(links)


def resource_page(iri: str, description: Graph) -> str:
    """The HTML page of ``iri``: its own page if it has one (``AppContext.own_pages``: a
    strategy, the ontology, a theme of LOS or the EU data themes), else the generic one:
    names, types, properties, sources, incoming links."""
    alternates = [
        Alternate(f.media_type, document_url(iri, f.extension), f.label) for f in DUMP_FORMATS
    ]
    for own_page in current_context().own_pages:
        body = own_page(iri, alternates)
        if body is not None:
            return body
    page = page_of(iri, description)
    title = current_labels().label(iri, page_language())
    return render_template("resources/resource.html", page=page, title=title, alternates=alternates)
