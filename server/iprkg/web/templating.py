"""What every HTML page shares: the contract of base.html.

``register(app)`` (the app factory calls it) sets up Jinja for the whole app:

* context for every template: ``lang`` ('nb' or 'en': ``?lang=``, else Accept-Language,
  else nb), ``other_lang``, ``lang_url`` (this page in the other language) and
  ``alternates`` (other serialisations of the page; empty unless the view passes some);
* ``t(nb, en)``: the text in the page language;
* the ``label`` filter: ``{{ iri|label }}``, the display label in the page language;
* ``resource_url(iri)``: the server-local URL of an IRI under the base, else the IRI;
* ``keep_language(url)``: ``url`` with the reader's ``?lang=`` choice, if any;
* ``cite_this()``: how to cite the newest release, else the live data (``citing``).

Pages whose language comes from Accept-Language say ``Vary: Accept-Language``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import quote, urlencode

from flask import Flask, Response, g, has_request_context, request
from markupsafe import Markup

from iprkg.engine.results import Text
from iprkg.services.plain_notes import plain
from iprkg.web.citing import cite_this
from iprkg.web.context import current_context, current_labels, current_store

LANGUAGES = ("nb", "en")
"""Page languages; the first is the default."""
ACCEPTED_LANGUAGES = {"nb": "nb", "no": "nb", "nn": "nb", "en": "en"}
"""Accept-Language tags we answer, and the page language each gets."""
IRI_SAFE = "/#:@!$&'()*+,;=-._~%"
"""Characters kept as they are when an IRI's path becomes a local URL."""


@dataclass(frozen=True)
class Alternate:
    """Another serialisation of the page: ``<link rel="alternate">`` and a footer link."""

    media_type: str
    url: str
    label: str


def page_language() -> str:
    """'nb' or 'en': ``?lang=``, else the best of Accept-Language, else nb."""
    if "iprkg_lang" not in g:
        asked = request.args.get("lang", "")
        if asked in LANGUAGES:
            g.iprkg_lang = asked
        else:
            best = request.accept_languages.best_match(list(ACCEPTED_LANGUAGES))
            g.iprkg_lang = ACCEPTED_LANGUAGES.get(best or "", LANGUAGES[0])
            g.iprkg_lang_negotiated = True
    return cast(str, g.iprkg_lang)


def translate(nb: str, en: str) -> str:
    """``t(nb, en)`` in templates: the text in the page language."""
    return en if page_language() == "en" else nb


def display_label(iri: object) -> str:
    """``{{ iri|label }}``: the label of ``iri`` in the page language."""
    return current_labels().label(str(iri), page_language())


def said_plainly(text: Text) -> Text:
    """``{{ text|plainly }}``: a text whose prose cites terms by prefixed name ("brukt på
    et nivå (ipr:StrategyLevel)"), each language said by label (``services.plain_notes``)."""
    labels, base = current_labels(), current_store().base_iri
    return Text(
        plain(text.nb, lambda iri: labels.label(iri, "nb"), base),
        plain(text.en, lambda iri: labels.label(iri, "en"), base),
    )


EXTERNAL_PATH = "/resource"
"""Where the pages of IRIs outside the base that the data describe live: ``?iri=…``."""


def resource_url(iri: object) -> str:
    """The server-local URL of ``iri``: its path if it is under the base, its page at
    ``/resource?iri=…`` if the data describe it (a UN goal, the Act), else ``iri`` itself
    if a browser may follow it (http, https, ftp, mailto), else "" (``javascript:``, ``data:``
    … are never links: templates show them as text)."""
    text = str(iri)
    base = current_store().base_iri
    if text.startswith(base):
        return keep_language(f"{request.script_root}/{quote(text[len(base) :], safe=IRI_SAFE)}")
    if text in described_externals():
        return keep_language(external_url(text))
    return text if text.partition(":")[0].lower() in ("http", "https", "ftp", "mailto") else ""


def keep_language(url: str) -> str:
    """``url`` with this page's ``?lang=`` when the reader chose it, so that following a
    link keeps the language; without a choice the next page negotiates it again."""
    chosen = request.args.get("lang", "") if has_request_context() else ""
    if chosen not in LANGUAGES:
        return url
    return f"{url}{'&' if '?' in url else '?'}{urlencode([('lang', chosen)])}"


def external_url(iri: str, extension: str | None = None) -> str:
    """The URL of the page (or, with ``extension``, the document) of an IRI outside the base."""
    arguments = [("iri", iri)] + ([("format", extension)] if extension else [])
    return f"{request.script_root}{EXTERNAL_PATH}?{urlencode(arguments)}"


def described_externals() -> frozenset[str]:
    """The IRIs outside the base that the data describe (found once per app)."""
    return current_context().described_externals


def language_url(lang: str) -> str:
    """This page's URL with ``?lang=`` set to ``lang``."""
    arguments = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    arguments.append(("lang", lang))
    return f"{request.script_root}{quote(request.path, safe=IRI_SAFE)}?{urlencode(arguments)}"


def page_context() -> dict[str, Any]:
    if not has_request_context():
        return {}
    lang = page_language()
    other = LANGUAGES[1] if lang == LANGUAGES[0] else LANGUAGES[0]
    return {"lang": lang, "other_lang": other, "lang_url": language_url(other), "alternates": []}


def vary_by_language(response: Response) -> Response:
    if g.get("iprkg_lang_negotiated") and response.mimetype == "text/html":
        response.vary.add("Accept-Language")
    return response


def json_script(data: Mapping[str, Any]) -> Markup:
    """``data`` as JSON safe inside ``<script type="application/ld+json">``."""
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    escaped = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(escaped)  # JSON with <, > and & escaped cannot end the script element


def register(app: Flask) -> None:
    """The globals, filter and context of the base.html contract, for every template,
    and ``Vary: Accept-Language`` where the language was negotiated."""
    app.jinja_env.globals.update(
        t=translate, resource_url=resource_url, keep_language=keep_language, cite_this=cite_this
    )
    app.jinja_env.filters["label"] = display_label
    app.jinja_env.filters["plainly"] = said_plainly
    app.context_processor(page_context)
    app.after_request(vary_by_language)
