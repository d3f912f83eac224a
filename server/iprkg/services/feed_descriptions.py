"""The two feeds as the catalogue (DCAT) and VoID describe them, for ``dcat`` and ``void``
to add to their own triples.

* DCAT (``feed_distribution_triples``): two more ``dcat:Distribution`` of the dataset,
  ``{base}catalog#change-feed``, the Linked Data Event Stream (``dct:conformsTo`` the LDES
  specification; Turtle by default, the feed negotiates JSON-LD and N-Triples too), and
  ``{base}catalog#release-feed``, the Atom feed of releases (``dct:conformsTo`` RFC 4287),
  each with its access URL here, its IANA media type, its EU file type (a
  ``skos:Concept`` of that table, as the table says), the EU licence and availability
  "stable" (the feeds stay where they are).
* VoID (``feed_void_triples``): the dataset ``rdfs:seeAlso`` the stream's IRI and the Atom
  feed, the stream typed and linked to its root page. Not ``void:dataDump`` (a feed is no
  dump of the dataset: it holds versions, and the Atom feed no data at all), and not
  ``void:feature``, whose objects are formats the dataset is served in.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from pyoxigraph import Literal, NamedNode, Triple

from iprkg.core.formats import EU_FILE_TYPES, IANA_MEDIA_TYPES, TURTLE
from iprkg.core.vocabulary import DCAT, DCATAP, DCT, RDFS, SKOS
from iprkg.services.change_feed import LDES, LDES_SPECIFICATION, STREAM_PATH, TREE, stream_iri
from iprkg.services.publication import (
    EU_FILE_TYPE_SCHEME,
    EU_LICENCE,
    EU_LICENCES,
    STABLE,
    TYPE,
    Locations,
    Publication,
    iri,
    texts,
    typed,
)
from iprkg.services.release_feed import ATOM_MEDIA_TYPE, ATOM_PATH, ATOM_SPECIFICATION

CHANGE_FEED_TITLE = {
    "nb": "Endringsstrøm (Linked Data Event Stream)",
    "en": "Change feed (Linked Data Event Stream)",
}
CHANGE_FEED_DESCRIPTION = {
    "nb": "For hver utgivelse en versjon av hver ressurs som endret seg, side for side, "
    "eldste først (LDES 1.0). Turtle, JSON-LD eller N-Triples.",
    "en": "For each release, a version of every resource that changed, page by page, "
    "oldest first (LDES 1.0). Turtle, JSON-LD or N-Triples.",
}
RELEASE_FEED_TITLE = {"nb": "Utgivelser (Atom-strøm)", "en": "Releases (Atom feed)"}
RELEASE_FEED_DESCRIPTION = {
    "nb": "Én oppføring per utgivelse, med lenke til siden og hva som endret seg, for "
    "nyhetslesere.",
    "en": "One entry per release, with a link to its page and what changed, for feed readers.",
}
ATOM_FILE_TYPE = f"{EU_FILE_TYPES}ATOM"
FILE_TYPE_LABELS = {TURTLE.eu_file_type: TURTLE.label, ATOM_FILE_TYPE: "ATOM"}
"""The EU file types' names: Turtle's as the catalogue gives it, ATOM's code in its table."""
STANDARDS = {
    LDES_SPECIFICATION: "Linked Data Event Streams",
    ATOM_SPECIFICATION: "The Atom Syndication Format (RFC 4287)",
}


def feed_distribution_triples(publication: Publication, at: Locations) -> list[Triple]:
    """The change feed and the Atom feed as distributions of the dataset (DCAT-AP)."""
    p = publication
    modified = p.releases[-1].released if p.releases else None
    t: list[Triple] = []
    for fragment, url, media_type, file_type, standard, titles, descriptions in (
        (
            "change-feed",
            f"{at.root}{STREAM_PATH}",
            TURTLE.media_type,
            TURTLE.eu_file_type,
            LDES_SPECIFICATION,
            CHANGE_FEED_TITLE,
            CHANGE_FEED_DESCRIPTION,
        ),
        (
            "release-feed",
            f"{at.root}{ATOM_PATH}",
            ATOM_MEDIA_TYPE,
            ATOM_FILE_TYPE,
            ATOM_SPECIFICATION,
            RELEASE_FEED_TITLE,
            RELEASE_FEED_DESCRIPTION,
        ),
    ):
        subject = p.iri(fragment)
        t.append(Triple(p.iri("dataset"), iri(DCAT, "distribution"), subject))
        t += described(
            subject, url, media_type, file_type, standard, titles, descriptions, modified
        )
    return t


def described(
    subject: NamedNode,
    url: str,
    media_type: str,
    file_type: str,
    standard: str,
    titles: Mapping[str, str],
    descriptions: Mapping[str, str],
    modified: str | None,
) -> Iterator[Triple]:
    media = NamedNode(f"{IANA_MEDIA_TYPES}{media_type}")
    kind = NamedNode(file_type)
    conforms = NamedNode(standard)
    licence = NamedNode(EU_LICENCE)
    yield Triple(subject, TYPE, iri(DCAT, "Distribution"))
    yield from (Triple(subject, iri(DCT, "title"), title) for title in texts(titles))
    yield from (Triple(subject, iri(DCT, "description"), d) for d in texts(descriptions))
    yield Triple(subject, iri(DCAT, "accessURL"), NamedNode(url))
    yield Triple(subject, iri(DCAT, "mediaType"), media)
    yield Triple(media, TYPE, iri(DCT, "MediaType"))
    yield Triple(subject, iri(DCT, "format"), kind)
    yield Triple(kind, TYPE, iri(DCT, "MediaTypeOrExtent"))
    yield Triple(kind, TYPE, iri(SKOS, "Concept"))
    yield Triple(kind, iri(SKOS, "prefLabel"), Literal(FILE_TYPE_LABELS[file_type], language="en"))
    yield Triple(kind, iri(SKOS, "inScheme"), NamedNode(EU_FILE_TYPE_SCHEME))
    yield Triple(subject, iri(DCT, "conformsTo"), conforms)
    yield Triple(conforms, TYPE, iri(DCT, "Standard"))
    yield Triple(conforms, iri(DCT, "title"), Literal(STANDARDS[standard], language="en"))
    yield Triple(subject, iri(DCT, "license"), licence)
    yield Triple(licence, TYPE, iri(DCT, "LicenseDocument"))
    yield Triple(licence, iri(SKOS, "inScheme"), NamedNode(EU_LICENCES))
    yield Triple(subject, iri(DCATAP, "availability"), NamedNode(STABLE))
    yield Triple(NamedNode(STABLE), TYPE, iri(SKOS, "Concept"))
    if modified:
        yield Triple(subject, iri(DCT, "modified"), typed(modified, "dateTime"))


def feed_void_triples(publication: Publication, at: Locations) -> list[Triple]:
    """The feeds in VoID: ``rdfs:seeAlso`` from the dataset, the stream and its root."""
    p = publication
    dataset, stream = p.iri("dataset"), stream_iri(p)
    atom = NamedNode(f"{at.root}{ATOM_PATH}")
    return [
        Triple(dataset, iri(RDFS, "seeAlso"), stream),
        Triple(dataset, iri(RDFS, "seeAlso"), atom),
        Triple(stream, TYPE, iri(LDES, "EventStream")),
        *(Triple(stream, iri(DCT, "title"), title) for title in texts(CHANGE_FEED_TITLE)),
        Triple(stream, iri(DCT, "conformsTo"), NamedNode(LDES_SPECIFICATION)),
        Triple(stream, iri(TREE, "view"), NamedNode(f"{at.root}{STREAM_PATH}")),
        Triple(atom, iri(DCT, "format"), NamedNode(f"{IANA_MEDIA_TYPES}{ATOM_MEDIA_TYPE}")),
        *(Triple(atom, iri(DCT, "title"), title) for title in texts(RELEASE_FEED_TITLE)),
    ]
