"""Errors at /sparql: one shape (text/plain, or JSON when preferred), never a traceback,
never a 500 for a user's mistake.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from iprkg.core.settings import Settings
from iprkg.engine.oxigraph_store import OxigraphStore
from iprkg.web.app import create_app
from iprkg.web.context import context_of
from support.protocol import sparql_get

ASK = "ASK { <council/nome-midt-telemark> a <ontology#RegionalCouncil> }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


NO_QUERY = {"default-graph-uri": "http://example.org/graph"}
"""A protocol request without its query (a bare GET /sparql is the service description)."""


def test_the_error_shape_is_text_by_default(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string=NO_QUERY)
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.text == "400 Bad Request: missing the query parameter\n"


def test_the_error_shape_is_json_when_preferred(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string=NO_QUERY, headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert response.get_json() == {
        "status": 400,
        "error": "bad-request",
        "message": "missing the query parameter",
    }


def test_a_malformed_query_is_400_with_the_parser_position(client: FlaskClient) -> None:
    response = sparql_get(client, "SELECT ?x WHERE {\n  ?x ?y\n}", "application/json")
    assert response.status_code == 400
    error = response.get_json()
    assert error["error"] == "bad-query"
    assert error["message"].startswith("error at 3:")
    assert "Traceback" not in response.text


@pytest.mark.parametrize(
    ("method", "kwargs", "status", "kind"),
    [
        ("get", {"query_string": [("query", ASK), ("query", ASK)]}, 400, "bad-request"),
        ("post", {"data": {"query": [ASK, ASK]}}, 400, "bad-request"),
        ("post", {"data": {"query": ASK, "update": "CLEAR ALL"}}, 400, "bad-request"),
        ("post", {"data": {"format": "json"}}, 400, "bad-request"),
        ("get", {"query_string": "query=%FF"}, 400, "bad-request"),
        (
            "post",
            {"data": b"query=%C3", "content_type": "application/x-www-form-urlencoded"},
            400,
            "bad-request",
        ),
        (
            "post",
            {"data": b"ASK {\xff}", "content_type": "application/sparql-query"},
            400,
            "bad-request",
        ),
        ("post", {"data": ASK, "content_type": "text/plain"}, 415, "unsupported-media-type"),
        ("post", {"data": ASK}, 415, "unsupported-media-type"),
        ("put", {"data": ASK}, 405, "method-not-allowed"),
        (
            "get",
            {"query_string": {"query": COUNT, "default-graph-uri": "relative"}},
            400,
            "bad-request",
        ),
        ("get", {"query_string": {"query": ""}}, 400, "bad-query"),
    ],
)
def test_user_mistakes_are_4xx_in_the_one_shape(
    client: FlaskClient, method: str, kwargs: dict[str, Any], status: int, kind: str
) -> None:
    response = getattr(client, method)("/sparql", headers={"Accept": "application/json"}, **kwargs)
    assert response.status_code == status, response.text
    assert set(response.get_json()) == {"status", "error", "message"}
    assert response.get_json()["status"] == status
    assert response.get_json()["error"] == kind
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Accept" in response.vary


def test_415_names_the_readable_bodies(client: FlaskClient) -> None:
    response = client.post("/sparql", data=ASK, content_type="text/plain")
    assert "application/x-www-form-urlencoded" in response.text
    assert "application/sparql-query" in response.text


def test_405_keeps_its_allow_header(client: FlaskClient) -> None:
    response = client.delete("/sparql")
    assert response.status_code == 405
    assert {"GET", "POST"} <= set(response.headers["Allow"].replace(" ", "").split(","))


def test_an_unknown_path_is_404_in_the_same_shape(client: FlaskClient) -> None:
    response = client.get("/nowhere", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json()["error"] == "not-found"


def test_a_body_over_the_limit_is_413(store: OxigraphStore) -> None:
    settings = Settings.load(environ={"IPRKG_MAX_BODY_KB": "1"})
    app = create_app({"TESTING": True, "IPRKG_STORE": store, "IPRKG_SETTINGS": settings})
    response = app.test_client().post(
        "/sparql", data=ASK + " " * 2000, content_type="application/sparql-query"
    )
    assert response.status_code == 413
    assert response.text.startswith("413 Request Entity Too Large: ")


class FailingStore(OxigraphStore):
    """A store whose every query fails with an internal error."""

    def query(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internal detail")


def test_an_internal_failure_is_500_without_its_detail(store: OxigraphStore) -> None:
    app = create_app({"TESTING": True, "IPRKG_STORE": store})
    # Swapped in after creation: the service description asks the store at startup.
    context_of(app).store = FailingStore.__new__(FailingStore)
    response = app.test_client().get("/sparql", query_string={"query": ASK})
    assert response.status_code == 500
    assert (
        response.text
        == "500 Internal Server Error: the server failed to answer; the error is logged\n"
    )
    assert "secret" not in response.text


def test_an_unsupported_function_is_a_bad_query_not_a_server_error(client: FlaskClient) -> None:
    response = client.get(
        "/sparql",
        query_string={"query": "SELECT ?x WHERE { BIND(<http://example.org/f>(1) AS ?x) }"},
    )
    assert response.status_code == 400
    assert "<http://example.org/f> is not supported" in response.get_data(as_text=True)
