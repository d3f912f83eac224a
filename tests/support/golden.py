"""The golden-answer machinery of the competency queries (``queries/**/x.rq`` and ``x.srj``).

Reading a query's header, finding a top-level ORDER BY, comparing answers (as a list when
the query's outermost SELECT has ORDER BY, else as a multiset; RDF terms exactly, blank
nodes only as "some blank node"), and writing golden answers from a fresh build of the
sources (then check them by hand against the source texts):

    .venv/bin/python tests/support/golden.py queries/x.rq [queries/y.rq ...]
    .venv/bin/python tests/support/golden.py --all      # every query: what `make golden` runs

Used by tests/build/test_queries.py and tests/e2e/test_clients.py.
"""

from __future__ import annotations

import difflib
import json
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

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

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ROOT / "queries"
DEFAULT_BASE = "https://w3id.org/iprkg/"
"""The base the golden answers are written with (the default of the IPRKG_BASE setting)."""

HEADER_KEYS = ("title", "title@nb", "description", "description@nb")
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
