"""Search, at ``/search?q=…``: the resources a person's words name, as a page or as JSON.

The index is the build's (``engine.search``, opened once per app as
``AppContext.search``); what is found is ranked and counted by kind there, and quoted by
``services.search``. Parameters:

* ``q``: the words; case, diacritics, inflection and Bokmål/Nynorsk forms do not matter
  (``engine.search_words``). Anything else in it (quotes, ``*``, ``:``, ``AND``,
  brackets, control characters) only separates words;
* ``kind``: only resources of this kind (its slug, as the facets link to it);
* ``lang``: the page's language, as everywhere.

The answer is negotiated (``conneg``): HTML (the default, also for a wildcard) or JSON
for a client that prefers ``application/json`` or asks ``?format=json``:
``{query, kind, total, partial, kinds: {slug: count}, results: [{iri, label, kind,
url, snippet}]}`` (``partial``: nothing matched every word, so these match some).
An empty query is a page that explains (200, ``total`` 0); a query longer than
``MAX_QUERY_CHARS`` or with bytes that are not UTF-8 is 400 with a message in the page's
language; data served without an index get 503 saying so. Both routes are GETs
answered through the response cache and the build's ETag like every page.

``/search/suggest?q=…`` answers, as JSON, the names of the first few resources whose
labels begin like the words typed (the last word as a prefix), for ``static/search.js``,
which offers them under the search box in the header of every page (a plain GET form,
which works without the script).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote_to_bytes, urlencode

from flask import Blueprint, Response, jsonify, render_template, request

from iprkg.core.errors import BadRequest, SearchTooLong, SearchUnavailable
from iprkg.core.formats import HTML, PageFormat
from iprkg.engine.search import MAX_QUERY_CHARS, Answer, SearchIndex
from iprkg.services.search import snippet
from iprkg.web.conneg import choose
from iprkg.web.context import current_context
from iprkg.web.templating import display_label, page_language, resource_url, translate

blueprint = Blueprint("search", __name__)

JSON = PageFormat("json", "JSON", "application/json", "json")
SEARCH_FORMATS = (HTML, JSON)
"""What ``/search`` answers in: HTML first (the default, and what a wildcard gets)."""
MAX_SHOWN = 50
"""The most results listed; the page says how many more there are."""
MAX_SUGGESTIONS = 8


def search_index() -> SearchIndex:
    index = current_context().search
    if index is None:
        raise SearchUnavailable(
            "these data were served without a search index (it is made by `iprkg build`); "
            "query them at /sparql instead"
        )
    return index


def asked(name: str) -> str:
    """The parameter ``name``, checked: 400 if too long or not UTF-8 (see the module)."""
    value = request.args.get(name, "")
    if "\ufffd" in value or not utf8(name):
        raise BadRequest(
            translate(
                "Søket inneholder tegn som ikke er UTF-8. Skriv det inn på nytt i søkefeltet.",
                "The search holds bytes that are not UTF-8. Type it again in the search box.",
            )
        )
    if len(value) > MAX_QUERY_CHARS:
        raise SearchTooLong(
            translate(
                f"Søket er {len(value)} tegn langt; det lengste vi leser er {MAX_QUERY_CHARS}."
                " Gjør det kortere, for eksempel med bare de viktigste ordene.",
                f"The search is {len(value)} characters long; the longest we read is "
                f"{MAX_QUERY_CHARS}. Shorten it, for example to the words that matter most.",
            )
        )
    return value


def utf8(name: str) -> bool:
    """Whether every value of ``name`` in the raw query string is UTF-8 once decoded
    (werkzeug keeps an escape that is not, such as ``%F8`` for a Latin-1 ø, as text)."""
    for pair in request.query_string.split(b"&"):
        key, _, value = pair.partition(b"=")
        if unquote_to_bytes(key.replace(b"+", b" ")) == name.encode():
            try:
                unquote_to_bytes(value.replace(b"+", b" ")).decode("utf-8")
            except UnicodeDecodeError:
                return False
    return True


@blueprint.route("/search")
def search() -> Response:
    """The resources matching ``q``, as a page or as JSON (see the module)."""
    chosen = choose(
        request.accept_mimetypes, SEARCH_FORMATS, request.args.getlist("format"), "carry a search"
    )
    index = search_index()
    try:
        query, kind = asked("q"), asked("kind")
    except BadRequest as error:  # too long, or not UTF-8
        if chosen is JSON:
            raise
        return page(
            index, None, request.args.get("q", "")[:MAX_QUERY_CHARS], "", error.message, 400
        )
    answer = index.search(query, kind, MAX_SHOWN) if query.strip() else None
    if chosen is JSON:
        return json_answer(index, answer, query, kind)
    return page(index, answer, query, kind)


def results(index: SearchIndex, answer: Answer) -> list[dict[str, Any]]:
    """The hits of ``answer`` as the page and the JSON show them."""
    lang = page_language()
    shown = []
    for hit in answer.hits:
        label = display_label(hit.iri)
        quote = snippet(hit, answer.terms, lang, label)
        shown.append(
            {
                "iri": hit.iri,
                "label": label,
                "kind": hit.kind,
                "kind_name": kind_name(index, hit.kind),
                "url": resource_url(hit.iri),
                "snippet": quote,
            }
        )
    return shown


def kind_name(index: SearchIndex, slug: str) -> str:
    names = index.kind_names.get(slug, {})
    return names.get(page_language()) or names.get("nb") or slug


def page(
    index: SearchIndex,
    answer: Answer | None,
    query: str,
    kind: str,
    message: str = "",
    status: int = 200,
) -> Response:
    facets = [
        {
            "slug": slug,
            "name": kind_name(index, slug),
            "count": count,
            "url": search_url(query, slug),
        }
        for slug, count in (answer.kinds.items() if answer else ())
    ]
    body = render_template(
        "search/search.html",
        query=query,
        kind=kind,
        kind_label=kind_name(index, kind) if kind else "",
        answer=answer,
        results=results(index, answer) if answer else [],
        facets=facets,
        all_url=search_url(query, ""),
        shown=MAX_SHOWN,
        max_chars=MAX_QUERY_CHARS,
        message=message,
    )
    return Response(body, status=status, mimetype="text/html")


def search_url(query: str, kind: str) -> str:
    """This search's URL with ``kind`` (none: every kind), keeping the language chosen."""
    arguments = [("q", query)] + ([("kind", kind)] if kind else [])
    if request.args.get("lang") in ("nb", "en"):
        arguments.append(("lang", request.args["lang"]))
    return f"{request.script_root}/search?{urlencode(arguments)}"


def json_answer(index: SearchIndex, answer: Answer | None, query: str, kind: str) -> Response:
    body = {
        "query": query,
        "kind": kind or None,
        "total": answer.total if answer else 0,
        "partial": answer.partial if answer else False,
        "kinds": dict(answer.kinds) if answer else {},
        "results": [
            {
                "iri": result["iri"],
                "label": result["label"],
                "kind": result["kind"],
                "url": absolute(result["url"]),
                "snippet": result["snippet"].text if result["snippet"] else None,
            }
            for result in (results(index, answer) if answer else [])
        ],
    }
    response = jsonify(body)
    response.vary.add("Accept-Language")
    return response


def absolute(url: str) -> str:
    return f"{request.host_url.rstrip('/')}{url}" if url.startswith("/") else url


@blueprint.route("/search/suggest")
def suggest() -> Response:
    """``{query, suggestions: [{label, kind, url}]}``: names to offer while typing."""
    index = search_index()
    query = asked("q")
    found = index.suggest(query, MAX_SUGGESTIONS) if query.strip() else []
    response = jsonify(
        {
            "query": query,
            "suggestions": [
                {
                    "label": display_label(iri),
                    "kind": kind_name(index, kind),
                    "url": resource_url(iri),
                }
                for iri, kind in found
            ],
        }
    )
    response.vary.add("Accept-Language")
    return response
