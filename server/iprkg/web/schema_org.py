"""The dataset as a schema.org ``Dataset``, for dataset search engines: the JSON-LD in
``<script type="application/ld+json">`` on the landing page (the live data) and on each
release's page (that release).

Both say, in the page's language where there is language: ``name``, ``description``,
``identifier`` (the IRI the DCAT catalogue gives the dataset: ``{base}catalog#dataset``
for the live data, the release's IRI for a release), ``license``, ``creator`` and
``publisher`` (those the ontology names: the iprkg project), ``distribution`` (a
``DataDownload`` per dump, at its URL on this server), ``temporalCoverage`` (the
strategies' periods, from the earliest start to the latest end, as an ISO 8601
interval), ``spatialCoverage`` (Norway, by the EU's country authority, and every member
municipality of a council, by our IRI and name), ``version``, the dates and
``citation``: the citation ``citing.citation_of`` makes, the one the page's "cite this"
block shows, as a ``CreativeWork`` with its text in one line. The live data's version
is the one their citation gives (the content hash's first 16 hex digits); a release's
is its version.

One ``DataDownload`` per serialisation: the uncompressed dump (its ``.gz`` is the same
data; DCAT lists both).

What the data say (the period, the municipalities, and the creator and publisher the
ontology names, each by its label) is read from the store for the live data, and for a
release from its own graph when the store holds the releases, else from its N-Triples
dump: a member who left before a later release is still in the earlier release's
coverage.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import request

from iprkg.artefact.artefact import DatasetFile, StoreError
from iprkg.artefact.releases import Release
from iprkg.core.formats import N_TRIPLES, SPARQL_JSON
from iprkg.core.vocabulary import DCT, ORG, OWL, RDFS
from iprkg.engine.answers import Solutions
from iprkg.engine.oxigraph_store import OxigraphStore
from iprkg.engine.store import ReadOnlyStore
from iprkg.services.citation import CitationFacts
from iprkg.services.publication import (
    DATASET_TITLE,
    KEYWORDS,
    LICENCE,
    PERIOD,
    release_titles,
)
from iprkg.web.citing import citation_of
from iprkg.web.context import current_context
from iprkg.web.release_lookup import served
from iprkg.web.templating import display_label, page_language

NORWAY = "http://publications.europa.eu/resource/authority/country/NOR"
"""Norway in the EU's country authority table, as DCAT-AP harvesters know it."""
NORWAY_NAME = {"nb": "Norge", "en": "Norway"}

MUNICIPALITIES = f"""PREFIX org: <{ORG}> PREFIX owl: <{OWL}> PREFIX rdfs: <{RDFS}>
SELECT DISTINCT ?municipality ?label ?same WHERE {{
  ?council a <ontology#RegionalCouncil> ; org:hasMember ?municipality .
  ?municipality a <ontology#Municipality> .
  OPTIONAL {{ ?municipality rdfs:label ?label }}
  OPTIONAL {{ ?municipality owl:sameAs ?same FILTER(isIRI(?same)) }}
}} ORDER BY ?municipality ?label ?same"""
"""The councils' member municipalities, their labels and the IRIs they are the same as."""
AGENTS = f"""PREFIX owl: <{OWL}> PREFIX dct: <{DCT}>
SELECT ?creator ?publisher WHERE {{
  ?ontology a owl:Ontology .
  OPTIONAL {{ ?ontology dct:creator ?creator FILTER(isIRI(?creator)) }}
  OPTIONAL {{ ?ontology dct:publisher ?publisher FILTER(isIRI(?publisher)) }}
}} ORDER BY ?ontology ?creator ?publisher LIMIT 1"""
"""Who made and who publishes the data, as the ontology says."""

DESCRIPTION = {
    "nb": "Strategiene til norske interkommunale politiske råd (regionråd) som lenkede data: "
    "rådene, medlemskommunene, strategiene med nivåer, aktører, satsingsområder, premisser, "
    "ambisjoner og FNs bærekraftsmål.",
    "en": "The strategies of Norway's inter-municipal political councils (regional councils) "
    "as linked data: the councils, their member municipalities, and their strategies with "
    "levels, stakeholders, focus areas, premises, ambitions and the UN Sustainable "
    "Development Goals.",
}
"""What the dataset is, in the page language: the landing page says it too."""

RELEASE_WORDS = {
    "nb": "Dette er utgivelse {version} av datasettet, utgitt {issued}; dataene i en "
    "utgivelse endres aldri.",
    "en": "This is release {version} of the dataset, issued {issued}; the data of a "
    "release never change.",
}


@dataclass(frozen=True)
class Municipality:
    """A member municipality: our IRI, its labels by language, what it is the same as."""

    iri: str
    labels: Mapping[str, str]
    same_as: tuple[str, ...]

    def name(self, lang: str) -> str:
        return self.labels.get(lang) or self.labels.get("") or next(iter(self.labels.values()))


@dataclass(frozen=True)
class DataFacts:
    """What some data say of themselves: the strategies' period, the member
    municipalities, and the IRIs of their creator and publisher (if the ontology says)."""

    period: tuple[str, str] | None
    municipalities: tuple[Municipality, ...]
    creator: str | None = None
    publisher: str | None = None


@dataclass(frozen=True)
class Download:
    """A dump as a ``DataDownload``: its file name, absolute URL, media type and size."""

    name: str
    url: str
    media_type: str
    bytes: int


# ---------------------------------------------------------------- the two pages


def live_dataset(manifest: Mapping[str, Any]) -> dict[str, Any]:
    """The live data (the landing page), with the manifest's dumps under ``/dumps/``."""
    context = current_context()
    lang = page_language()
    root = request.url_root
    downloads = [
        Download(str(d["path"]), f"{root}dumps/{d['path']}", str(d["media_type"]), int(d["bytes"]))
        for d in manifest.get("dumps", ())
    ]
    newest = context.releases.newest
    preferred = citation_of(newest) if newest is not None or manifest else None
    dataset = schema_dataset(
        iri=context.publication.iri("dataset").value,
        url=root,
        name=f"iprkg: {DATASET_TITLE[lang]}",
        description=DESCRIPTION[lang],
        downloads=downloads,
        facts=facts_of(context.store.own_data(), context.store.base_iri),
        citation=preferred,
        lang=lang,
    )
    if manifest:
        dataset["version"] = citation_of(None).version
        dataset["dateModified"] = str(manifest["built"])
    return dataset


def release_dataset(release: Release) -> dict[str, Any]:
    """The release ``release`` (its page), with its dumps under ``/release/{version}/``."""
    lang = page_language()
    root = request.url_root
    downloads = []
    for dump in release.manifest.get("dumps", ()):
        name = str(dump["path"])
        downloads.append(
            Download(
                name,
                f"{root}release/{release.version}/{name}",
                str(dump["media_type"]),
                int(dump.get("bytes", 0)),
            )
        )
    about_release = RELEASE_WORDS[lang].format(version=release.version, issued=release.issued)
    dataset = schema_dataset(
        iri=release.iri,
        url=f"{root}release/{release.version}/",
        name=f"iprkg: {release_titles(release.version)[lang]}",
        description=f"{DESCRIPTION[lang]} {about_release}",
        downloads=downloads,
        facts=release_facts(release),
        citation=citation_of(release),
        lang=lang,
    )
    dataset["version"] = release.version
    dataset["datePublished"] = dataset["dateModified"] = release.issued
    return dataset


# ---------------------------------------------------------------- the Dataset


def schema_dataset(
    *,
    iri: str,
    url: str,
    name: str,
    description: str,
    downloads: Sequence[Download],
    facts: DataFacts,
    citation: CitationFacts | None,
    lang: str,
) -> dict[str, Any]:
    """A schema.org ``Dataset`` (``@context`` the schema.org IRI, for JSON-LD)."""
    publisher = facts.publisher or facts.creator or current_context().publication.publisher.value
    creator = facts.creator or publisher
    dataset: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": iri,
        "identifier": iri,
        "name": name,
        "description": description,
        "url": url,
        "inLanguage": ["nb", "en"],
        "isAccessibleForFree": True,
        "keywords": [*KEYWORDS["nb"], *KEYWORDS["en"], "linked data", "RDF"],
        "license": LICENCE,
        "creator": organisation(creator),
        "publisher": organisation(publisher),
        "includedInDataCatalog": {
            "@type": "DataCatalog",
            "@id": current_context().publication.iri().value,
            "url": f"{request.url_root}catalog",
        },
        "distribution": [
            {
                "@type": "DataDownload",
                "name": download.name,
                "contentUrl": download.url,
                "encodingFormat": download.media_type,
                "contentSize": f"{download.bytes} B",
            }
            for download in downloads
        ],
        "spatialCoverage": spatial_coverage(facts, lang),
    }
    if facts.period is not None:
        dataset["temporalCoverage"] = "/".join(day[:10] for day in facts.period)
    if citation is not None:
        dataset["citation"] = citation_work(citation)
    return dataset


def organisation(iri: str) -> dict[str, Any]:
    """A creator or publisher by its label; the iprkg project with its home page."""
    publication = current_context().publication
    named: dict[str, Any] = {"@type": "Organization", "@id": iri, "name": display_label(iri)}
    if iri == publication.publisher.value:
        named["url"] = publication.base
    return named


def spatial_coverage(facts: DataFacts, lang: str) -> list[dict[str, Any]]:
    """Norway by the EU's country IRI, then each member municipality, in Norway."""
    norway = {
        "@type": "Country",
        "@id": NORWAY,
        "identifier": NORWAY,
        "sameAs": NORWAY,
        "name": NORWAY_NAME[lang],
    }
    places: list[dict[str, Any]] = [norway]
    for municipality in facts.municipalities:
        place: dict[str, Any] = {
            "@type": "Place",
            "@id": municipality.iri,
            "identifier": municipality.iri,
            "name": municipality.name(lang),
            "containedInPlace": {"@id": NORWAY},
        }
        if municipality.same_as:
            place["sameAs"] = list(municipality.same_as)
        places.append(place)
    return places


def citation_work(facts: CitationFacts) -> dict[str, Any]:
    """How to cite the data (``services.citation``'s facts) as a ``CreativeWork``, its
    ``text`` the citation in one line: authors (year). title, version. publisher. URL."""
    publisher = "" if facts.publisher in facts.creators else f" {facts.publisher}."
    text = (
        f"{', '.join(facts.creators)} ({facts.issued.year}). {facts.title}, "
        f"version {facts.version} [dataset].{publisher} {facts.url}"
    )
    return {
        "@type": "CreativeWork",
        "name": facts.title,
        "text": text,
        "author": [{"@type": "Organization", "name": name} for name in facts.creators],
        "publisher": {"@type": "Organization", "name": facts.publisher},
        "datePublished": facts.issued.isoformat(),
        "version": facts.version,
        "identifier": facts.iri,
        "url": facts.url,
        "license": facts.licence,
    }


# ---------------------------------------------------------------- what the data say


def facts_of(store: ReadOnlyStore, base: str, graphs: Sequence[str] = ()) -> DataFacts:
    """What the data in ``store`` (in its default graph, or in ``graphs``) say of
    themselves, relative IRIs resolved against ``base``."""
    period = rows(store, PERIOD, base, graphs)
    first, last = (period[0].get("first"), period[0].get("last")) if period else (None, None)
    labels: dict[str, dict[str, str]] = {}
    same: dict[str, list[str]] = {}
    for row in rows(store, MUNICIPALITIES, base, graphs):
        iri = row["municipality"]["value"]
        found, sames = labels.setdefault(iri, {}), same.setdefault(iri, [])
        if "label" in row:
            found.setdefault(row["label"].get("xml:lang", ""), row["label"]["value"])
        if "same" in row and row["same"]["value"] not in sames:
            sames.append(row["same"]["value"])
    agents = next(iter(rows(store, AGENTS, base, graphs)), {})
    return DataFacts(
        period=(first["value"], last["value"]) if first and last else None,
        municipalities=tuple(
            Municipality(iri, found or {"": iri.rstrip("/").rsplit("/", 1)[-1]}, tuple(same[iri]))
            for iri, found in labels.items()
        ),
        creator=agents["creator"]["value"] if "creator" in agents else None,
        publisher=agents["publisher"]["value"] if "publisher" in agents else None,
    )


def release_facts(release: Release) -> DataFacts:
    """What ``release`` says of itself: from its graph in the store if the store holds
    the releases, else from its N-Triples dump (read once per release)."""
    if served().unqueryable is None:
        return facts_of(current_context().store, release.base, (release.iri,))
    return facts_of_dump(str(release.folder / f"iprkg.{N_TRIPLES.extension}"), release.base)


@lru_cache(maxsize=32)
def facts_of_dump(path: str, base: str) -> DataFacts:
    """What the N-Triples file ``path`` says: nothing known if it cannot be read."""
    try:
        store = OxigraphStore.from_files([DatasetFile(Path(path))], base)
    except (StoreError, OSError):
        return DataFacts(None, ())
    return facts_of(store, base)


def rows(
    store: ReadOnlyStore, query: str, base: str, graphs: Sequence[str]
) -> list[dict[str, Any]]:
    """The solutions of a SELECT query as dicts of SPARQL JSON terms."""
    result = store.query(query, base_iri=base, default_graph_uris=graphs)
    assert isinstance(result, Solutions), "a SELECT query answers solutions"
    return [dict(b) for b in json.loads(result.serialise(SPARQL_JSON))["results"]["bindings"]]
