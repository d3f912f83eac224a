"""Read the W3C SPARQL 1.1 test manifests into ``W3cTest``s, with rdflib.

The suites run are the top manifests in ``SUITES``: query language, result formats
(CSV, TSV, JSON) and federation (whose SERVICE queries this endpoint refuses). Update,
entailment, service description, protocol and graph store tests are not query
evaluation and are left to others (the protocol tests: tests/e2e/test_w3c_protocol.py).

Each manifest is parsed with its own file URI as base, so the files a test names
(query, data, results) are ``file:`` URIs, and the data served under those URIs as
graph names are the very IRIs the tests' queries and results use.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
DAWGT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#")

SPARQL11 = Path("w3c-rdf-tests/sparql/sparql11")
"""Where the suite lives in the external folder (IPRKG_EXTERNAL)."""

SUITES = (
    "manifest-sparql11-query.ttl",
    "manifest-sparql11-results.ttl",
    "manifest-sparql11-fed.ttl",
)

EVALUATION_TYPES: dict[str, str] = {
    str(MF.QueryEvaluationTest): "evaluation",
    str(MF.CSVResultFormatTest): "evaluation",
    str(MF.PositiveSyntaxTest11): "positive-syntax",
    str(MF.NegativeSyntaxTest11): "negative-syntax",
}
"""The test types run, and what running them means."""

NOT_RUN_APPROVALS = {DAWGT.Rejected, DAWGT.Withdrawn}
"""Tests the working group took back are skipped, saying so; every other one is run."""


@dataclass(frozen=True)
class W3cTest:
    """One test from a manifest; file references are absolute ``file:`` URIs."""

    iri: str
    folder: str
    """The suite folder the manifest is in, e.g. ``aggregates``."""
    kind: str
    """``evaluation``, ``positive-syntax`` or ``negative-syntax``."""
    name: str
    approval: str
    """The dawgt:approval's local name, or ``unstated``."""
    query: str
    data: tuple[str, ...] = ()
    """qt:data: merged into the default graph."""
    graph_data: tuple[str, ...] = ()
    """qt:graphData: each a named graph, named by its URI."""
    result: str | None = None

    @property
    def id(self) -> str:
        """``folder/name``, e.g. ``aggregates/agg01``: the pytest id."""
        return f"{self.folder}/{self.iri.rsplit('#', 1)[-1]}"

    @property
    def not_run(self) -> str | None:
        """Why the test is skipped, or None when it is run."""
        if self.approval in {local_name(iri) for iri in NOT_RUN_APPROVALS}:
            return f"the W3C manifest marks it dawgt:{self.approval}"
        return None


def suite_folder(external: Path) -> Path:
    """The sparql11 folder of the W3C tests under the external folder."""
    return (external / SPARQL11).resolve()


@cache
def read_tests(external: Path) -> tuple[W3cTest, ...]:
    """Every test of the ``SUITES``, in manifest order."""
    folder = suite_folder(external)
    tests: list[W3cTest] = []
    for suite in SUITES:
        top = parsed(folder / suite)
        for included in top.objects(None, MF.include):
            for manifest in Collection(top, included):
                tests.extend(manifest_tests(file_path(str(manifest))))
    return tuple(tests)


def manifest_tests(path: Path) -> list[W3cTest]:
    """The tests in one folder manifest; ValueError for a test of a type not known here,
    so that a new kind of test in the suite is never left out silently."""
    graph = parsed(path)
    manifest = URIRef(path.as_uri())
    tests = []
    for entries in graph.objects(manifest, MF.entries):
        for entry in Collection(graph, entries):
            types = [str(t) for t in graph.objects(entry, RDF.type)]
            kind = next((EVALUATION_TYPES[t] for t in types if t in EVALUATION_TYPES), None)
            if kind is None:
                raise ValueError(f"{entry}: no runner for a test of type {', '.join(types)}")
            tests.append(read_test(graph, entry, path.parent.name, kind))
    return tests


def read_test(graph: Graph, entry: Node, folder: str, kind: str) -> W3cTest:
    def values(subject: Node | None, predicate: URIRef) -> tuple[str, ...]:
        return tuple(sorted(str(o) for o in graph.objects(subject, predicate)))

    action = graph.value(entry, MF.action)
    approval = graph.value(entry, DAWGT.approval)
    result = graph.value(entry, MF.result)
    # Syntax tests name the query itself as their action; the others a qt: description.
    syntax = isinstance(action, URIRef)
    return W3cTest(
        iri=str(entry),
        folder=folder,
        kind=kind,
        name=str(graph.value(entry, MF.name) or ""),
        approval="unstated" if approval is None else local_name(str(approval)),
        query=str(action if syntax else graph.value(action, QT.query)),
        data=() if syntax else values(action, QT.data),
        graph_data=() if syntax else values(action, QT.graphData),
        result=None if result is None else str(result),
    )


def data_files(tests: tuple[W3cTest, ...]) -> list[str]:
    """Every data file the tests read (qt:data and qt:graphData), each once, sorted."""
    return sorted({iri for test in tests for iri in (*test.data, *test.graph_data)})


def parsed(path: Path) -> Graph:
    """The Turtle file at ``path``, relative IRIs resolved against its file URI."""
    return Graph().parse(path, format="turtle", publicID=path.as_uri())


def file_path(uri: str) -> Path:
    """The local path of a ``file:`` URI."""
    parts = urlsplit(uri)
    if parts.scheme != "file":
        raise ValueError(f"not a file URI: {uri}")
    return Path(unquote(parts.path))


def local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
