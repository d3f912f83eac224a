"""The DCAT catalogue (``/catalog``, DCAT-AP-NO 2.0 and DCAT-AP 3.0.1): the catalogue, the
dataset and each release as datasets, their distributions and the SPARQL service, from
the facts of ``publication.describe`` and the URLs of this request (``Locations``). The
IRIs are those ``iprkg.services.publication`` lists.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from iprkg.artefact.releases import Release, release_iri
from iprkg.core.formats import DUMP_FORMATS, GZIP_MEDIA_TYPE, IANA_MEDIA_TYPES
from iprkg.core.vocabulary import ADMS, DCAT, DCT, FOAF, RDFS, SKOS, VCARD
from iprkg.services.publication import (
    CATALOG_DESCRIPTION,
    CATALOG_TITLE,
    DATASET_DESCRIPTION,
    DATASET_TITLE,
    EU_FILE_TYPE_SCHEME,
    EU_LICENCE,
    EU_LICENCES,
    KEYWORDS,
    LICENCE,
    PUBLISHER_NAME,
    SERVICE_DESCRIPTION,
    SERVICE_TITLE,
    SPARQL_PROTOCOL,
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
    """The DCAT catalogue (DCAT-AP-NO 2.0 and DCAT-AP 3.0.1)."""
    p = publication
    catalog, dataset, service = p.iri(), p.iri("dataset"), p.iri("sparql")
    publisher, contact, home = p.publisher, p.iri("contact"), NamedNode(p.base)
    licence = NamedNode(EU_LICENCE)
    t: list[Triple] = []

    def add(subject: NamedNode | BlankNode, predicate: NamedNode, *objects: Any) -> None:
        t.extend(Triple(subject, predicate, o) for o in objects)

    add(catalog, TYPE, iri(DCAT, "Catalog"))
    add(catalog, iri(DCT, "title"), *texts(CATALOG_TITLE))
    add(catalog, iri(DCT, "description"), *texts(CATALOG_DESCRIPTION))
    add(catalog, iri(DCT, "identifier"), Literal(catalog.value))
    add(catalog, iri(DCT, "publisher"), publisher)
    add(catalog, iri(DCT, "license"), licence)
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
    add(licence, iri(SKOS, "inScheme"), NamedNode(EU_LICENCES))
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
    return t


def dataset_triples(
    p: Publication, dataset: NamedNode, titles: Mapping[str, str]
) -> Iterator[Triple]:
    """What the live dataset and every release say alike (DCAT-AP-NO's mandatory and
    recommended properties of a dataset): ``titles``, and the dataset's description,
    publisher, contact point, licence, themes, keywords, places and period."""
    home = NamedNode(p.base)
    yield Triple(dataset, TYPE, iri(DCAT, "Dataset"))
    yield from (Triple(dataset, iri(DCT, "title"), title) for title in texts(titles))
    for description in texts(DATASET_DESCRIPTION):
        yield Triple(dataset, iri(DCT, "description"), description)
    yield Triple(dataset, iri(DCT, "identifier"), Literal(dataset.value))
    yield Triple(dataset, iri(DCT, "publisher"), p.publisher)
    yield Triple(dataset, iri(DCAT, "contactPoint"), p.iri("contact"))
    yield Triple(dataset, iri(DCT, "license"), NamedNode(EU_LICENCE))
    yield Triple(dataset, iri(DCAT, "landingPage"), home)
    yield from (Triple(dataset, iri(DCAT, "theme"), NamedNode(theme)) for theme in p.themes)
    for lang, words in KEYWORDS.items():
        for word in words:
            yield Triple(dataset, iri(DCAT, "keyword"), Literal(word, language=lang))
    for place in p.places:
        yield Triple(dataset, iri(DCT, "spatial"), NamedNode(place))
        yield Triple(NamedNode(place), TYPE, iri(DCT, "Location"))
    if p.period is not None:
        period = p.iri("period")
        yield Triple(dataset, iri(DCT, "temporal"), period)
        yield Triple(period, TYPE, iri(DCT, "PeriodOfTime"))
        yield Triple(period, iri(DCAT, "startDate"), typed(p.period[0], "date"))
        yield Triple(period, iri(DCAT, "endDate"), typed(p.period[1], "date"))


def release_triples(p: Publication, release: Release, at: Locations) -> Iterator[Triple]:
    """One release as a ``dcat:Dataset`` (DCAT 3 and ADMS versioning): a version of the
    live dataset, linked to the releases before and after it, with its dumps (served
    under ``/release/{version}/``) as distributions."""
    subject = NamedNode(release.iri)
    yield from dataset_triples(p, subject, release_titles(release.version))
    yield Triple(subject, iri(DCAT, "version"), Literal(release.version))
    yield Triple(subject, iri(DCT, "issued"), typed(release.issued, "date"))
    yield Triple(subject, iri(DCT, "isVersionOf"), p.iri("dataset"))
    if release.previous is not None:
        previous = NamedNode(release_of(p, release.previous))
        yield Triple(subject, iri(DCAT, "previousVersion"), previous)
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
    """The ``releases`` (default all), each as in the catalogue, with what they share
    (publisher, contact point, licence) and the live dataset's links to them: the RDF
    of ``/release/`` and of each release's page."""
    chosen = p.releases if releases is None else tuple(releases)
    wanted = {NamedNode(r.iri) for r in chosen}
    shared = {p.publisher, p.iri("contact"), NamedNode(EU_LICENCE), p.iri("period")}
    shared |= {NamedNode(p.base), *(NamedNode(place) for place in p.places)}
    kept: list[Triple] = []
    for triple in catalog_triples(p, at):
        subject = triple.subject
        versioned = subject == p.iri("dataset") and triple.object in wanted
        distribution = isinstance(subject, NamedNode) and any(
            subject.value.startswith(f"{r.iri}#") for r in chosen
        )
        if subject in wanted or subject in shared or versioned or distribution:
            kept.append(triple)
    kinds = (iri(DCAT, "mediaType"), iri(DCT, "format"), iri(DCAT, "compressFormat"))
    media = {t.object for t in kept if t.predicate in kinds}
    return kept + [t for t in catalog_triples(p, at) if t.subject in media]


def distribution_triples(
    distribution: NamedNode, dump: Dump, download_url: str, modified: str | None
) -> Iterator[Triple]:
    """One dump as a ``dcat:Distribution``: a ``.gz`` has the media type and format of what
    it holds, and ``dcat:compressFormat`` application/gzip.

    No ``dcat:byteSize`` and no ``spdx:checksum``: the two profiles contradict each other
    on both (DCAT-AP-NO 2.0 wants ``xsd:decimal`` sizes and ``http://spdx.org/...sha1``
    checksums, DCAT-AP 3.0.1 ``xsd:nonNegativeInteger`` and ``https://spdx.org/...``), so
    no value conforms to both. Sizes and SHA-256 digests are in ``/dumps/manifest.json``."""
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
    yield Triple(file_type, iri(SKOS, "inScheme"), NamedNode(EU_FILE_TYPE_SCHEME))
    if dump.gzipped:
        gzip = NamedNode(f"{IANA_MEDIA_TYPES}{GZIP_MEDIA_TYPE}")
        yield Triple(distribution, iri(DCAT, "compressFormat"), gzip)
        yield Triple(gzip, TYPE, iri(DCT, "MediaType"))
    yield Triple(distribution, iri(DCT, "license"), NamedNode(EU_LICENCE))
    if modified:
        yield Triple(distribution, iri(DCT, "modified"), typed(modified, "dateTime"))


def format_label(dump: Dump) -> str:
    label = next(s.label for s in DUMP_FORMATS if s.media_type == dump.media_type)
    return f"{label}, gzip" if dump.gzipped else label
