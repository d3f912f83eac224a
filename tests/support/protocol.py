"""The SPARQL protocol as the tests speak it: media types spelled out (not taken from the
formats registry, so that the tests pin what goes over the wire), a GET helper for the
Flask test client, and a second parser (rdflib) for RDF answers.
"""

from __future__ import annotations

import warnings

from flask.testing import FlaskClient
from rdflib import Dataset, Graph
from werkzeug.test import TestResponse

# The media types of the SPARQL protocol, spelled out here (not taken from the formats
# registry) so that the tests pin what goes over the wire.
JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
RESULT_TYPES = [JSON, XML, CSV, TSV]
RDF_TYPES = [
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
    "application/trig",
    "application/n-quads",
]


def sparql_get(
    client: FlaskClient, query: str, accept: str | None = None, **params: str
) -> TestResponse:
    """GET /sparql?query=QUERY&PARAMS, with ``Accept: accept`` unless it is None."""
    headers = {} if accept is None else {"Accept": accept}
    return client.get("/sparql", query_string={"query": query, **params}, headers=headers)


DATASET_TYPES = ("application/trig", "application/n-quads")


def parse_rdf(data: bytes, media_type: str) -> Graph:
    """Parse with rdflib, an independent parser; a dataset's quads flattened to triples."""
    if media_type not in DATASET_TYPES:
        return Graph().parse(data=data, format=media_type)
    parsed = Dataset()
    with warnings.catch_warnings():
        # rdflib 7's Dataset.parse and TriG parser use its own deprecated API internally.
        warnings.filterwarnings("ignore", "Dataset.default_context is deprecated")
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated")
        parsed.parse(data=data, format=media_type)
    graph = Graph()
    for s, p, o, _ in parsed.quads():
        graph.add((s, p, o))
    return graph
