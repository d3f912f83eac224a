"""The landing page at ``/``: what the dataset is, its counts, and where to go from here.

What every HTML page shares (base.html's contract: the page language, ``t()``, the
``label`` filter, ``resource_url``) is in ``templating``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from iprkg.core.formats import by_media_type
from iprkg.engine.store import select
from iprkg.services.catalog_view import LICENCE_NAMES
from iprkg.web.context import current_store
from iprkg.web.dates import readable_time
from iprkg.web.schema_org import DESCRIPTION, live_dataset
from iprkg.web.templating import display_label, json_script, page_language

blueprint = Blueprint("pages", __name__)


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
    return render_template(
        "pages/landing.html",
        manifest=manifest,
        built=readable_time(str(manifest["built"]), lang) if manifest.get("built") else "",
        licence_name=licence_name(about.get("license", ""), lang),
        councils=councils,
        sources=sources,
        dumps=dumps,
        about=about,
        description=DESCRIPTION[lang],
        structured_data=json_script(live_dataset(manifest)),
    )


def licence_name(iri: str, lang: str) -> str:
    """The licence by name ("Creative Commons Attribution 4.0 International (CC BY 4.0)"),
    else by its label in the store."""
    names = LICENCE_NAMES.get(iri)
    return names[lang] if names else display_label(iri)


@blueprint.route("/favicon.ico")
def favicon() -> Response:
    """Browsers and feed readers ask for ``/favicon.ico`` whatever a page links: the icon
    is the SVG every page links (``static/favicon.svg``), to which this redirects."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)


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
