"""The one registry of serialisations: media type, rdflib name, pyoxigraph format, extension
and W3C format IRI.

RDF serialisations (``SERIALISATIONS``) and SPARQL query results serialisations
(``RESULTS_SERIALISATIONS``). The build writes the ``DUMP_FORMATS``; content negotiation,
the SPARQL endpoint and the dumps blueprint look formats up here too, so there is never a
second media-type table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pyoxigraph import QueryResultsFormat, RdfFormat


class UnknownFormatError(LookupError):
    """No serialisation in the registry matches the name, media type or extension."""


@dataclass(frozen=True)
class Serialisation:
    """One RDF serialisation and its names in each tool."""

    name: str
    """Short name used in the CLI, file names and ``?format=``."""
    label: str
    media_type: str
    rdflib_format: str
    oxigraph_format: RdfFormat
    extension: str
    """File extension without the dot."""
    datasets: bool
    """True when the syntax carries named graphs (TriG, N-Quads)."""
    w3c_format: str
    """Its IRI in the W3C's format registry (``http://www.w3.org/ns/formats/``)."""
    aliases: tuple[str, ...] = ()
    """Other media types that ask for it (matched exactly, never by a wildcard)."""
    format_names: tuple[str, ...] = ()
    """Other names ``?format=`` accepts for it, as clients send them (SPARQLWrapper's
    ``xml``, ``json``, ``n3``): the same name means RDF/XML for a graph and SPARQL XML for
    solutions, because each kind of result is negotiated over its own entries."""
    eu_file_type: str = ""
    """Its IRI in the EU Publications Office's file-type list, for ``dct:format`` in the
    DCAT catalogue ("" when it has none we use)."""


W3C_FORMATS = "http://www.w3.org/ns/formats/"
"""The W3C's registry of format IRIs, as used by the SPARQL service description."""
EU_FILE_TYPES = "http://publications.europa.eu/resource/authority/file-type/"
"""The EU's file-type authority list, as DCAT-AP and DCAT-AP-NO want for ``dct:format``."""
GZIP_MEDIA_TYPE = "application/gzip"
"""What a ``.gz`` dump is served as (RFC 6713), and its ``dcat:compressFormat``."""
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
"""Prefix of a media type's IRI in IANA's registry, as DCAT-AP wants for ``dcat:mediaType``."""

TURTLE = Serialisation(
    "turtle",
    "Turtle",
    "text/turtle",
    "turtle",
    RdfFormat.TURTLE,
    "ttl",
    datasets=False,
    w3c_format=f"{W3C_FORMATS}Turtle",
    aliases=("application/x-turtle",),
    format_names=("n3", "text/n3", "text"),
    eu_file_type=f"{EU_FILE_TYPES}RDF_TURTLE",
)
N_TRIPLES = Serialisation(
    "n-triples",
    "N-Triples",
    "application/n-triples",
    "nt",
    RdfFormat.N_TRIPLES,
    "nt",
    datasets=False,
    w3c_format=f"{W3C_FORMATS}N-Triples",
    eu_file_type=f"{EU_FILE_TYPES}RDF_N_TRIPLES",
)
JSON_LD = Serialisation(
    "json-ld",
    "JSON-LD",
    "application/ld+json",
    "json-ld",
    RdfFormat.JSON_LD,
    "jsonld",
    datasets=False,
    w3c_format=f"{W3C_FORMATS}JSON-LD",
    format_names=("json", "jsonld"),
    eu_file_type=f"{EU_FILE_TYPES}JSON_LD",
)
RDF_XML = Serialisation(
    "rdf-xml",
    "RDF/XML",
    "application/rdf+xml",
    "xml",
    RdfFormat.RDF_XML,
    "rdf",
    datasets=False,
    w3c_format=f"{W3C_FORMATS}RDF_XML",
    format_names=("xml", "rdf+xml", "rdfxml"),
    eu_file_type=f"{EU_FILE_TYPES}RDF_XML",
)
TRIG = Serialisation(
    "trig",
    "TriG",
    "application/trig",
    "trig",
    RdfFormat.TRIG,
    "trig",
    datasets=True,
    w3c_format=f"{W3C_FORMATS}TriG",
)
N_QUADS = Serialisation(
    "n-quads",
    "N-Quads",
    "application/n-quads",
    "nquads",
    RdfFormat.N_QUADS,
    "nq",
    datasets=True,
    w3c_format=f"{W3C_FORMATS}N-Quads",
)

SERIALISATIONS: tuple[Serialisation, ...] = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML, TRIG, N_QUADS)
"""Every known serialisation; the first is the default."""

DUMP_FORMATS: tuple[Serialisation, ...] = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML)
"""The serialisations the build writes to ``dist/``."""


@dataclass(frozen=True)
class ResultsSerialisation:
    """One serialisation of SPARQL SELECT and ASK results."""

    name: str
    """Short name used in ``?format=``."""
    label: str
    media_type: str
    oxigraph_format: QueryResultsFormat
    extension: str
    """File extension without the dot."""
    w3c_format: str
    """Its IRI in the W3C's format registry (``http://www.w3.org/ns/formats/``)."""
    aliases: tuple[str, ...] = ()
    """Other media types that ask for it (matched exactly, never by a wildcard)."""
    format_names: tuple[str, ...] = ()
    """Other names ``?format=`` accepts for it (see ``Serialisation.format_names``)."""


SPARQL_JSON = ResultsSerialisation(
    "json",
    "SPARQL 1.1 Query Results JSON",
    "application/sparql-results+json",
    QueryResultsFormat.JSON,
    "srj",
    w3c_format=f"{W3C_FORMATS}SPARQL_Results_JSON",
    aliases=("application/json",),
)
SPARQL_XML = ResultsSerialisation(
    "xml",
    "SPARQL Query Results XML",
    "application/sparql-results+xml",
    QueryResultsFormat.XML,
    "srx",
    w3c_format=f"{W3C_FORMATS}SPARQL_Results_XML",
    aliases=("application/xml",),
)
SPARQL_CSV = ResultsSerialisation(
    "csv",
    "SPARQL 1.1 Query Results CSV",
    "text/csv",
    QueryResultsFormat.CSV,
    "csv",
    w3c_format=f"{W3C_FORMATS}SPARQL_Results_CSV",
)
SPARQL_TSV = ResultsSerialisation(
    "tsv",
    "SPARQL 1.1 Query Results TSV",
    "text/tab-separated-values",
    QueryResultsFormat.TSV,
    "tsv",
    w3c_format=f"{W3C_FORMATS}SPARQL_Results_TSV",
)

RESULTS_SERIALISATIONS: tuple[ResultsSerialisation, ...] = (
    SPARQL_JSON,
    SPARQL_XML,
    SPARQL_CSV,
    SPARQL_TSV,
)
"""Every serialisation of SELECT and ASK results; the first is the default."""


@dataclass(frozen=True)
class PageFormat:
    """A serialisation for people: the HTML pages, negotiated beside the RDF ones."""

    name: str
    label: str
    media_type: str
    extension: str
    aliases: tuple[str, ...] = ()
    format_names: tuple[str, ...] = ()


HTML = PageFormat("html", "HTML", "text/html", "html", aliases=("application/xhtml+xml",))
"""The HTML pages of resources (``resources``) and of the dataset."""


def by_name(name: str) -> Serialisation:
    """The serialisation called ``name`` (e.g. ``turtle``)."""
    return _find(name.lower(), lambda s: s.name)


def by_media_type(media_type: str) -> Serialisation:
    """The serialisation for ``media_type``, ignoring parameters such as ``charset``."""
    essence = media_type.split(";", 1)[0].strip().lower()
    return _find(essence, lambda s: s.media_type)


def by_extension(extension: str) -> Serialisation:
    """The serialisation for a file extension, with or without the leading dot."""
    return _find(extension.lower().removeprefix("."), lambda s: s.extension)


def _find(key: str, field: Callable[[Serialisation], str]) -> Serialisation:
    for serialisation in SERIALISATIONS:
        if field(serialisation) == key:
            return serialisation
    raise UnknownFormatError(key)
