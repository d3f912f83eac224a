"""The DCAT catalogue (``/catalog``; DCAT-AP-NO 3.0 and 2.0, DCAT-AP 3.0.1): the catalogue,
the dataset, the releases as a dataset series of datasets, their distributions and the
SPARQL service, from the facts of ``publication.describe`` and the URLs of this request
(``Locations``). The IRIs are those ``iprkg.services.publication`` lists.

What each term of an authority table we use is (``skos:Concept`` in its table, or the
table as a ``skos:ConceptScheme``) is said beside it, as the table itself says, so that a
validator without the tables sees the same as a harvester with them
(``authority_terms``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from pyoxigraph import Literal, NamedNode, Triple

from iprkg.artefact.releases import Release, release_iri
from iprkg.core.formats import DUMP_FORMATS, GZIP_MEDIA_TYPE, IANA_MEDIA_TYPES
from iprkg.core.vocabulary import ADMS, DCAT, DCATAP, DCT, FOAF, RDFS, SKOS, SPDX, VCARD
from iprkg.services.feed_descriptions import feed_distribution_triples
from iprkg.services.publication import (
    CATALOG_DESCRIPTION,
    CATALOG_TITLE,
    DATASET_DESCRIPTION,
    DATASET_TITLE,
    EU_AUTHORITY,
    EU_LICENCE,
    EU_THEMES,
    KEYWORDS,
    LANGUAGES,
    LICENCE,
    LOS_SCHEME,
    LOS_THEMES,
    NORWAY,
    PUBLIC,
    PUBLISHER_NAME,
    SERIES_DESCRIPTION,
    SERIES_TITLE,
    SERVICE_DESCRIPTION,
    SERVICE_TITLE,
    SHA1,
    SPARQL_PROTOCOL,
    STABLE,
    TYPE,
    Dump,
    Locations,
    Publication,
    dumps_of,
    iri,
    release_titles,
    texts,
    typed,
)


def catalog_triples(publication: Publication, at: Locations) -> list[Triple]:
    """The DCAT catalogue: what DCAT-AP-NO 3.0 makes mandatory and recommends."""
    p = publication
    catalog, dataset, service = p.iri(), p.iri("dataset"), p.iri("sparql")
    publisher, contact, home = p.publisher, p.iri("contact"), NamedNode(p.base)
    licence = NamedNode(EU_LICENCE)
    t: list[Triple] = []

    def add(subject: NamedNode, predicate: NamedNode, *objects: Any) -> None:
        t.extend(Triple(subject, predicate, o) for o in objects)

    add(catalog, TYPE, iri(DCAT, "Catalog"))
    add(catalog, iri(DCT, "title"), *texts(CATALOG_TITLE))
    add(catalog, iri(DCT, "description"), *texts(CATALOG_DESCRIPTION))
    add(catalog, iri(DCT, "identifier"), Literal(catalog.value))
    add(catalog, iri(DCT, "publisher"), publisher)
    add(catalog, iri(DCAT, "contactPoint"), contact)
    add(catalog, iri(DCT, "license"), licence)
    add(catalog, iri(DCT, "language"), *(NamedNode(language) for language in LANGUAGES))
    add(catalog, iri(DCT, "spatial"), NamedNode(NORWAY))
    add(catalog, iri(DCAT, "themeTaxonomy"), NamedNode(EU_THEMES), NamedNode(LOS_SCHEME))
    add(catalog, iri(FOAF, "homepage"), home)
    add(catalog, iri(DCAT, "dataset"), dataset)
    add(catalog, iri(DCAT, "service"), service)
    if p.built:
        add(catalog, iri(DCT, "modified"), typed(p.built, "dateTime"))

    add(publisher, TYPE, iri(FOAF, "Agent"), iri(FOAF, "Organization"))
    add(publisher, iri(FOAF, "name"), *texts(PUBLISHER_NAME))
    add(publisher, iri(FOAF, "homepage"), home)
    add(contact, TYPE, iri(VCARD, "Organization"), iri(VCARD, "Kind"))
    add(contact, iri(VCARD, "fn"), *texts(PUBLISHER_NAME))
    add(contact, iri(VCARD, "hasURL"), home)
    add(home, TYPE, iri(FOAF, "Document"))
    add(licence, TYPE, iri(DCT, "LicenseDocument"))
    add(licence, iri(RDFS, "seeAlso"), NamedNode(LICENCE))

    t.extend(dataset_triples(p, dataset, DATASET_TITLE))
    for release in p.releases:
        add(dataset, iri(DCT, "hasVersion"), NamedNode(release.iri))
        add(dataset, iri(DCAT, "hasVersion"), NamedNode(release.iri))
    if p.built:
        add(dataset, iri(DCT, "modified"), typed(p.built, "dateTime"))
    for dump in p.dumps:
        distribution = p.iri(dump.name)
        add(dataset, iri(DCAT, "distribution"), distribution)
        t.extend(distribution_triples(distribution, dump, at.download(dump.name), p.built))
    if p.releases:
        t.extend(feed_distribution_triples(p, at))
        add(catalog, iri(DCAT, "dataset"), series_iri(p))
        t.extend(series_triples(p))
    for release in p.releases:
        add(catalog, iri(DCAT, "dataset"), NamedNode(release.iri))
        t.extend(release_triples(p, release, at))

    add(service, TYPE, iri(DCAT, "DataService"))
    add(service, iri(DCT, "title"), *texts(SERVICE_TITLE))
    add(service, iri(DCT, "description"), *texts(SERVICE_DESCRIPTION))
    add(service, iri(DCT, "identifier"), Literal(service.value))
    add(service, iri(DCAT, "endpointURL"), NamedNode(at.endpoint))
    add(service, iri(DCAT, "endpointDescription"), NamedNode(at.endpoint))
    add(service, iri(DCAT, "servesDataset"), dataset)
    add(service, iri(DCT, "conformsTo"), NamedNode(SPARQL_PROTOCOL))
    add(NamedNode(SPARQL_PROTOCOL), TYPE, iri(DCT, "Standard"))
    add(
        NamedNode(SPARQL_PROTOCOL), iri(DCT, "title"), Literal("SPARQL 1.1 Protocol", language="en")
    )
    add(service, iri(DCT, "publisher"), publisher)
    add(service, iri(DCAT, "contactPoint"), contact)
    add(service, iri(DCT, "license"), licence)
    add(service, iri(DCT, "accessRights"), NamedNode(PUBLIC))
    add(service, iri(DCAT, "theme"), *(NamedNode(theme) for theme in p.themes))
    return t + list(range_types(t)) + list(authority_terms(t))


def dataset_triples(
    p: Publication, dataset: NamedNode, titles: Mapping[str, str]
) -> Iterator[Triple]:
    """What the live dataset and every release say alike (DCAT-AP-NO's mandatory and
    recommended properties of a dataset): ``titles``, and the dataset's description,
    publisher, contact point, licence, access, themes, keywords, languages, places and
    period."""
    yield Triple(dataset, TYPE, iri(DCAT, "Dataset"))
    yield from (Triple(dataset, iri(DCT, "title"), title) for title in texts(titles))
    for description in texts(DATASET_DESCRIPTION):
        yield Triple(dataset, iri(DCT, "description"), description)
    yield Triple(dataset, iri(DCT, "identifier"), Literal(dataset.value))
    yield Triple(dataset, iri(DCT, "publisher"), p.publisher)
    yield Triple(dataset, iri(DCAT, "contactPoint"), p.iri("contact"))
    yield Triple(dataset, iri(DCT, "license"), NamedNode(EU_LICENCE))
    yield Triple(dataset, iri(DCT, "accessRights"), NamedNode(PUBLIC))
    yield Triple(dataset, iri(DCAT, "landingPage"), NamedNode(p.base))
    yield from (Triple(dataset, iri(DCT, "language"), NamedNode(lang)) for lang in LANGUAGES)
    for lang, words in KEYWORDS.items():
        for word in words:
            yield Triple(dataset, iri(DCAT, "keyword"), Literal(word, language=lang))
    yield from coverage(p, dataset)


def coverage(p: Publication, subject: NamedNode) -> Iterator[Triple]:
    """``subject``'s themes, places (Norway from the EU's country table, then the
    municipalities as our own ``dct:Location``\\ s) and period (the strategies')."""
    yield from (Triple(subject, iri(DCAT, "theme"), NamedNode(theme)) for theme in p.themes)
    for place in p.spatial:
        yield Triple(subject, iri(DCT, "spatial"), NamedNode(place))
    if p.period is not None:
        period = p.iri("period")
        yield Triple(subject, iri(DCT, "temporal"), period)
        yield Triple(period, TYPE, iri(DCT, "PeriodOfTime"))
        yield Triple(period, iri(DCAT, "startDate"), typed(p.period[0], "date"))
        yield Triple(period, iri(DCAT, "endDate"), typed(p.period[1], "date"))


def series_iri(p: Publication) -> NamedNode:
    """The releases as a ``dcat:DatasetSeries``: ``{base}release/``, the releases' page."""
    return NamedNode(f"{p.base}release/")


def series_triples(p: Publication) -> Iterator[Triple]:
    """The series of releases: what it is about (as the dataset), who publishes it, and
    its first and last release."""
    series = series_iri(p)
    yield Triple(series, TYPE, iri(DCAT, "DatasetSeries"))
    yield Triple(series, TYPE, iri(DCAT, "Dataset"))  # DCAT 3: every series is a dataset
    yield from (Triple(series, iri(DCT, "title"), title) for title in texts(SERIES_TITLE))
    for description in texts(SERIES_DESCRIPTION):
        yield Triple(series, iri(DCT, "description"), description)
    yield Triple(series, iri(DCT, "identifier"), Literal(series.value))
    yield Triple(series, iri(DCT, "publisher"), p.publisher)
    yield Triple(series, iri(DCAT, "contactPoint"), p.iri("contact"))
    yield from coverage(p, series)
    if p.releases:
        yield Triple(series, iri(DCT, "issued"), typed(p.releases[0].issued, "date"))
        yield Triple(series, iri(DCT, "modified"), typed(p.releases[-1].issued, "date"))
        yield Triple(series, iri(DCAT, "first"), NamedNode(p.releases[0].iri))
        yield Triple(series, iri(DCAT, "last"), NamedNode(p.releases[-1].iri))


def release_triples(p: Publication, release: Release, at: Locations) -> Iterator[Triple]:
    """One release as a ``dcat:Dataset`` in the series (DCAT 3 and ADMS versioning): a
    version of the live dataset, linked to the releases before and after it, with its
    dumps (served under ``/release/{version}/``) as distributions."""
    subject = NamedNode(release.iri)
    yield from dataset_triples(p, subject, release_titles(release.version))
    yield Triple(subject, iri(DCAT, "inSeries"), series_iri(p))
    yield Triple(subject, iri(DCAT, "version"), Literal(release.version))
    yield Triple(subject, iri(DCT, "issued"), typed(release.issued, "date"))
    yield Triple(subject, iri(DCT, "isVersionOf"), p.iri("dataset"))
    if release.previous is not None:
        previous = NamedNode(release_of(p, release.previous))
        yield Triple(subject, iri(DCAT, "previousVersion"), previous)
        yield Triple(subject, iri(DCAT, "prev"), previous)
        yield Triple(subject, iri(ADMS, "prev"), previous)
    following = [r for r in p.releases if r.previous == release.version]
    for later in following[:1]:
        yield Triple(subject, iri(ADMS, "next"), NamedNode(later.iri))
    for dump in dumps_of(release.manifest):
        distribution = NamedNode(f"{release.iri}#{dump.name}")
        yield Triple(subject, iri(DCAT, "distribution"), distribution)
        url = at.release(release.version, dump.name)
        yield from distribution_triples(distribution, dump, url, None)


def release_of(p: Publication, version: str) -> str:
    """The IRI of the release ``version`` (those read are checked to be under the base)."""
    return next((r.iri for r in p.releases if r.version == version), release_iri(p.base, version))


def releases_description(
    p: Publication, at: Locations, releases: Sequence[Release] | None = None
) -> list[Triple]:
    """The ``releases`` (default all), each as in the catalogue, with the series, what
    they share (publisher, contact point, licence, places, period) and the live dataset's
    links to them: the RDF of ``/release/`` and of each release's page."""
    chosen = p.releases if releases is None else tuple(releases)
    wanted = {NamedNode(r.iri) for r in chosen} | {series_iri(p)}
    shared = {p.publisher, p.iri("contact"), NamedNode(EU_LICENCE), p.iri("period")}
    shared |= {NamedNode(p.base), *(NamedNode(place) for place in p.places)}
    everything = catalog_triples(p, at)
    kept: list[Triple] = []
    for triple in everything:
        subject = triple.subject
        versioned = subject == p.iri("dataset") and triple.object in wanted
        distribution = isinstance(subject, NamedNode) and any(
            subject.value.startswith(f"{r.iri}#") for r in chosen
        )
        if subject in wanted or subject in shared or versioned or distribution:
            kept.append(triple)
    objects = {t.object for t in kept}
    ours = {p.iri(), p.iri("dataset"), p.iri("sparql")} | {NamedNode(r.iri) for r in p.releases}
    described = [t for t in everything if t.subject in objects - ours - wanted - shared]
    return kept + described


def distribution_triples(
    distribution: NamedNode, dump: Dump, download_url: str, modified: str | None
) -> Iterator[Triple]:
    """One dump as a ``dcat:Distribution``: a ``.gz`` has the media type and format of what
    it holds, and ``dcat:compressFormat`` application/gzip. Its size, and its SHA-1 (the
    algorithm DCAT-AP-NO names) where the manifest has one, as ``spdx:checksum``."""
    url = NamedNode(download_url)
    media_type = NamedNode(f"{IANA_MEDIA_TYPES}{dump.media_type}")
    file_type = NamedNode(dump.eu_file_type)
    label = format_label(dump)
    yield Triple(distribution, TYPE, iri(DCAT, "Distribution"))
    yield Triple(distribution, iri(DCT, "title"), Literal(f"{dump.name} ({label})", language="en"))
    yield Triple(distribution, iri(DCAT, "accessURL"), url)
    yield Triple(distribution, iri(DCAT, "downloadURL"), url)
    yield Triple(distribution, iri(DCAT, "mediaType"), media_type)
    yield Triple(media_type, TYPE, iri(DCT, "MediaType"))
    yield Triple(distribution, iri(DCT, "format"), file_type)
    yield Triple(file_type, TYPE, iri(DCT, "MediaTypeOrExtent"))
    if dump.gzipped:
        gzip = NamedNode(f"{IANA_MEDIA_TYPES}{GZIP_MEDIA_TYPE}")
        yield Triple(distribution, iri(DCAT, "compressFormat"), gzip)
        yield Triple(gzip, TYPE, iri(DCT, "MediaType"))
    yield Triple(distribution, iri(DCT, "license"), NamedNode(EU_LICENCE))
    yield Triple(distribution, iri(DCT, "accessRights"), NamedNode(PUBLIC))
    yield Triple(distribution, iri(DCATAP, "availability"), NamedNode(STABLE))
    if dump.bytes is not None:
        yield Triple(distribution, iri(DCAT, "byteSize"), typed(dump.bytes, "nonNegativeInteger"))
    if dump.sha1:
        checksum = NamedNode(f"{distribution.value}-sha1")
        yield Triple(distribution, iri(SPDX, "checksum"), checksum)
        yield Triple(checksum, TYPE, iri(SPDX, "Checksum"))
        yield Triple(checksum, iri(SPDX, "algorithm"), NamedNode(SHA1))
        yield Triple(checksum, iri(SPDX, "checksumValue"), typed(dump.sha1, "hexBinary"))
        yield Triple(NamedNode(SHA1), TYPE, iri(SPDX, "ChecksumAlgorithm"))
    if modified:
        yield Triple(distribution, iri(DCT, "modified"), typed(modified, "dateTime"))


RANGES = {
    iri(DCT, "accessRights"): iri(DCT, "RightsStatement"),
    iri(DCT, "language"): iri(DCT, "LinguisticSystem"),
    iri(DCT, "spatial"): iri(DCT, "Location"),
}
"""What DCAT-AP says the values of these properties are."""


def range_types(triples: Sequence[Triple]) -> Iterator[Triple]:
    """The class of each value of a property in ``RANGES``."""
    for triple in triples:
        if triple.predicate in RANGES and isinstance(triple.object, NamedNode):
            yield Triple(triple.object, TYPE, RANGES[triple.predicate])


def authority_terms(triples: Sequence[Triple]) -> Iterator[Triple]:
    """For each term of the EU authority tables and of LOS that ``triples`` name: a table
    (``…/authority/{table}``, LOS's theme scheme) is a ``skos:ConceptScheme``, a term
    (``…/authority/{table}/{code}``, ``…/los/tema/…``) a ``skos:Concept`` in its table."""
    named = {t.object for t in triples if isinstance(t.object, NamedNode)}
    for term in sorted(named, key=lambda node: node.value):
        value = term.value
        if value.startswith(EU_AUTHORITY):
            table, _, code = value.removeprefix(EU_AUTHORITY).partition("/")
            scheme = NamedNode(f"{EU_AUTHORITY}{table}")
        elif value.startswith(LOS_THEMES):
            code, scheme = value, NamedNode(LOS_SCHEME)
        elif value == LOS_SCHEME:
            code, scheme = "", term
        else:
            continue
        if code:
            yield Triple(term, TYPE, iri(SKOS, "Concept"))
            yield Triple(term, iri(SKOS, "inScheme"), scheme)
            label = iri(SKOS, "prefLabel")
        else:
            yield Triple(term, TYPE, iri(SKOS, "ConceptScheme"))
            label = iri(DCT, "title")
        yield from (Triple(term, label, text) for text in texts(AUTHORITY_NAMES.get(value, {})))


AUTHORITY_NAMES: dict[str, dict[str, str]] = {
    NORWAY: {"nb": "Norge", "en": "Norway"},
    LANGUAGES[0]: {"nb": "norsk", "en": "Norwegian"},
    LANGUAGES[1]: {"nb": "engelsk", "en": "English"},
    PUBLIC: {"nb": "offentlig", "en": "public"},
    STABLE: {"nb": "stabil", "en": "stable"},
    EU_LICENCE: {"en": "Creative Commons Attribution 4.0 International"},
    EU_THEMES: {"nb": "Datatema", "en": "Data theme"},
    f"{EU_AUTHORITY}file-type": {"en": "File type"},
    f"{EU_AUTHORITY}licence": {"en": "Licence"},
    f"{EU_AUTHORITY}access-right": {"en": "Access right"},
    f"{EU_AUTHORITY}planned-availability": {"en": "Planned availability"},
    f"{EU_AUTHORITY}language": {"en": "Language"},
    f"{EU_AUTHORITY}country": {"en": "Countries and territories"},
    LOS_SCHEME: {"nb": "Tema", "en": "Themes"},
    **{s.eu_file_type: {"en": s.label} for s in DUMP_FORMATS},
}
"""The names, as their tables give them, of the table terms the catalogue uses other than
themes (whose names a harvester has from LOS and the EU table). Schemes get a
``dct:title``, terms a ``skos:prefLabel``."""


def format_label(dump: Dump) -> str:
    label = next(s.label for s in DUMP_FORMATS if s.media_type == dump.media_type)
    return f"{label}, gzip" if dump.gzipped else label
