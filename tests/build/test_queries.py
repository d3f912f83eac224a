"""Competency queries: every ``queries/**/x.rq`` gives the answer in ``x.srj`` beside it.

Each query runs with pyoxigraph against the built dataset (conftest's ``dataset``:
ontology and data, relative IRIs resolved against the default base), with that base
given to the query too. Its answer
is compared with the golden SPARQL 1.1 Query Results JSON file: as a list when the
query's outermost SELECT has ORDER BY, else as a multiset; RDF terms exactly (IRI;
literal lexical form, datatype and language), blank nodes only as "some blank node".
The comparison and the writer of golden answers (``make golden``) are in
``tests/support/golden.py``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryResultsFormat,
    Store,
    parse_query_results,
)
from rdflib import Graph

from support.golden import (
    DEFAULT_BASE,
    QUERIES,
    ROOT,
    Answer,
    Term,
    answer_of,
    assert_same_answer,
    comparable,
    differences,
    documentation_problems,
    golden_json,
    has_top_level_order_by,
    header,
    orphan_golden_files,
    query_files,
    query_id,
    read_golden,
    relative_iris,
    run,
    store_of,
)


@pytest.fixture(scope="module")
def store(dataset: Graph) -> Store:
    """The built dataset (conftest's ``dataset``, default base) in pyoxigraph."""
    return store_of(dataset)


# ---------------------------------------------------------------- the golden answers


@pytest.mark.parametrize("path", query_files(), ids=query_id)
def test_query_gives_golden_answer(store: Store, path: Path) -> None:
    query = path.read_text(encoding="utf-8")
    golden = path.with_suffix(".srj")
    assert golden.is_file(), f"no golden answer {golden.relative_to(ROOT)}"
    actual = answer_of(run(store, query))
    assert_same_answer(read_golden(golden), actual, ordered=has_top_level_order_by(query))


@pytest.mark.parametrize("path", query_files(), ids=query_id)
def test_query_is_documented(path: Path) -> None:
    problems = documentation_problems(path)
    assert not problems, f"{path.relative_to(ROOT)}: " + "; ".join(problems)


def test_queries_are_found() -> None:
    assert len(query_files()) >= 11, "the competency queries are missing from queries/"


def test_every_golden_answer_has_a_query() -> None:
    orphans = [path.relative_to(ROOT).as_posix() for path in orphan_golden_files(QUERIES)]
    assert not orphans, f"golden answers without a query: {orphans}"


def test_an_undocumented_query_or_orphan_answer_is_reported(tmp_path: Path) -> None:
    (tmp_path / "compare").mkdir()
    bare = tmp_path / "compare" / "bare.rq"
    bare.write_text("# title: Bare\nASK { <level/national> ?p ?o }\n", encoding="utf-8")
    orphan = tmp_path / "compare" / "orphan.srj"
    orphan.write_text('{"head": {}, "boolean": true}\n', encoding="utf-8")
    assert documentation_problems(bare) == [
        "opens without # title@nb:",
        "opens without # description:",
        "opens without # description@nb:",
        "has no golden answer beside it (.srj)",
        "uses relative IRIs without the comment saying so",
    ]
    assert query_files(tmp_path) == [bare]
    assert orphan_golden_files(tmp_path) == [orphan]


# ---------------------------------------------------------------- the comparison can fail

IPR = DEFAULT_BASE
XSD = "http://www.w3.org/2001/XMLSchema#"


def answer(variables: Sequence[str], *rows: dict[str, Term]) -> Answer:
    return Answer(
        variables=tuple(variables),
        rows=tuple(tuple((v, comparable(r[v])) for v in variables if v in r) for r in rows),
    )


NOME: dict[str, Term] = {
    "m": NamedNode(f"{IPR}municipality/nome"),
    "n": Literal("Nome", language="nb"),
}
MIDT: dict[str, Term] = {
    "m": NamedNode(f"{IPR}municipality/midt-telemark"),
    "n": Literal("Midt-Telemark"),
}


@pytest.mark.parametrize(
    "changed",
    [
        {**NOME, "n": Literal("Nome", language="en")},
        {**NOME, "n": Literal("Nome")},
        {**NOME, "n": Literal("Nome kommune", language="nb")},
        {**NOME, "m": NamedNode(f"{IPR}municipality/Nome")},
        {**NOME, "n": Literal("4018", datatype=NamedNode(f"{XSD}integer"))},
        {"m": NOME["m"]},
    ],
    ids=["language", "datatype-vs-lang", "lexical", "iri", "integer", "unbound"],
)
def test_a_changed_term_is_a_difference(changed: dict[str, Term]) -> None:
    expected = answer("mn", NOME, MIDT)
    actual = answer("mn", changed, MIDT)
    with pytest.raises(AssertionError, match="missing rows") as failure:
        assert_same_answer(expected, actual, ordered=False)
    assert "unexpected rows" in str(failure.value)


def test_typed_literals_compare_by_lexical_form_and_datatype() -> None:
    one = Literal("1", datatype=NamedNode(f"{XSD}integer"))
    other = Literal("01", datatype=NamedNode(f"{XSD}integer"))
    decimal = Literal("1", datatype=NamedNode(f"{XSD}decimal"))
    for actual in (other, decimal):
        assert differences(answer("x", {"x": one}), answer("x", {"x": actual}), ordered=False)


def test_rows_are_a_multiset_unless_ordered() -> None:
    expected = answer("mn", NOME, MIDT)
    swapped = answer("mn", MIDT, NOME)
    assert_same_answer(expected, swapped, ordered=False)
    with pytest.raises(AssertionError, match="another order"):
        assert_same_answer(expected, swapped, ordered=True)
    with pytest.raises(AssertionError, match=r"missing rows \(1\)"):
        assert_same_answer(answer("mn", NOME, NOME), answer("mn", NOME), ordered=False)


def test_variables_and_booleans_are_compared() -> None:
    with pytest.raises(AssertionError, match="variables"):
        assert_same_answer(answer("mn", NOME), answer("nm", NOME), ordered=False)
    with pytest.raises(AssertionError, match="boolean"):
        assert_same_answer(Answer((), boolean=True), Answer((), boolean=False), ordered=False)
    with pytest.raises(AssertionError, match="boolean"):
        assert_same_answer(Answer((), boolean=True), answer("mn"), ordered=False)


def test_blank_nodes_match_whatever_their_label() -> None:
    assert_same_answer(
        answer("x", {"x": BlankNode("a1")}), answer("x", {"x": BlankNode("b2")}), ordered=False
    )


def test_a_wrong_golden_answer_fails(store: Store, tmp_path: Path) -> None:
    path = QUERIES / "emphasised-goals.rq"
    document = json.loads(path.with_suffix(".srj").read_text(encoding="utf-8"))
    document["results"]["bindings"][0]["nameNb"]["xml:lang"] = "nn"
    wrong = tmp_path / "wrong.srj"
    wrong.write_text(json.dumps(document), encoding="utf-8")
    actual = answer_of(run(store, path.read_text(encoding="utf-8")))
    assert_same_answer(read_golden(path.with_suffix(".srj")), actual, ordered=True)
    with pytest.raises(AssertionError, match='"God helse og livskvalitet"@nn'):
        assert_same_answer(read_golden(wrong), actual, ordered=True)


def test_golden_json_reads_back_as_the_same_answer(store: Store) -> None:
    query = (QUERIES / "focus-areas-per-level.rq").read_text(encoding="utf-8")
    written = golden_json(run(store, query), ordered=True)
    reread = answer_of(parse_query_results(written, format=QueryResultsFormat.JSON))
    assert_same_answer(reread, answer_of(run(store, query)), ordered=True)
    assert json.loads(written)["head"]["vars"][:2] == ["council", "strategy"]


@pytest.mark.parametrize(
    ("query", "ordered"),
    [
        ("SELECT * WHERE { ?s ?p ?o } ORDER BY ?s", True),
        ("select * where { ?s ?p ?o }\norder  by desc(?s)", True),
        ("SELECT * WHERE { ?s ?p ?o }", False),
        ("SELECT * WHERE { { SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 1 } }", False),
        ("SELECT * WHERE { ?s ?p ?o } # ORDER BY ?s", False),
        ('SELECT * WHERE { ?s ?p "} ORDER BY ?s" }', False),
        ("PREFIX x: <ontology#> SELECT * WHERE { ?s x:p ?o } ORDER BY ?s", True),
        ("SELECT ?order_by WHERE { ?s ?p ?order } GROUP BY ?order", False),
        ("ASK { ?s ?p ?o }", False),
    ],
)
def test_top_level_order_by_is_found(query: str, ordered: bool) -> None:
    assert has_top_level_order_by(query) is ordered


def test_header_reads_titles_and_continued_description() -> None:
    fields = header(
        "# title: Members\n# title@nb: Medlemmer\n# description: Which\n#   municipalities?\n"
        "PREFIX ipr: <ontology#>\n# title: not the header\n"
    )
    assert fields == {
        "title": "Members",
        "title@nb": "Medlemmer",
        "description": "Which municipalities?",
    }
    assert header("PREFIX ipr: <ontology#>\n# title: late\n") == {}


def test_relative_iris_are_found() -> None:
    query = "PREFIX ipr: <ontology#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    assert relative_iris(query + "ASK { <level/national> skos:notation '<x>' }") == [
        "<ontology#>",
        "<level/national>",
    ]
