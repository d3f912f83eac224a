"""Which graph of a remote SPARQL endpoint ``iprkg serve --backend`` answers from, and the
start-up check that it holds the build.

``iprkg publish`` writes the build to the named graph ``{base}dataset`` unless told
otherwise, and Oxigraph server (like most stores) answers a query from its default graph,
which is then empty. So the back end is asked about a graph, in this order:

1. ``{base}dataset`` (``published_graph``), where ``iprkg publish`` puts the build;
2. the store's default graph, where ``oxigraph load``, ``publish --default-graph`` or a
   store whose default graph is the union of its graphs have it.

The first whose triple and subject counts are the manifest's is the one every query is
answered from, and the graph is named by the SPARQL 1.1 Protocol's own means: each query
is sent with ``default-graph-uri`` set to it (``protocol_dataset``), which any SPARQL 1.1
endpoint takes. The query text is never rewritten, and what a client names itself is
left as it is: a query with ``FROM`` or ``FROM NAMED``, or a request with its own
``default-graph-uri`` or ``named-graph-uri``, is sent without ours. As in the embedded
store, the dataset a query sees then has no named graphs (the protocol's dataset is the
default graph alone).

When no graph holds the build, ``StoreError`` says what each holds, the command that puts
the build where it is looked for, and any graph that holds as many triples as the build
(published with ``--graph`` elsewhere, say).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from iprkg.artefact.artefact import StoreError
from iprkg.core.errors import QueryFailed
from iprkg.engine.query_text import keywords_only

PUBLISHED_GRAPH_NAME = "dataset"
"""``iprkg publish`` writes ``{base}dataset``, the dataset's own IRI, unless told otherwise."""
DEFAULT_GRAPH = "default"
"""The ``graph`` that means the store's default graph, sent without ``default-graph-uri``."""
COUNTS = "SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) WHERE { ?s ?p ?o }"
"""What the start-up check compares with the manifest's ``triples`` and ``subjects``."""
SAME_SIZE_SHOWN = 3
"""Graphs named in the error that hold as many triples as the build."""

_FROM = re.compile(r"(?<![\w?$:])FROM(?![\w:-])", re.IGNORECASE)
"""A dataset clause (``FROM`` is a keyword nowhere else in a query)."""

Ask = Callable[[Sequence[tuple[str, str]]], bytes]
"""POST the protocol's form (``query``, ``default-graph-uri`` …): its SPARQL JSON answer."""


def published_graph(base: str) -> str:
    """The named graph ``iprkg publish`` writes by default, and ``serve --backend`` reads."""
    return f"{base}{PUBLISHED_GRAPH_NAME}"


def protocol_dataset(
    graph: str | None,
    text: str,
    default_graph_uris: Sequence[str] = (),
    named_graph_uris: Sequence[str] = (),
) -> list[tuple[str, str]]:
    """The protocol's dataset parameters for ``text``: those the client gave, else none if
    the query names its own dataset (FROM), else ``graph`` as the default graph."""
    given = [("default-graph-uri", iri) for iri in default_graph_uris]
    given += [("named-graph-uri", iri) for iri in named_graph_uris]
    if given or graph is None or _FROM.search(keywords_only(text)):
        return given
    return [("default-graph-uri", graph)]


@dataclass(frozen=True)
class Held:
    """What a graph holds: ``graph`` None is the store's default graph."""

    graph: str | None
    triples: int
    subjects: int

    @property
    def label(self) -> str:
        return "its default graph" if self.graph is None else f"<{self.graph}>"


def chosen_graph(
    ask: Ask, url: str, dist: Path, manifest: Mapping[str, Any], graph: str = ""
) -> Held:
    """The graph of the back end at ``url`` that holds the build in ``dist`` (see the
    module): ``graph`` "" tries ``{base}dataset``, then the default graph; "default" only
    the default graph; an IRI only that graph. StoreError if none holds it; QueryFailed
    or ValueError (unreadable answers) as ``ask`` raises them."""
    base = str(manifest["base"])
    expected = Held(None, int(manifest["triples"]), int(manifest["subjects"]))
    if graph == DEFAULT_GRAPH:
        candidates: list[str | None] = [None]
    else:
        candidates = [graph or published_graph(base)] + ([] if graph else [None])
    held = []
    for candidate in candidates:
        found = counted(ask, candidate)
        if (found.triples, found.subjects) == (expected.triples, expected.subjects):
            return found
        held.append(found)
    raise StoreError(mismatch(ask, url, dist, expected, held, chosen=bool(graph)))


def counted(ask: Ask, graph: str | None) -> Held:
    body = ask([("query", COUNTS), *protocol_dataset(graph, COUNTS)])
    row = json.loads(body)["results"]["bindings"][0]
    return Held(graph, int(row["triples"]["value"]), int(row["subjects"]["value"]))


def mismatch(
    ask: Ask, url: str, dist: Path, expected: Held, held: Sequence[Held], chosen: bool
) -> str:
    """What the back end holds where it was looked for, and what to do about it."""
    first, *others = held
    where = "" if chosen or first.graph is None else " (where iprkg publish puts the build)"
    said = f"holds {first.triples} triples about {first.subjects} subjects in {first.label}{where}"
    said += "".join(f" and {h.triples} about {h.subjects} in {h.label}" for h in others)
    store = graph_store_of(url)
    command = f"iprkg publish --store {store or 'GRAPH_STORE_URL'}"
    if chosen:
        command += " --default-graph" if first.graph is None else f" --graph {first.graph}"
    fix = f"publish the build to it: {command} --dist {dist}"
    if not store:
        fix += " (GRAPH_STORE_URL: the store's Graph Store Protocol endpoint)"
    message = (
        f"the SPARQL back end {url} {said}, the build in {dist} has {expected.triples} "
        f"about {expected.subjects}: {fix}"
    )
    looked = {h.graph for h in held}
    alike = [g for g in same_size(ask, expected.triples) if g not in looked]
    if alike:
        named = ", ".join(f"<{g}>" for g in alike)
        message += (
            f"; {named} {'holds' if len(alike) == 1 else 'each hold'} {expected.triples} "
            "triples, as many as the build, but is not where serve --backend looks"
            + ("" if chosen else " (publish without --graph)")
        )
    return message


def same_size(ask: Ask, triples: int) -> list[str]:
    """Named graphs holding exactly ``triples`` triples (a few; none if asking fails)."""
    query = (
        "SELECT ?graph WHERE { GRAPH ?graph { ?s ?p ?o } } GROUP BY ?graph "
        f"HAVING (COUNT(*) = {triples}) ORDER BY ?graph LIMIT {SAME_SIZE_SHOWN}"
    )
    try:
        rows = json.loads(ask([("query", query)]))["results"]["bindings"]
        return [str(row["graph"]["value"]) for row in rows]
    except (QueryFailed, ValueError, LookupError, TypeError):
        return []  # a hint only: the error says enough without it


def graph_store_of(url: str) -> str:
    """Oxigraph server's Graph Store endpoint beside its query endpoint (``/query`` ->
    ``/store``); "" for any other layout (Fuseki's ``/ds/query`` has ``/ds/data``)."""
    parts = urlsplit(url)
    if parts.path != "/query":
        return ""
    return urlunsplit((parts.scheme, parts.netloc, "/store", "", ""))
