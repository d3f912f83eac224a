"""The example queries as the data publish them: their IRIs, their graph and the terms
that describe them, shared by the build that writes them (``build.examples``) and the
services that read them back from the store (``services.examples``).

Each competency query ``queries/{name}.rq`` is published, as public SPARQL example
collections publish theirs (SIB's sparql-examples, UniProt), as ``{base}queries/{name}``:
``a sh:SPARQLExecutable`` and the executable class of its query form, the text in the
form's property (``sh:select``, ``sh:ask``, ``sh:construct``; SHACL has none for
DESCRIBE, so ``spex:describe`` of SIB's sparql-examples ontology, as those collections
do), ``rdfs:label`` and ``rdfs:comment`` in nb and en, and ``schema:target`` the SPARQL
endpoint ``{base}sparql``. ``schema:`` is ``https://schema.org/`` here, as those
collections and the clients that read them write it.
"""

from __future__ import annotations

from dataclasses import dataclass

SH = "http://www.w3.org/ns/shacl#"
SPEX = "https://purl.expasy.org/sparql-examples/ontology#"
"""SIB's sparql-examples ontology: its ``describe`` stands in for SHACL's missing one."""
SCHEMA = "https://schema.org/"
SCHEMA_TARGET = f"{SCHEMA}target"
EXECUTABLE = f"{SH}SPARQLExecutable"
EXAMPLES_PATH = "queries/"
"""Example IRIs are ``{base}queries/{name}``, ``name`` the file's path under ``queries/``
without ``.rq`` (``compare/goal-matrix``)."""
EXAMPLES_GRAPH = "examples"
"""Their named graph in ``iprkg.nq``: ``{base}graph/examples``."""
ENDPOINT_PATH = "sparql"
"""The endpoint is ``{base}sparql`` (``schema:target``)."""


@dataclass(frozen=True)
class QueryForm:
    """A SPARQL query form and how an executable of that form is typed and holds its text."""

    keyword: str
    executable: str
    """The class beside ``sh:SPARQLExecutable``."""
    text: str
    """The property whose literal is the query."""


FORMS = (
    QueryForm("SELECT", f"{SH}SPARQLSelectExecutable", f"{SH}select"),
    QueryForm("ASK", f"{SH}SPARQLAskExecutable", f"{SH}ask"),
    QueryForm("CONSTRUCT", f"{SH}SPARQLConstructExecutable", f"{SH}construct"),
    QueryForm("DESCRIBE", f"{SPEX}SPARQLDescribeExecutable", f"{SPEX}describe"),
)


def example_iri(base: str, name: str) -> str:
    """The IRI of the example query ``queries/{name}.rq``."""
    return f"{base}{EXAMPLES_PATH}{name}"


def example_name(base: str, iri: str) -> str | None:
    """The name of the example whose IRI is ``iri``; None for any other IRI."""
    prefix = f"{base}{EXAMPLES_PATH}"
    return iri[len(prefix) :] if iri.startswith(prefix) and len(iri) > len(prefix) else None


def endpoint_iri(base: str) -> str:
    """The SPARQL endpoint's IRI under ``base``, which dereferences to ``/sparql``."""
    return f"{base}{ENDPOINT_PATH}"
