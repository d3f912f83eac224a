"""What the publication says about itself: the facts its DCAT catalogue (``dcat``) and
VoID (``void``) are made of, and the vocabulary they share.

Both are made of facts fixed when the app starts (``describe(store, counts)``: the
manifest's content hash, build time and dumps, the VoID counts the service description
already computed, class and property partitions, and the themes, places and period the
data name) and of the URLs where this server is reached, which only a request knows
(``Locations``).

IRIs are canonical, under the base, and all of them hash IRIs of the catalogue, so that
each dereferences to ``/catalog``, the document that describes it:

* ``{base}catalog`` — the ``dcat:Catalog``;
* ``{base}catalog#dataset`` — the dataset (``dcat:Dataset`` here, ``void:Dataset`` in VoID);
* ``{base}catalog#sparql`` — the SPARQL endpoint as a ``dcat:DataService``;
* ``{base}catalog#iprkg.ttl``, ``…#iprkg.ttl.gz`` … — one ``dcat:Distribution`` per dump;
* ``{base}catalog#contact``, ``#period``;
* ``{base}release/{version}/`` — each release (``iprkg.artefact.releases``), a ``dcat:Dataset`` of
  its own and a version of the dataset; ``…/{version}/#iprkg.ttl`` … its distributions,
  which dereference to the release's page;

and the publisher is the ontology's own, ``{base}agent/iprkg``, which is in the data.

Download and endpoint URLs are where this server answers (the request's own URL root),
so that a harvester reaching a mirror or ``localhost`` gets URLs that work there.

The publisher is the iprkg project itself, not the council: the council has no verified
organisation number and did not publish this data. The contact point is the project's
home page (the base); no e-mail address is verified, so none is given.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pyoxigraph
from pyoxigraph import Literal, NamedNode, Triple

from iprkg.artefact.releases import Release
from iprkg.core.formats import by_extension as format_of_extension
from iprkg.core.vocabulary import (
    ADMS,
    DCAT,
    DCATAP,
    DCT,
    FOAF,
    RDF,
    RDFS,
    SKOS,
    SPDX,
    VCARD,
    VOID,
    XSD,
)
from iprkg.engine.store import ReadOnlyStore
from iprkg.services.examples import Example, examples_in
from iprkg.services.service import GraphStatistics, solutions

PREFIXES = {
    "adms": ADMS,
    "dcat": DCAT,
    "dcatap": DCATAP,
    "spdx": SPDX,
    "dct": DCT,
    "foaf": FOAF,
    "vcard": VCARD,
    "skos": SKOS,
    "rdfs": RDFS,
    "void": VOID,
    "xsd": XSD,
}

LICENCE = "https://creativecommons.org/licenses/by/4.0/"
"""CC BY 4.0, as the ontology already says (docs/harvesting.md says why, not NLOD)."""
EU_LICENCES = "http://publications.europa.eu/resource/authority/licence"
EU_LICENCE = f"{EU_LICENCES}/CC_BY_4_0"
"""CC BY 4.0 in the EU's licence list, which DCAT-AP-NO requires for ``dct:license``."""
EU_FILE_TYPE_SCHEME = "http://publications.europa.eu/resource/authority/file-type"

SPARQL_PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/"
EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
EU_THEMES = f"{EU_AUTHORITY}data-theme"
LOS_THEMES = "https://psi.norge.no/los/tema/"
WIKIDATA = "http://www.wikidata.org/entity/"
LOS_SCHEME = "https://psi.norge.no/los/ontologi/tema"
"""The LOS scheme the themes (``…/los/tema/…``) are in."""
NORWAY = f"{EU_AUTHORITY}country/NOR"
"""Norway in the EU's country table: the spatial coverage harvesters understand."""
LANGUAGES = (f"{EU_AUTHORITY}language/NOR", f"{EU_AUTHORITY}language/ENG")
"""Norwegian (both written forms: the sources are in Bokmål or Nynorsk) and English."""
PUBLIC = f"{EU_AUTHORITY}access-right/PUBLIC"
STABLE = f"{EU_AUTHORITY}planned-availability/STABLE"
"""How long a download stays where it is: a release's files never move."""
SHA1 = f"{SPDX}checksumAlgorithm_sha1"
ALWAYS_THEMES = (f"{EU_THEMES}/GOVE", f"{LOS_THEMES}politikk-og-valg")
"""What the dataset is about as a whole (councils of municipalities and their politics),
whatever its focus areas map to."""

CATALOG_TITLE = {
    "nb": "iprkg: katalog over lenkede data om interkommunale politiske råd",
    "en": "iprkg: catalogue of linked data on Norway's regional councils",
}
CATALOG_DESCRIPTION = {
    "nb": "Datasettet iprkg, nedlastingene og SPARQL-endepunktet som publiserer det.",
    "en": "The iprkg dataset, its downloads and the SPARQL endpoint that publishes it.",
}
DATASET_TITLE = {
    "nb": "Strategiene til interkommunale politiske råd",
    "en": "The strategies of Norway's regional councils",
}
DATASET_DESCRIPTION = {
    "nb": "Interkommunale politiske råd (IPR), medlemskommunene deres og strategiene deres: "
    "nivåer, aktører, satsingsområder, premisser, ambisjoner og FNs bærekraftsmål, som "
    "lenkede data (RDF), med ontologien og de delte vokabularene. Først ute er Nome og "
    "Midt-Telemark IPR og strategien for 2022–2035.",
    "en": "Norway's regional councils (interkommunale politiske råd, IPR), their member "
    "municipalities and their strategies: levels, stakeholders, focus areas, premises, "
    "ambitions and the UN Sustainable Development Goals, as linked data (RDF), with the "
    "ontology and the shared vocabularies. First: Nome og Midt-Telemark IPR and its "
    "strategy for 2022–2035.",
}
KEYWORDS = {
    "nb": ("interkommunalt politisk råd", "strategi", "kommune", "bærekraftsmål"),
    "en": ("regional council", "strategy", "municipality", "sustainable development goals"),
}
SERIES_TITLE = {
    "nb": "Utgivelsene av datasettet iprkg",
    "en": "The releases of the iprkg dataset",
}
SERIES_DESCRIPTION = {
    "nb": "Hver utgivelse er en fast versjon av datasettet med egne nedlastinger som aldri "
    "endres, og en oversikt over hva som er endret siden utgivelsen før.",
    "en": "Each release is a fixed version of the dataset, with downloads of its own that "
    "never change and an account of what changed since the release before it.",
}
SERVICE_TITLE = {"nb": "SPARQL-endepunkt for iprkg", "en": "iprkg SPARQL endpoint"}
SERVICE_DESCRIPTION = {
    "nb": "SPARQL 1.1-spørringer mot hele datasettet; bare lesing.",
    "en": "SPARQL 1.1 queries over the whole dataset; read-only.",
}
PUBLISHER_NAME = {"nb": "iprkg-prosjektet", "en": "the iprkg project"}

CLASS_PARTITIONS = """SELECT ?class (COUNT(DISTINCT ?instance) AS ?entities)
WHERE { ?instance a ?class } GROUP BY ?class ORDER BY ?class"""
PROPERTY_PARTITIONS = """SELECT ?property (COUNT(*) AS ?triples)
WHERE { ?s ?property ?o } GROUP BY ?property ORDER BY ?property"""
THEMES = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?theme
WHERE { ?area skos:exactMatch|skos:closeMatch|skos:broadMatch ?theme } ORDER BY ?theme"""
PLACES = """PREFIX org: <http://www.w3.org/ns/org#>
SELECT DISTINCT ?place WHERE {
  ?council a <ontology#RegionalCouncil> ; org:hasMember ?place . ?place a <ontology#Municipality>
} ORDER BY ?place"""
"""The municipalities the strategies cover: the councils' members (the data describe
every municipality of Norway, but only these are what the dataset is about)."""
PERIOD = """PREFIX dct: <http://purl.org/dc/terms/> PREFIX dcat: <http://www.w3.org/ns/dcat#>
SELECT (MIN(?start) AS ?first) (MAX(?end) AS ?last)
WHERE {
  ?strategy a <ontology#Strategy> ; dct:temporal [ dcat:startDate ?start ; dcat:endDate ?end ]
}"""
SUBJECTS = "SELECT DISTINCT ?subject WHERE { ?subject ?p ?o FILTER(isIRI(?subject)) }"


@dataclass(frozen=True)
class Dump:
    """One file of the artefact, from the manifest: its name and what it holds."""

    name: str
    media_type: str
    eu_file_type: str
    gzipped: bool
    bytes: int | None = None
    sha1: str | None = None
    """Its SHA-1, where the manifest has one (builds before 0.4 have only SHA-256)."""


@dataclass(frozen=True)
class Publication:
    """Everything the catalogue and VoID say that does not depend on the request."""

    base: str
    content_hash: str | None
    built: str | None
    dumps: tuple[Dump, ...]
    counts: GraphStatistics
    classes: tuple[tuple[str, int], ...]
    properties: tuple[tuple[str, int], ...]
    themes: tuple[str, ...]
    places: tuple[str, ...]
    """The councils' member municipalities (our IRIs, under the base)."""
    period: tuple[str, str] | None
    paths: tuple[str, ...]
    """Path (relative to the base) of every page a resource under the base has."""
    releases: tuple[Release, ...] = ()
    """The releases served, oldest first."""
    examples: tuple[Example, ...] = ()
    """The example queries the data publish (``services.examples``)."""

    @property
    def publisher(self) -> NamedNode:
        """The iprkg project, as the ontology names it (``dct:publisher``)."""
        return NamedNode(f"{self.base}agent/iprkg")

    @property
    def spatial(self) -> tuple[str, ...]:
        """The dataset's coverage: Norway from the EU's table, then the municipalities."""
        return (NORWAY, *self.places)

    def iri(self, fragment: str = "") -> NamedNode:
        """``{base}catalog``, or one of its hash IRIs."""
        return NamedNode(f"{self.base}catalog{'#' + fragment if fragment else ''}")


@dataclass(frozen=True)
class Locations:
    """Where this server is reached, as the request says."""

    root: str
    """The URL of the site's root, ending with '/'."""

    @property
    def endpoint(self) -> str:
        return f"{self.root}sparql"

    def download(self, name: str) -> str:
        return f"{self.root}dumps/{name}"

    def release(self, version: str, name: str = "") -> str:
        """The page of a release here, or with ``name`` one of its files."""
        return f"{self.root}release/{version}/{name}"


def describe(
    store: ReadOnlyStore, counts: GraphStatistics, releases: Sequence[Release] = ()
) -> Publication:
    """The publication served from ``store`` (a few queries, once at start-up), and its
    ``releases``."""
    manifest = store.manifest
    base = store.base_iri
    period = solutions(store, PERIOD)
    first, last = (period[0].get("first"), period[0].get("last")) if period else (None, None)
    themes = {row["theme"] for row in solutions(store, THEMES)} | set(ALWAYS_THEMES)
    subjects = [row["subject"] for row in solutions(store, SUBJECTS)]
    return Publication(
        base=base,
        content_hash=None if manifest is None else str(manifest["content_hash"]),
        built=None if manifest is None else str(manifest["built"]),
        dumps=tuple(dumps_of(manifest)),
        counts=counts,
        classes=tuple((r["class"], int(r["entities"])) for r in solutions(store, CLASS_PARTITIONS)),
        properties=tuple(
            (r["property"], int(r["triples"])) for r in solutions(store, PROPERTY_PARTITIONS)
        ),
        themes=tuple(sorted(t for t in themes if t.startswith((EU_THEMES, LOS_THEMES)))),
        places=tuple(r["place"] for r in solutions(store, PLACES) if r["place"].startswith(base)),
        period=(first, last) if first and last else None,
        paths=pages_of(subjects, base),
        releases=tuple(releases),
        examples=tuple(examples_in(store)),
    )


def pages_of(subjects: Sequence[str], base: str) -> tuple[str, ...]:
    """Sorted paths, relative to ``base``, of the landing page ("") and of the pages of
    the ``subjects`` under it (a hash IRI's page is its document's)."""
    pages = {s.split("#", 1)[0].removeprefix(base) for s in subjects if s.startswith(base)}
    return tuple(sorted(pages | {""}))


def dumps_of(manifest: Mapping[str, Any] | None) -> Iterator[Dump]:
    """Each dump in the manifest, then its ``.gz``."""
    for entry in [] if manifest is None else manifest.get("dumps", []):
        serialisation = format_of_extension(entry["path"].rsplit(".", 1)[-1])
        for gzipped, file in ((False, entry), (True, entry["gzip"])):
            yield Dump(
                name=file["path"],
                media_type=serialisation.media_type,
                eu_file_type=serialisation.eu_file_type,
                gzipped=gzipped,
                bytes=file.get("bytes"),
                sha1=file.get("sha1"),
            )


def serialise(triples: Sequence[Triple], serialisation_format: pyoxigraph.RdfFormat) -> bytes:
    """``triples`` once each, grouped by subject in the order subjects first appear."""
    first_seen: dict[Any, int] = {}
    for triple in triples:
        first_seen.setdefault(triple.subject, len(first_seen))
    grouped = sorted(dict.fromkeys(triples), key=lambda triple: first_seen[triple.subject])
    return pyoxigraph.serialize(grouped, format=serialisation_format, prefixes=PREFIXES) or b""


def iri(namespace: str, name: str) -> NamedNode:
    return NamedNode(f"{namespace}{name}")


TYPE = iri(RDF, "type")


def texts(values: Mapping[str, str]) -> list[Literal]:
    return [Literal(text, language=lang) for lang, text in values.items()]


def typed(value: str | int, datatype: str) -> Literal:
    return Literal(str(value), datatype=iri(XSD, datatype))


def release_titles(version: str) -> dict[str, str]:
    """The dataset's title, with the release's version."""
    words = {"nb": "versjon", "en": "version"}
    return {lang: f"{title}, {words[lang]} {version}" for lang, title in DATASET_TITLE.items()}
