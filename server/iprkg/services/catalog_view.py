"""What the catalogue page (``/catalog`` for people) shows: the DCAT catalogue's facts
(``publication.describe``, the same that ``dcat.catalog_triples`` serialises) arranged as
a dataset page, like a dataset on data.norge.no: title and description, publisher,
licence by name, themes (EU data themes and LOS, whose names are in the store), period,
places (Norway and the municipalities, the dataset's ``dct:spatial``),
distributions with formats and sizes, the SPARQL service and the releases.

Text is given in both page languages; names of things in the store (themes,
municipalities, the publisher) are IRIs, which the page names with its labels.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from iprkg.core.formats import DUMP_FORMATS
from iprkg.engine.store import ReadOnlyStore
from iprkg.services.page_queries import query
from iprkg.services.publication import (
    CATALOG_DESCRIPTION,
    CATALOG_TITLE,
    DATASET_DESCRIPTION,
    DATASET_TITLE,
    EU_LICENCE,
    EU_THEMES,
    KEYWORDS,
    LICENCE,
    LOS_THEMES,
    PUBLISHER_NAME,
    SERVICE_DESCRIPTION,
    SERVICE_TITLE,
    WIKIDATA,
    Locations,
    Publication,
)
from iprkg.services.service import solutions

Texts = Mapping[str, str]
"""A text in each page language: ``{"nb": …, "en": …}``."""

LICENCE_NAME: Texts = {
    "nb": "Creative Commons Navngivelse 4.0 Internasjonal (CC BY 4.0)",
    "en": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
}
"""The name of ``publication.LICENCE``, as Creative Commons gives it in each language."""
LICENCE_NAMES: Mapping[str, Texts] = {LICENCE: LICENCE_NAME, EU_LICENCE: LICENCE_NAME}
"""Licences by name, under their own IRI and the EU licence list's."""
THEME_SCHEMES: tuple[tuple[str, Texts], ...] = (
    (EU_THEMES, {"nb": "EUs datatemaer", "en": "EU data themes"}),
    (
        LOS_THEMES,
        {
            "nb": "LOS (tema for offentlige tjenester)",
            "en": "LOS (Norwegian public service themes)",
        },
    ),
)
"""The theme vocabularies the catalogue uses, by namespace, with their names."""


@dataclass(frozen=True)
class ThemeGroup:
    """The themes of one vocabulary."""

    scheme: str
    name: Texts
    themes: tuple[str, ...]


@dataclass(frozen=True)
class Place:
    """A municipality the dataset covers (its ``dct:spatial``), and its Wikidata item or ""."""

    municipality: str
    place: str


@dataclass(frozen=True)
class Distribution:
    """A dump, for download: its file, format, size, and its gzip twin."""

    name: str
    url: str
    format: str
    media_type: str
    bytes: int
    gzip_name: str
    gzip_url: str
    gzip_bytes: int


@dataclass(frozen=True)
class ReleaseEntry:
    version: str
    issued: str
    iri: str
    url: str


@dataclass(frozen=True)
class CatalogView:
    """The catalogue as a page."""

    catalog_title: Texts
    catalog_description: Texts
    title: Texts
    description: Texts
    keywords: Mapping[str, tuple[str, ...]]
    publisher: str
    publisher_name: Texts
    licence: str
    licence_page: str
    licence_name: Texts
    themes: tuple[ThemeGroup, ...]
    period: tuple[str, str] | None
    places: tuple[Place, ...]
    distributions: tuple[Distribution, ...]
    endpoint: str
    service_title: Texts
    service_description: Texts
    releases: tuple[ReleaseEntry, ...]
    modified: str | None
    content_hash: str | None
    iri: str
    dataset_iri: str


def catalog_view(
    store: ReadOnlyStore,
    publication: Publication,
    manifest: Mapping[str, Any] | None,
    at: Locations,
) -> CatalogView:
    """The catalogue of ``publication`` as a page, with URLs where ``at`` reaches the server
    (the same URLs the RDF forms give)."""
    p = publication
    return CatalogView(
        catalog_title=CATALOG_TITLE,
        catalog_description=CATALOG_DESCRIPTION,
        title=DATASET_TITLE,
        description=DATASET_DESCRIPTION,
        keywords=KEYWORDS,
        publisher=p.publisher.value,
        publisher_name=PUBLISHER_NAME,
        licence=EU_LICENCE,
        licence_page=LICENCE,
        licence_name=LICENCE_NAME,
        themes=theme_groups(p.themes),
        period=p.period,
        places=places(store, p),
        distributions=distributions(manifest, at),
        endpoint=at.endpoint,
        service_title=SERVICE_TITLE,
        service_description=SERVICE_DESCRIPTION,
        releases=tuple(
            ReleaseEntry(r.version, str(r.issued), r.iri, at.release(r.version))
            for r in reversed(p.releases)
        ),
        modified=p.built,
        content_hash=p.content_hash,
        iri=p.iri().value,
        dataset_iri=p.iri("dataset").value,
    )


def theme_groups(themes: tuple[str, ...]) -> tuple[ThemeGroup, ...]:
    """The catalogue's themes, grouped by vocabulary (those of neither are left out: the
    catalogue lists none)."""
    groups = []
    for scheme, name in THEME_SCHEMES:
        chosen = tuple(theme for theme in themes if theme.startswith(scheme))
        if chosen:
            groups.append(ThemeGroup(scheme, name, chosen))
    return tuple(groups)


def places(store: ReadOnlyStore, publication: Publication) -> tuple[Place, ...]:
    """The municipalities the catalogue gives as places (besides Norway), each with its
    Wikidata item where the data give one."""
    items = {
        row["municipality"]: row["place"]
        for row in solutions(store, query("catalog/places", wikidata=WIKIDATA))
    }
    return tuple(Place(m, items.get(m, "")) for m in publication.places)


def distributions(manifest: Mapping[str, Any] | None, at: Locations) -> tuple[Distribution, ...]:
    """Each dump in the manifest with its size, and its ``.gz``."""
    labels = {f.media_type: f.label for f in DUMP_FORMATS}
    found = []
    for dump in [] if manifest is None else manifest.get("dumps", []):
        gzip = dump.get("gzip") or {}
        media_type = str(dump["media_type"])
        found.append(
            Distribution(
                name=str(dump["path"]),
                url=at.download(str(dump["path"])),
                format=labels.get(media_type, media_type),
                media_type=media_type,
                bytes=int(dump.get("bytes", 0)),
                gzip_name=str(gzip.get("path", "")),
                gzip_url=at.download(str(gzip["path"])) if gzip else "",
                gzip_bytes=int(gzip.get("bytes", 0)),
            )
        )
    return tuple(found)
