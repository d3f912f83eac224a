"""The VoID description of the dataset, for ``/.well-known/void``.

Made, like the DCAT catalogue, from the facts ``publication.describe`` fixed at start-up
and the URLs of this request (``publication.Locations``).
"""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from iprkg.artefact.releases import Release
from iprkg.core.formats import SERIALISATIONS
from iprkg.core.vocabulary import DCT, FOAF, VOID
from iprkg.services.examples import example_void_triples
from iprkg.services.feed_descriptions import feed_void_triples
from iprkg.services.publication import (
    DATASET_DESCRIPTION,
    DATASET_TITLE,
    LICENCE,
    TYPE,
    Locations,
    Publication,
    iri,
    release_titles,
    texts,
    typed,
)


def void_triples(publication: Publication, at: Locations) -> list[Triple]:
    """The VoID description of the dataset, for ``/.well-known/void``."""
    p = publication
    dataset = p.iri("dataset")
    t: list[Triple] = [
        Triple(dataset, TYPE, iri(VOID, "Dataset")),
        *(Triple(dataset, iri(DCT, "title"), text) for text in texts(DATASET_TITLE)),
        *(Triple(dataset, iri(DCT, "description"), text) for text in texts(DATASET_DESCRIPTION)),
        Triple(dataset, iri(DCT, "publisher"), p.publisher),
        Triple(dataset, iri(DCT, "license"), NamedNode(LICENCE)),
        Triple(dataset, iri(FOAF, "homepage"), NamedNode(p.base)),
        Triple(dataset, iri(VOID, "sparqlEndpoint"), NamedNode(at.endpoint)),
        Triple(dataset, iri(VOID, "uriSpace"), Literal(p.base)),
    ]
    if p.built and p.content_hash:
        t.append(Triple(dataset, iri(DCT, "modified"), typed(p.built, "dateTime")))
        t.append(Triple(dataset, iri(DCT, "identifier"), Literal(p.content_hash)))
    t.extend(
        Triple(dataset, iri(VOID, "dataDump"), NamedNode(at.download(d.name))) for d in p.dumps
    )
    t.extend(Triple(dataset, iri(VOID, "feature"), NamedNode(s.w3c_format)) for s in SERIALISATIONS)
    t.extend(
        Triple(dataset, iri(VOID, name), typed(count, "integer")) for name, count in p.counts.counts
    )
    t.extend(feed_void_triples(p, at))
    t.extend(example_void_triples(dataset, p.examples))
    for release in p.releases:
        version = NamedNode(release.iri)
        t.append(Triple(dataset, iri(DCT, "hasVersion"), version))
        t.extend(release_void(p, release, at))
    for vocabulary in vocabularies(p):
        t.append(Triple(dataset, iri(VOID, "vocabulary"), NamedNode(vocabulary)))
    for number, (cls, entities) in enumerate(p.classes, start=1):
        partition = BlankNode(f"class{number}")
        t.append(Triple(dataset, iri(VOID, "classPartition"), partition))
        t.append(Triple(partition, iri(VOID, "class"), NamedNode(cls)))
        t.append(Triple(partition, iri(VOID, "entities"), typed(entities, "integer")))
    for number, (prop, triples) in enumerate(p.properties, start=1):
        partition = BlankNode(f"property{number}")
        t.append(Triple(dataset, iri(VOID, "propertyPartition"), partition))
        t.append(Triple(partition, iri(VOID, "property"), NamedNode(prop)))
        t.append(Triple(partition, iri(VOID, "triples"), typed(triples, "integer")))
    return t


def release_void(p: Publication, release: Release, at: Locations) -> list[Triple]:
    """A release as a ``void:Dataset``: a version of the dataset, its dumps here."""
    subject = NamedNode(release.iri)
    t = [
        Triple(subject, TYPE, iri(VOID, "Dataset")),
        *(
            Triple(subject, iri(DCT, "title"), text)
            for text in texts(release_titles(release.version))
        ),
        Triple(subject, iri(DCT, "isVersionOf"), p.iri("dataset")),
        Triple(subject, iri(DCT, "issued"), typed(release.issued, "date")),
        Triple(subject, iri(DCT, "identifier"), Literal(release.content_hash)),
        Triple(subject, iri(DCT, "publisher"), p.publisher),
        Triple(subject, iri(DCT, "license"), NamedNode(LICENCE)),
        Triple(subject, iri(VOID, "triples"), typed(release.triples, "integer")),
        Triple(subject, iri(VOID, "uriSpace"), Literal(p.base)),
    ]
    t.extend(
        Triple(subject, iri(VOID, "dataDump"), NamedNode(at.release(release.version, name)))
        for name in release.dumps
    )
    return t


def vocabularies(publication: Publication) -> list[str]:
    """The namespaces of the classes and properties used (``void:vocabulary``)."""
    terms = [cls for cls, _ in publication.classes] + [prop for prop, _ in publication.properties]
    return sorted({namespace(term) for term in terms})


def namespace(term: str) -> str:
    """``term`` up to its last ``#`` or ``/``, inclusive."""
    cut = max(term.rfind("#"), term.rfind("/"))
    return term[: cut + 1]
