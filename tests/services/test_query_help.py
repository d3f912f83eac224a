"""Help for people writing SPARQL: completions, parser errors explained, unknown names."""

from __future__ import annotations

import pytest

from iprkg.core.errors import BadQuery
from iprkg.engine.oxigraph_store import OxigraphStore
from iprkg.engine.store import select
from iprkg.services.labels import read_labels
from iprkg.services.query_help import (
    MESSAGE_CHARS,
    Vocabulary,
    compact,
    explain,
    read_vocabulary,
    unknown_terms,
)

IPR = "https://w3id.org/iprkg/ontology#"


@pytest.fixture(scope="module")
def vocabulary(store: OxigraphStore) -> Vocabulary:
    return read_vocabulary(store, read_labels(store))


def parser_message(store: OxigraphStore, query: str) -> str:
    with pytest.raises(BadQuery) as failed:
        store.query(query)
    return failed.value.message


def test_completions_hold_the_ontology_terms_and_the_data_classes(
    store: OxigraphStore, vocabulary: Vocabulary
) -> None:
    completions = vocabulary.completions()
    names = {term["name"]: term for term in completions["terms"]}
    declared = select(
        store,
        "SELECT ?c WHERE { ?c a <http://www.w3.org/2002/07/owl#Class> "
        f"FILTER STRSTARTS(STR(?c), '{IPR}') }}",
    )
    assert declared, "the ontology declares classes"
    for row in declared:
        term = names[compact(row["c"]["value"], store.prefixes)]
        assert term["kind"] == "class" and term["label"]["nb"] and term["label"]["en"]
    used = select(store, "SELECT DISTINCT ?c WHERE { ?s a ?c FILTER isIRI(?c) }")
    for row in used:
        assert names[compact(row["c"]["value"], store.prefixes)]["used"] is True
    prefixes = {p["prefix"]: p["namespace"] for p in completions["prefixes"]}
    assert prefixes == dict(store.prefixes)


def test_an_undeclared_prefix_is_named_with_the_nearest_one(store: OxigraphStore) -> None:
    query = "PREFIX ipr: <ontology#>\nSELECT * WHERE {\n  ?s ipt:x ?o }"
    problem = explain(parser_message(store, query), query, store.prefixes)
    assert (problem.line, problem.column) == (3, 11)
    assert "«ipt:»" in problem.nb and "«ipr:»" in problem.nb and "linje 3" in problem.nb
    assert "“ipt:”" in problem.en and "“ipr:”" in problem.en and "line 3" in problem.en


def test_a_build_prefix_used_undeclared_gets_its_prefix_line(store: OxigraphStore) -> None:
    prefix, namespace = next(iter(store.prefixes.items()))
    query = f"SELECT * WHERE {{ ?s {prefix}:member ?o }}"
    problem = explain(parser_message(store, query), query, store.prefixes)
    assert f"PREFIX {prefix}: <{namespace}>" in problem.nb
    assert f"PREFIX {prefix}: <{namespace}>" in problem.en


@pytest.mark.parametrize(
    "query", ["SELECT * WHERE {\n ?s ?p ?o \n", "SELEC * {}", "SELECT * { ?s <x ?o }"]
)
def test_other_parser_messages_are_short_and_keep_the_position(
    store: OxigraphStore, query: str
) -> None:
    message = parser_message(store, query)
    problem = explain(message, query, store.prefixes)
    assert problem.line and problem.column
    assert f"{problem.line}:{problem.column}" in message
    for text in (problem.nb, problem.en):
        assert len(text) <= MESSAGE_CHARS + 60 and "\\u{" not in text


def test_a_message_without_a_position_is_cut_to_be_read() -> None:
    problem = explain("x " * 500, "ASK {}", {})
    assert problem.line is None and len(problem.nb) <= MESSAGE_CHARS


def test_a_misspelt_term_gets_the_nearest_names_the_data_use(
    store: OxigraphStore, vocabulary: Vocabulary
) -> None:
    used = [term for term in vocabulary.terms if term.used and term.iri.startswith(IPR)]
    assert used
    for term in used:
        local = term.iri.removeprefix(IPR)
        if len(local) < 8:
            continue
        misspelt = local[:-2] + local[-1] + local[-2]
        if f"{IPR}{misspelt}" in vocabulary.known:
            continue
        query = f"PREFIX ipr: <ontology#>\nSELECT * {{ ?s ipr:{misspelt} ?o }}"
        [warning] = unknown_terms(query, vocabulary)
        assert warning.name == f"ipr:{misspelt}"
        assert term.name in warning.suggestions, warning


def test_names_the_data_hold_datatypes_strings_and_comments_are_not_warned_about(
    vocabulary: Vocabulary,
) -> None:
    term = next(t for t in vocabulary.terms if t.used and t.iri.startswith(IPR))
    query = (
        "PREFIX ipr: <ontology#>\nPREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
        f"SELECT * {{ ?s <{term.iri}> ?o ; {term.name} ?x . # ipr:nowhereAtAll\n"
        '  FILTER (?o != "ipr:notATerm" && DATATYPE(?o) = xsd:integer) }'
    )
    assert unknown_terms(query, vocabulary) == []
    wrong = query.replace(f"<{term.iri}>", f"<{term.iri}Nowhere>")
    assert [w.name for w in unknown_terms(wrong, vocabulary)] == [f"<{term.iri}Nowhere>"]
