"""The landing page at ``/``, and what every HTML page shares (the contract of base.html).

Registering this blueprint sets up Jinja for the whole app:

* context for every template: ``lang`` ('nb' or 'en': ``?lang=``, else Accept-Language,
  else nb), ``other_lang``, ``lang_url`` (this page in the other language) and
  ``alternates`` (other serialisations of the page; empty unless the view passes some);
* ``t(nb, en)``: the text in the page language;
* the ``label`` filter: ``{{ iri|label }}``, the display label in the page language;
* ``resource_url(iri)``: the server-local URL of an IRI under the base, else the IRI;
* ``keep_language(url)``: ``url`` with the reader's ``?lang=`` choice, if any.

Pages whose language comes from Accept-Language say ``Vary: Accept-Language``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import quote, urlencode

from flask import Blueprint, Response, current_app, g, has_request_context, render_template, request
from markupsafe import Markup

from iprkg.core.formats import DUMP_FORMATS, by_media_type
from iprkg.engine.store import STORE_KEY, ReadOnlyStore, select
from iprkg.services.labels import current_labels

blueprint = Blueprint("pages", __name__)

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


def current_store() -> ReadOnlyStore:
    return cast(ReadOnlyStore, current_app.extensions[STORE_KEY])


EXTERNAL_PATH = "/resource"
"""Where the pages of IRIs outside the base that the data describe live: ``?iri=…``."""
EXTERNALS_KEY = "iprkg.described-externals"


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
    """The IRIs outside the base that are subjects in the store, found once per app."""
    found = current_app.extensions.get(EXTERNALS_KEY)
    if found is None:
        base = json.dumps(current_store().base_iri)
        query = (
            "SELECT DISTINCT ?s WHERE { ?s ?p ?o "
            f"FILTER (isIRI(?s) && !STRSTARTS(STR(?s), {base})) }}"
        )
        found = frozenset(row["s"]["value"] for row in select(current_store(), query))
        current_app.extensions[EXTERNALS_KEY] = found
    return cast(frozenset[str], found)


def language_url(lang: str) -> str:
    """This page's URL with ``?lang=`` set to ``lang``."""
    arguments = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    arguments.append(("lang", lang))
    return f"{request.script_root}{quote(request.path, safe=IRI_SAFE)}?{urlencode(arguments)}"


@blueprint.app_context_processor
def page_context() -> dict[str, Any]:
    if not has_request_context():
        return {}
    lang = page_language()
    other = LANGUAGES[1] if lang == LANGUAGES[0] else LANGUAGES[0]
    return {"lang": lang, "other_lang": other, "lang_url": language_url(other), "alternates": []}


@blueprint.record_once
def set_up_jinja(state: Any) -> None:
    """The globals and filters of the base.html contract, for every template."""
    environment = state.app.jinja_env
    environment.globals.update(t=translate, resource_url=resource_url, keep_language=keep_language)
    environment.filters["label"] = display_label


@blueprint.after_app_request
def vary_by_language(response: Response) -> Response:
    if g.get("iprkg_lang_negotiated") and response.mimetype == "text/html":
        response.vary.add("Accept-Language")
    return response


def json_script(data: Mapping[str, Any]) -> Markup:
    """``data`` as JSON safe inside ``<script type="application/ld+json">``."""
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    escaped = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(escaped)  # JSON with <, > and & escaped cannot end the script element


COUNCILS = """
PREFIX ipr: <ontology#>
SELECT ?council ?strategy WHERE {
  ?council a ipr:RegionalCouncil .
  OPTIONAL { ?strategy ipr:strategyOf ?council }
} ORDER BY ?council ?strategy"""

SOURCES = """
PREFIX ipr: <ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT DISTINCT ?page WHERE {
  ?council a ipr:RegionalCouncil ; dct:source ?source .
  OPTIONAL { ?source dct:source|<http://xmlns.com/foaf/0.1/page> ?document }
  BIND(COALESCE(?document, ?source) AS ?page)
} ORDER BY ?page"""

DATASET = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?ontology ?license ?publisher ?creator WHERE {
  ?ontology a owl:Ontology .
  OPTIONAL { ?ontology dct:license ?license }
  OPTIONAL { ?ontology dct:publisher ?publisher }
  OPTIONAL { ?ontology dct:creator ?creator }
} LIMIT 1"""

DESCRIPTION = {
    "nb": "Strategiene til norske interkommunale politiske råd (regionråd) som lenkede data: "
    "rådene, medlemskommunene, strategiene med nivåer, aktører, satsingsområder, premisser, "
    "ambisjoner og FNs bærekraftsmål.",
    "en": "The strategies of Norway's inter-municipal political councils (regional councils) "
    "as linked data: the councils, their member municipalities, and their strategies with "
    "levels, stakeholders, focus areas, premises, ambitions and the UN Sustainable "
    "Development Goals.",
}


@blueprint.route("/")
def landing() -> str:
    """What the dataset is, its counts, and where to go from here."""
    store = current_store()
    lang = page_language()
    manifest = store.manifest or {}
    councils: dict[str, list[str]] = {}
    for row in select(store, COUNCILS):
        strategies = councils.setdefault(row["council"]["value"], [])
        if "strategy" in row:
            strategies.append(row["strategy"]["value"])
    sources = [row["page"]["value"] for row in select(store, SOURCES)]
    sources = [page for page in sources if page.startswith(("https://", "http://"))]
    dataset = next(iter(select(store, DATASET)), {})
    dumps = dump_links(manifest)
    about = {  # IRIs that become links: http(s) only, never javascript:
        key: value["value"]
        for key, value in dataset.items()
        if value["value"].startswith(("https://", "http://"))
    }
    structured = schema_dataset(about, manifest, dumps, lang)
    return render_template(
        "pages/landing.html",
        manifest=manifest,
        councils=councils,
        sources=sources,
        dumps=dumps,
        about=about,
        description=DESCRIPTION[lang],
        structured_data=json_script(structured),
    )


@dataclass(frozen=True)
class DumpLink:
    """A dump named in the manifest, at its URL under ``/dumps/``."""

    path: str
    url: str
    label: str
    media_type: str
    bytes: int
    gzip_path: str
    gzip_url: str


def dump_links(manifest: Mapping[str, Any]) -> list[DumpLink]:
    """The manifest's dumps, each with its URL (the dumps blueprint serves them)."""
    links = []
    for dump in manifest.get("dumps", ()):
        media_type = str(dump["media_type"])
        try:
            label = by_media_type(media_type).label
        except LookupError:
            label = media_type
        gzip = dump.get("gzip") or {}
        links.append(
            DumpLink(
                path=str(dump["path"]),
                url=f"{request.script_root}/dumps/{dump['path']}",
                label=label,
                media_type=media_type,
                bytes=int(dump.get("bytes", 0)),
                gzip_path=str(gzip.get("path", "")),
                gzip_url=f"{request.script_root}/dumps/{gzip['path']}" if gzip else "",
            )
        )
    return links


def schema_dataset(
    about: Mapping[str, str], manifest: Mapping[str, Any], dumps: list[DumpLink], lang: str
) -> dict[str, Any]:
    """The dataset as a schema.org ``Dataset``, for dataset search engines."""
    root = request.url_root
    publisher = about.get("publisher") or about.get("creator")
    organisation = (
        {"@type": "Organization", "@id": publisher, "name": display_label(publisher), "url": root}
        if publisher
        else None
    )
    dataset: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": about.get("ontology") or root,
        "name": translate(
            "iprkg: strategiene til interkommunale politiske råd",
            "iprkg: strategies of Norway's regional councils",
        ),
        "description": DESCRIPTION[lang],
        "url": root,
        "inLanguage": ["nb", "en"],
        "isAccessibleForFree": True,
        "keywords": [
            "interkommunalt politisk råd",
            "regional council",
            "strategy",
            "Sustainable Development Goals",
            "linked data",
            "RDF",
        ],
        "distribution": [
            {
                "@type": "DataDownload",
                "name": dump.path,
                "contentUrl": f"{root.rstrip('/')}{dump.url[len(request.script_root) :]}",
                "encodingFormat": dump.media_type,
                "contentSize": f"{dump.bytes} B",
            }
            for dump in dumps
        ],
    }
    if about.get("license"):
        dataset["license"] = about["license"]
    if organisation:
        dataset["creator"] = organisation
        dataset["publisher"] = organisation
    if manifest.get("built"):
        dataset["dateModified"] = manifest["built"]
    if manifest.get("content_hash"):
        dataset["version"] = manifest["content_hash"]
    return dataset


def rdf_alternates(url: str) -> list[Alternate]:
    """Alternates for a page whose RDF forms are ``url`` + ``.ext``."""
    return [Alternate(s.media_type, f"{url}.{s.extension}", s.label) for s in DUMP_FORMATS]
