"""The W3C SPARQL 1.1 query-evaluation tests, over HTTP, against one real ``iprkg serve``.

One case per W3C test, named ``folder/test`` (``aggregates/agg01``). A case passes when
the endpoint passes the W3C test, or, for a test in tests/support/w3c/expected_failures.py,
when it still fails: fixing one forces the table, and docs/conformance.md, to change.
The helpers (manifests, server, runner, result comparison) are in tests/support/w3c/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import BNode, Graph, Literal, URIRef

from iprkg.core.settings import Settings
from support.project import PROJECT_ROOT
from support.w3c.conformance import (
    EXPECTED_FAILURE,
    PASSED,
    expected_records,
    generated_date,
    judged,
    query_part,
    render,
)
from support.w3c.expected_failures import EXPECTED_FAILURES
from support.w3c.manifest import W3cTest, data_files, read_tests, suite_folder
from support.w3c.results import Solutions, Term, difference, parse_csv, row
from support.w3c.runner import run
from support.w3c.server import dataset_options, serving

CONFORMANCE = PROJECT_ROOT / "docs" / "conformance.md"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """One case per W3C test; a single placeholder case (skipped) where they are absent."""
    if "w3c_test" not in metafunc.fixturenames:
        return
    external = Settings.load(root=PROJECT_ROOT).external
    tests = read_tests(external) if suite_folder(external).is_dir() else ()
    if tests:
        metafunc.parametrize("w3c_test", tests, ids=[test.id for test in tests])
    else:
        metafunc.parametrize("w3c_test", [None], ids=["w3c-tests-absent"])


@pytest.fixture(scope="session")
def w3c_tests(external_dir: Path) -> tuple[W3cTest, ...]:
    if not suite_folder(external_dir).is_dir():
        pytest.skip(f"no W3C SPARQL 1.1 tests in {suite_folder(external_dir)}")
    return read_tests(external_dir)


@pytest.fixture(scope="session")
def w3c_endpoint(w3c_tests: tuple[W3cTest, ...]) -> Iterator[str]:
    """One ``iprkg serve`` holding every test's data, each file a graph named by its URI."""
    with serving(dataset_options(data_files(w3c_tests)), PROJECT_ROOT) as endpoint:
        yield endpoint


def test_w3c_query(w3c_test: W3cTest | None, w3c_endpoint: str) -> None:
    assert w3c_test is not None  # the placeholder case is skipped by w3c_tests
    if w3c_test.not_run:
        pytest.skip(w3c_test.not_run)
    record = judged(w3c_test, run(w3c_test, w3c_endpoint))
    if record.status not in {PASSED, EXPECTED_FAILURE}:
        pytest.fail(f"{record.status}: {w3c_test.iri}\n{record.reason}", pytrace=False)


def test_expected_failures_name_tests_that_run(w3c_tests: tuple[W3cTest, ...]) -> None:
    run_tests = {test.iri for test in w3c_tests if not test.not_run}
    assert sorted(set(EXPECTED_FAILURES) - run_tests) == []


def test_conformance_doc_matches_the_expected_failures(w3c_tests: tuple[W3cTest, ...]) -> None:
    """The counts follow from the table when the tests above are green: check the doc."""
    document = CONFORMANCE.read_text(encoding="utf-8")
    date = generated_date(document)
    assert date is not None, f"{CONFORMANCE} says not when it was generated"
    expected = render(expected_records(w3c_tests), pyoxigraph.__version__, date)
    assert query_part(document) == expected, (
        f"{CONFORMANCE} is stale: run make conformance (PYTHONPATH=tests .venv/bin/python -m support.w3c)"
    )


# The comparison itself, on hand-made answers: it must be able to fail.

EX = "http://example.org/"


def solutions(*rows: dict[str, URIRef | BNode | Literal]) -> Solutions:
    names = frozenset(name for r in rows for name in r)
    return Solutions(names, tuple(row(dict(r)) for r in rows))


@pytest.mark.parametrize(
    ("expected", "actual", "same"),
    [
        # One bijection across rows: a blank node shared by two rows must stay shared.
        (
            solutions({"x": BNode("a")}, {"x": BNode("a")}),
            solutions({"x": BNode("b")}, {"x": BNode("b")}),
            True,
        ),
        (
            solutions({"x": BNode("a")}, {"x": BNode("a")}),
            solutions({"x": BNode("b")}, {"x": BNode("c")}),
            False,
        ),
        (
            solutions({"x": BNode("a"), "y": BNode("b")}),
            solutions({"x": BNode("c"), "y": BNode("c")}),
            False,
        ),
        # Bags: multiplicity counts, order does not.
        (
            solutions({"x": URIRef(EX + "1")}, {"x": URIRef(EX + "2")}),
            solutions({"x": URIRef(EX + "2")}, {"x": URIRef(EX + "1")}),
            True,
        ),
        (
            solutions({"x": URIRef(EX + "1")}, {"x": URIRef(EX + "1")}),
            solutions({"x": URIRef(EX + "1")}),
            False,
        ),
        # Unbound is not bound to anything.
        (
            solutions({"x": Literal("a")}, {}),
            solutions({"x": Literal("a")}, {"x": Literal("")}),
            False,
        ),
    ],
)
def test_solutions_compare_as_bags_with_one_blank_node_bijection(
    expected: Solutions, actual: Solutions, same: bool
) -> None:
    assert (difference(expected, actual) is None) is same


XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.mark.parametrize(
    ("expected", "actual", "same"),
    [
        (
            Literal("1.0", datatype=URIRef(XSD + "decimal")),
            Literal("1", datatype=URIRef(XSD + "decimal")),
            True,
        ),
        (
            Literal("1E0", datatype=URIRef(XSD + "double")),
            Literal("1.0", datatype=URIRef(XSD + "double")),
            True,
        ),
        (
            Literal("1", datatype=URIRef(XSD + "integer")),
            Literal("1", datatype=URIRef(XSD + "decimal")),
            False,
        ),
        (
            Literal("-3", datatype=URIRef(XSD + "negativeInteger")),
            Literal("-3", datatype=URIRef(XSD + "integer")),
            False,
        ),
        (
            Literal("01", datatype=URIRef(XSD + "string")),
            Literal("1", datatype=URIRef(XSD + "string")),
            False,
        ),
        (Literal("a"), Literal("a", datatype=URIRef(XSD + "string")), True),
        (Literal("a", lang="en-GB"), Literal("a", lang="en-gb"), True),
        (Literal("a", lang="en"), Literal("a"), False),
    ],
)
def test_numbers_compare_by_value_other_literals_by_form(
    expected: Literal, actual: Literal, same: bool
) -> None:
    assert (row({"x": expected}) == row({"x": actual})) is same


def test_csv_compares_strings_with_blank_node_labels() -> None:
    answer = parse_csv('x,y\r\n_:b0,"a,b"\r\n_:b0,\r\n')
    assert answer.variables == {"x", "y"}
    assert answer.rows == (
        frozenset({("x", Term("bnode", "b0")), ("y", Term("string", "a,b"))}),
        frozenset({("x", Term("bnode", "b0"))}),
    )
    relabelled = parse_csv('x,y\r\n_:z,"a,b"\r\n_:z,\r\n')
    assert difference(answer, relabelled) is None


def test_graphs_compare_by_isomorphism() -> None:
    one = Graph().parse(data="_:a <http://example.org/p> _:b .", format="turtle")
    other = Graph().parse(data="_:x <http://example.org/p> _:y .", format="turtle")
    loop = Graph().parse(data="_:x <http://example.org/p> _:x .", format="turtle")
    assert difference(one, other) is None
    assert difference(one, loop) is not None
