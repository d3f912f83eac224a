"""Competency queries: every ``queries/**/x.rq`` gives the answer in ``x.srj`` beside it.

Each query runs with pyoxigraph against the built dataset (conftest's ``dataset``:
ontology and data, relative IRIs resolved against the default base), with that base
given to the query too. Its answer
is compared with the golden SPARQL 1.1 Query Results JSON file: as a list when the
query's outermost SELECT has ORDER BY, else as a multiset; RDF terms exactly (IRI;
literal lexical form, datatype and language), blank nodes only as "some blank node".

To write or refresh golden answers from a fresh build of the sources (then check them by
hand against the source texts):

    .venv/bin/python tests/test_queries.py queries/x.rq [queries/y.rq ...]
    .venv/bin/python tests/test_queries.py --all      # every query: what `make golden` runs
"""

from __future__ import annotations

import difflib
import json
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Triple,
    parse_query_results,
)
from rdflib import Graph

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"
DEFAULT_BASE = "https://w3id.org/iprkg/"
"""The base the golden answers are written with (the default of the IPRKG_BASE setting)."""

HEADER_KEYS = ("title", "title@nb", "description")
RELATIVE_IRI_NOTE = "# IRIs without a scheme are relative to the dataset's base IRI"

Term = NamedNode | Literal | BlankNode | Triple
Row = tuple[tuple[str, Term], ...]
"""One solution: (variable, term) for each bound variable, in the order of the head."""

ANY_BLANK_NODE = BlankNode("any")
"""Blank node labels are arbitrary, so every blank node is compared as this one."""


def query_files(folder: Path = QUERIES) -> list[Path]:
    """Every query, in sub-folders too, sorted."""
    return sorted(folder.rglob("*.rq"))


def golden_files(folder: Path = QUERIES) -> list[Path]:
    """Every golden answer, in sub-folders too, sorted."""
    return sorted(folder.rglob("*.srj"))


def query_id(path: Path) -> str:
    """The test id of a query: its path under queries/, without the extension."""
    return path.relative_to(QUERIES).with_suffix("").as_posix()


# ---------------------------------------------------------------- reading a query


def header(text: str) -> dict[str, str]:
    """The ``# key: value`` lines that open a query; indented ``#`` lines continue a value."""
    fields: dict[str, str] = {}
    key: str | None = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        field = re.match(r"#\s?([\w@-]+):\s*(.*)$", line)
        if field and not line.startswith("#  "):
            key = field.group(1)
            fields[key] = field.group(2).strip()
        elif key is not None and line.startswith("#  "):
            fields[key] = f"{fields[key]} {line[1:].strip()}".strip()
        else:
            key = None
    return fields


TOKENS = re.compile(
    r"""
      (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
                 |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    | (?P<comment>\#[^\n]*)
    | (?P<open>\{)
    | (?P<close>\})
    | (?P<orderby>(?<![?$\w])ORDER\s+BY\b)
    """,
    re.VERBOSE | re.IGNORECASE | re.DOTALL,
)
"""Enough of the SPARQL grammar to find braces and ORDER BY outside IRIs, strings, comments."""


def has_top_level_order_by(query: str) -> bool:
    """Whether the outermost query orders its solutions (not only a sub-select)."""
    depth = 0
    for token in TOKENS.finditer(query):
        kind = token.lastgroup
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth -= 1
        elif kind == "orderby" and depth == 0:
            return True
    return False


def relative_iris(query: str) -> list[str]:
    """The IRIs written without a scheme, which the query's base IRI resolves."""
    return [
        token.group()
        for token in TOKENS.finditer(query)
        if token.lastgroup == "iri" and not re.match(r"<[A-Za-z][A-Za-z0-9+.-]*:", token.group())
    ]


def documentation_problems(path: Path) -> list[str]:
    """What a query file lacks: its header fields, its golden answer, the note on relative IRIs."""
    query = path.read_text(encoding="utf-8")
    fields = header(query)
    problems = [f"opens without # {key}:" for key in HEADER_KEYS if not fields.get(key)]
    if not path.with_suffix(".srj").is_file():
        problems.append("has no golden answer beside it (.srj)")
    if relative_iris(query) and RELATIVE_IRI_NOTE not in query:
        problems.append("uses relative IRIs without the comment saying so")
    return problems


def orphan_golden_files(folder: Path) -> list[Path]:
    """Golden answers with no query beside them."""
    return [path for path in golden_files(folder) if not path.with_suffix(".rq").is_file()]


# ---------------------------------------------------------------- answers


@dataclass(frozen=True)
class Answer:
    """A query's answer: the head's variables and the rows (SELECT), or a boolean (ASK)."""

    variables: tuple[str, ...]
    rows: tuple[Row, ...] = ()
    boolean: bool | None = None


def comparable(term: Term) -> Term:
    """``term`` as compared: blank nodes all alike, everything else exactly."""
    return ANY_BLANK_NODE if isinstance(term, BlankNode) else term


def answer_of(results: QuerySolutions | QueryBoolean | QueryTriples) -> Answer:
    """The answer of pyoxigraph query results, run or parsed."""
    if isinstance(results, QueryBoolean):
        return Answer(variables=(), boolean=bool(results))
    if isinstance(results, QueryTriples):
        raise TypeError("CONSTRUCT and DESCRIBE queries have no .srj answer; use SELECT or ASK")
    variables = tuple(variable.value for variable in results.variables)
    rows = []
    for solution in results:
        bound = ((name, solution[name]) for name in variables)
        rows.append(tuple((name, comparable(term)) for name, term in bound if term is not None))
    return Answer(variables=variables, rows=tuple(rows))


def show_term(term: Term) -> str:
    """A term in N-Triples, except that IRIs under the default base are shown relative."""
    if isinstance(term, NamedNode) and term.value.startswith(DEFAULT_BASE):
        return f"<{term.value.removeprefix(DEFAULT_BASE)}>"
    return str(term)


def show_row(row: Row) -> str:
    """A row as one line: ``?var=<iri> ?other="text"@nb``."""
    return " ".join(f"?{name}={show_term(term)}" for name, term in row) or "(empty solution)"


def differences(expected: Answer, actual: Answer, *, ordered: bool) -> list[str]:
    """What differs between two answers, readably; empty when they are the same."""
    if expected.boolean is not None or actual.boolean is not None:
        if expected.boolean == actual.boolean:
            return []
        return [f"boolean: expected {expected.boolean}, got {actual.boolean}"]
    problems: list[str] = []
    if expected.variables != actual.variables:
        problems.append(
            f"variables: expected {list(expected.variables)}, got {list(actual.variables)}"
        )
    wanted, got = Counter(expected.rows), Counter(actual.rows)
    missing, unexpected = wanted - got, got - wanted
    if missing:
        problems.append(f"missing rows ({sum(missing.values())}):")
        problems.extend(f"  - {show_row(row)}" for row in counted(missing))
    if unexpected:
        problems.append(f"unexpected rows ({sum(unexpected.values())}):")
        problems.extend(f"  + {show_row(row)}" for row in counted(unexpected))
    if ordered and not missing and not unexpected and expected.rows != actual.rows:
        problems.append("same rows in another order (the query has ORDER BY):")
        problems.extend(
            difflib.unified_diff(
                [show_row(row) for row in expected.rows],
                [show_row(row) for row in actual.rows],
                "expected",
                "actual",
                lineterm="",
            )
        )
    return problems


def counted(rows: Counter[Row]) -> Iterable[Row]:
    """Each row as often as it is counted, in a stable order."""
    for row in sorted(rows, key=show_row):
        yield from [row] * rows[row]


def assert_same_answer(expected: Answer, actual: Answer, *, ordered: bool) -> None:
    """Fail with a readable diff unless ``actual`` is ``expected``."""
    problems = differences(expected, actual, ordered=ordered)
    if problems:
        raise AssertionError("the answer differs from the golden one:\n" + "\n".join(problems))


def read_golden(path: Path) -> Answer:
    """The answer in a golden SPARQL 1.1 Query Results JSON file."""
    return answer_of(parse_query_results(path=path, format=QueryResultsFormat.JSON))


def golden_json(results: QuerySolutions | QueryBoolean, *, ordered: bool) -> str:
    """Results as golden JSON: pretty, keys sorted, rows in query order if ordered else sorted."""
    serialized = results.serialize(format=QueryResultsFormat.JSON)
    assert serialized is not None  # without an output, serialize returns the bytes
    document = json.loads(serialized)
    if not ordered and "results" in document:
        document["results"]["bindings"].sort(key=lambda row: json.dumps(row, sort_keys=True))
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------- the dataset


def store_of(graph: Graph) -> Store:
    """An in-memory pyoxigraph store holding ``graph``'s triples in its default graph."""
    store = Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=RdfFormat.N_TRIPLES)
    return store


def run(store: Store, query: str, base: str = DEFAULT_BASE) -> QuerySolutions | QueryBoolean:
    """Run a SELECT or ASK query, its relative IRIs resolved against ``base``."""
    results = store.query(query, base_iri=base)
    if isinstance(results, QueryTriples):
        raise TypeError("CONSTRUCT and DESCRIBE queries have no .srj answer; use SELECT or ASK")
    return results


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


# ---------------------------------------------------------------- writing golden answers


def built_store() -> Store:
    """The sources built as the ``built_dist`` fixture builds them (default settings)."""
    from iprkg.build.build import build
    from iprkg.core.settings import Settings

    with tempfile.TemporaryDirectory() as folder:
        dist = Path(folder) / "dist"
        build(Settings.load(environ={}, root=ROOT, dist=dist))
        store = Store()
        store.load(path=dist / "iprkg.nt", format=RdfFormat.N_TRIPLES)
        return store


def write_golden(paths: Iterable[Path]) -> None:
    """Run each query against the built dataset and write its golden answer beside it."""
    store = built_store()
    for path in paths:
        query = path.read_text(encoding="utf-8")
        text = golden_json(run(store, query), ordered=has_top_level_order_by(query))
        path.with_suffix(".srj").write_text(text, encoding="utf-8")
        print(f"wrote {path.with_suffix('.srj')}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--all"]:
        write_golden(query_files())
    else:
        write_golden(Path(argument).resolve() for argument in sys.argv[1:])
