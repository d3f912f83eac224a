"""``remote_graph``: which graph of a back end ``iprkg serve --backend`` answers from, the
protocol parameters that name it, and what the start-up check says when no graph holds
the build. A fake endpoint answers the counts here; tests/e2e/test_publish_then_serve.py
runs the same against Oxigraph server."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from iprkg.artefact.artefact import StoreError
from iprkg.core.errors import QueryFailed
from iprkg.engine.remote_graph import (
    COUNTS,
    Held,
    chosen_graph,
    graph_store_of,
    protocol_dataset,
    published_graph,
)

BASE = "https://w3id.org/iprkg/"
GRAPH = f"{BASE}dataset"
OTHER = "https://example.org/other"
URL = "http://127.0.0.1:7878/query"
DIST = Path("/srv/dist")
MANIFEST = {"base": BASE, "triples": 10, "subjects": 3}


@pytest.mark.parametrize(
    ("text", "default", "named", "expected"),
    [
        ("SELECT * { ?s ?p ?o }", (), (), [("default-graph-uri", GRAPH)]),
        ("select * from <x> { ?s ?p ?o }", (), (), []),
        ("SELECT * FROM NAMED <x> { GRAPH ?g { ?s ?p ?o } }", (), (), []),
        ("SELECT ?from { ?from ?p ?o }", (), (), [("default-graph-uri", GRAPH)]),
        ("SELECT * { ?s <from> 'FROM' } # FROM", (), (), [("default-graph-uri", GRAPH)]),
        ("SELECT * { ?s ?p ?o }", ("urn:d",), (), [("default-graph-uri", "urn:d")]),
        ("SELECT * { ?s ?p ?o }", (), ("urn:n",), [("named-graph-uri", "urn:n")]),
    ],
)
def test_the_graph_is_named_unless_the_query_or_the_client_names_a_dataset(
    text: str, default: tuple[str, ...], named: tuple[str, ...], expected: list[tuple[str, str]]
) -> None:
    assert protocol_dataset(GRAPH, text, default, named) == expected


def test_the_default_graph_is_asked_for_without_parameters() -> None:
    assert protocol_dataset(None, "SELECT * { ?s ?p ?o }") == []


class FakeEndpoint:
    """Answers the counts from ``held`` (graph -> triples, subjects); records each request."""

    def __init__(self, held: dict[str | None, tuple[int, int]], same_size: Sequence[str] = ()):
        self.held, self.same_size = held, same_size
        self.asked: list[list[tuple[str, str]]] = []

    def __call__(self, request: Sequence[tuple[str, str]]) -> bytes:
        self.asked.append(list(request))
        query = dict(request)["query"]
        if query != COUNTS:
            rows = [{"graph": {"type": "uri", "value": g}} for g in self.same_size]
            return json.dumps({"results": {"bindings": rows}}).encode()
        graph = dict(request).get("default-graph-uri")
        triples, subjects = self.held.get(graph, (0, 0))
        row = {
            "triples": {"type": "literal", "value": str(triples)},
            "subjects": {"type": "literal", "value": str(subjects)},
        }
        return json.dumps({"results": {"bindings": [row]}}).encode()


def test_the_published_graph_is_looked_in_first() -> None:
    ask = FakeEndpoint({GRAPH: (10, 3), None: (10, 3)})
    assert chosen_graph(ask, URL, DIST, MANIFEST) == Held(GRAPH, 10, 3)
    assert ask.asked == [[("query", COUNTS), ("default-graph-uri", GRAPH)]]
    assert published_graph(BASE) == GRAPH


def test_then_the_default_graph() -> None:
    ask = FakeEndpoint({GRAPH: (10, 4), None: (10, 3)})
    assert chosen_graph(ask, URL, DIST, MANIFEST) == Held(None, 10, 3)
    assert ask.asked[1] == [("query", COUNTS)]


def test_a_graph_given_is_the_only_one_looked_in() -> None:
    assert chosen_graph(FakeEndpoint({OTHER: (10, 3)}), URL, DIST, MANIFEST, OTHER).graph == OTHER
    ask = FakeEndpoint({GRAPH: (10, 3), None: (10, 3)})
    assert chosen_graph(ask, URL, DIST, MANIFEST, "default") == Held(None, 10, 3)
    assert len(ask.asked) == 1


def test_no_graph_holding_the_build_says_what_each_holds_and_what_to_run() -> None:
    ask = FakeEndpoint({GRAPH: (9, 3), None: (2, 1)}, same_size=[OTHER])
    with pytest.raises(StoreError) as refused:
        chosen_graph(ask, URL, DIST, MANIFEST)
    assert str(refused.value) == (
        f"the SPARQL back end {URL} holds 9 triples about 3 subjects in <{GRAPH}> (where "
        "iprkg publish puts the build) and 2 about 1 in its default graph, the build in "
        f"{DIST} has 10 about 3: publish the build to it: iprkg publish --store "
        f"http://127.0.0.1:7878/store --dist {DIST}; <{OTHER}> holds 10 triples, as many "
        "as the build, but is not where serve --backend looks (publish without --graph)"
    )


def test_a_graph_given_that_does_not_hold_the_build_gets_its_own_command() -> None:
    url = "http://localhost:3030/ds/query"
    with pytest.raises(StoreError) as refused:
        chosen_graph(FakeEndpoint({}), url, DIST, MANIFEST, OTHER)
    assert str(refused.value).endswith(
        f"publish the build to it: iprkg publish --store GRAPH_STORE_URL --graph {OTHER} "
        f"--dist {DIST} (GRAPH_STORE_URL: the store's Graph Store Protocol endpoint)"
    )
    with pytest.raises(StoreError, match=r"iprkg publish --store .* --default-graph --dist"):
        chosen_graph(FakeEndpoint({}), URL, DIST, MANIFEST, "default")


def test_a_failing_hint_query_leaves_the_hint_out() -> None:
    class Failing(FakeEndpoint):
        def __call__(self, request: Sequence[tuple[str, str]]) -> bytes:
            if dict(request)["query"] != COUNTS:
                raise QueryFailed("no GROUP BY here")
            return super().__call__(request)

    with pytest.raises(StoreError) as refused:
        chosen_graph(Failing({}), URL, DIST, MANIFEST)
    assert str(refused.value).endswith(
        f"iprkg publish --store http://127.0.0.1:7878/store --dist {DIST}"
    )


@pytest.mark.parametrize(
    ("query", "store"),
    [
        ("http://127.0.0.1:7878/query", "http://127.0.0.1:7878/store"),
        ("https://db.example.org/query?x=1", "https://db.example.org/store"),
        ("http://localhost:3030/ds/query", ""),
        ("http://localhost:8890/sparql", ""),
    ],
)
def test_the_graph_store_is_guessed_for_oxigraph_only(query: str, store: str) -> None:
    assert graph_store_of(query) == store
