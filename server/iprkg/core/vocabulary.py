"""The vocabularies the code names, once: namespaces, and the properties that label a resource.

Plain strings (namespace IRIs end with their ``#`` or ``/``), so that every layer can use
them: the engine writes them into SPARQL as ``<{SKOS}prefLabel>``, the build wraps them
in ``rdflib.Namespace``, the pages compare them with what the store answers.
"""

from __future__ import annotations

from collections.abc import Mapping

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
FOAF = "http://xmlns.com/foaf/0.1/"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
VOID = "http://rdfs.org/ns/void#"
SD = "http://www.w3.org/ns/sparql-service-description#"
VCARD = "http://www.w3.org/2006/vcard/ns#"
ADMS = "http://www.w3.org/ns/adms#"
DCATAP = "http://data.europa.eu/r5r/"
SPDX = "http://spdx.org/rdf/terms#"
VANN = "http://purl.org/vocab/vann/"
ELI = "http://data.europa.eu/eli/ontology#"
CV = "http://data.europa.eu/m8g/"
SCHEMA = "http://schema.org/"

PREFIXES: Mapping[str, str] = {
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dct": DCT,
    "dcat": DCAT,
    "foaf": FOAF,
    "org": ORG,
    "prov": PROV,
    "void": VOID,
    "sd": SD,
    "vcard": VCARD,
    "adms": ADMS,
    "vann": VANN,
    "eli": ELI,
    "cv": CV,
    "schema": SCHEMA,
}
"""The usual prefix of each namespace above."""


def prefixed(iri: str) -> str:
    """``iri`` as a prefixed name (``skos:prefLabel``) if its namespace is above, else as is."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


LABEL_PROPERTIES: tuple[str, ...] = (
    f"{SKOS}prefLabel",
    f"{RDFS}label",
    f"{DCT}title",
    f"{ELI}title",
    f"{FOAF}name",
    f"{SCHEMA}name",
    f"{SKOS}altLabel",
)
"""Properties whose literals name a resource, most preferred first: a display label is the
first of these in the wanted language (docs/model.md). The pages' SPARQL
(``engine.results.label_patterns``), the store's labels and descriptions, and the
changelog all read this one list."""

NOTATION = f"{SKOS}notation"
"""A code (``"3.1"``) that names a resource only where none of ``LABEL_PROPERTIES`` does."""
