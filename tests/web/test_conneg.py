"""Content negotiation at /sparql: q-values, wildcards, defaults, ``format``, 406.

Tables of Accept headers and the serialisation each must get, like Oxigraph's
``get_query_accept_*`` tests. ``Vary: Accept`` is checked on every answer.
"""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from support.protocol import CSV, JSON, RDF_TYPES, RESULT_TYPES, TSV, XML, sparql_get

SELECT = "PREFIX ipr: <ontology#> SELECT ?council WHERE { ?council a ipr:RegionalCouncil }"
"""Relative IRIs: answered only if queries resolve against the manifest's base."""
CONSTRUCT = "CONSTRUCT WHERE { <council/nome-midt-telemark> ?p ?o }"


def media_type(response: TestResponse) -> str:
    return response.headers["Content-Type"].split(";")[0]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, JSON),
        ("", JSON),
        ("*/*", JSON),
        ("text/*", CSV),
        ("application/*", JSON),
        (JSON, JSON),
        ("application/json", JSON),
        (XML, XML),
        ("application/xml", XML),
        (CSV, CSV),
        (TSV, TSV),
        (f"{JSON};q=0, */*", XML),
        (f"{CSV};q=0.5, {XML};q=0.9", XML),
        (f"{CSV}, {JSON};q=0.1", CSV),
        ("image/png, */*;q=0.1", JSON),
        # A browser gets the query page with the answer (web/query_page.py).
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
    ],
)
def test_select_negotiates(client: FlaskClient, accept: str | None, expected: str) -> None:
    response = sparql_get(client, SELECT, accept)
    assert response.status_code == 200, response.text
    assert media_type(response) == expected
    assert "Accept" in response.vary


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "text/turtle"),
        ("*/*", "text/turtle"),
        ("text/*", "text/turtle"),
        ("application/*", "application/n-triples"),
        ("text/turtle;q=0, */*", "application/n-triples"),
        ("application/x-turtle", "text/turtle"),
        *[(rdf_type, rdf_type) for rdf_type in RDF_TYPES],
    ],
)
def test_construct_negotiates(client: FlaskClient, accept: str | None, expected: str) -> None:
    response = sparql_get(client, CONSTRUCT, accept)
    assert response.status_code == 200, response.text
    assert media_type(response) == expected
    assert "Accept" in response.vary


@pytest.mark.parametrize(
    ("query", "accept"),
    [
        (SELECT, "image/png"),
        (SELECT, f"{CSV};q=0"),
        (SELECT, "*/*;q=0"),
        (SELECT, "application/ld+json"),
        (CONSTRUCT, JSON),
        (CONSTRUCT, "text/csv"),
    ],
)
def test_nothing_acceptable_is_406_naming_the_supported_types(
    client: FlaskClient, query: str, accept: str
) -> None:
    response = sparql_get(client, query, accept)
    assert response.status_code == 406
    assert "Accept" in response.vary
    supported = RESULT_TYPES if query == SELECT else RDF_TYPES
    for supported_type in supported:
        assert supported_type in response.text


@pytest.mark.parametrize(
    ("query", "format_", "expected"),
    [
        (SELECT, "csv", CSV),
        (SELECT, "tsv", TSV),
        (SELECT, "xml", XML),
        (SELECT, XML, XML),
        (SELECT, "srj", JSON),
        (CONSTRUCT, "turtle", "text/turtle"),
        (CONSTRUCT, "nt", "application/n-triples"),
        (CONSTRUCT, "json-ld", "application/ld+json"),
        (CONSTRUCT, "application/trig", "application/trig"),
        # the names clients such as SPARQLWrapper send, read for the result's own kind
        (SELECT, "json", JSON),
        (CONSTRUCT, "xml", "application/rdf+xml"),
        (CONSTRUCT, "rdf+xml", "application/rdf+xml"),
        (CONSTRUCT, "json", "application/ld+json"),
        (CONSTRUCT, "n3", "text/turtle"),
    ],
)
def test_the_format_parameter_overrides_accept(
    client: FlaskClient, query: str, format_: str, expected: str
) -> None:
    response = sparql_get(
        client, query, "application/sparql-results+json, text/turtle", format=format_
    )
    assert response.status_code == 200, response.text
    assert media_type(response) == expected


@pytest.mark.parametrize(
    ("query", "format_"), [(SELECT, "turtle"), (CONSTRUCT, "csv"), (SELECT, "x")]
)
def test_an_unknown_format_is_406(client: FlaskClient, query: str, format_: str) -> None:
    response = sparql_get(client, query, format=format_)
    assert response.status_code == 406
    assert f"unknown format '{format_}'" in response.text


def test_the_first_format_value_that_fits_the_result_wins(client: FlaskClient) -> None:
    response = client.get(
        "/sparql",
        query_string=[("query", CONSTRUCT), ("format", "csv"), ("format", "n3")],
    )
    assert response.status_code == 200, response.text
    assert media_type(response) == "text/turtle"


def test_several_format_values_that_all_miss_are_named_in_the_406(client: FlaskClient) -> None:
    response = client.get(
        "/sparql", query_string=[("query", SELECT), ("format", "turtle"), ("format", "x")]
    )
    assert response.status_code == 406
    assert "unknown format 'turtle', 'x'" in response.text
