"""Query answers, parsed with rdflib (never with Oxigraph) and compared as the W3C tests mean.

An answer is a ``Solutions`` (SELECT), a ``bool`` (ASK) or an rdflib ``Graph``
(CONSTRUCT, DESCRIBE). Solutions are compared as bags: the same variables, the same
rows as many times each, with the blank nodes of one answer mapped onto the other's by
a bijection that holds across all rows. Graphs are compared with
``rdflib.compare.isomorphic``. Row order is not compared, not even under ORDER BY.

Terms are compared as RDF terms, by lexical form, with one exception: literals of
xsd:integer, decimal, float, double and boolean compare by value, because Oxigraph's
store keeps those as values and writes them back in canonical form (``canonical``).
rdflib would normalise literals as it builds them, so the parsers run with that turned
off (``literals_as_written``). As RDF 1.1 says, a simple literal is an ``xsd:string``
and a language tag is compared case-insensitively.

CSV loses datatypes and languages, so CSV answers are compared as the strings they are
(a field starting ``_:`` is a blank node label, an empty field unbound), like the W3C
CSV tests do.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import rdflib
from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.query import Result
from rdflib.term import Node

RS = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")

RESULT_FORMATS = {
    "srx": ("application/sparql-results+xml", "xml"),
    "srj": ("application/sparql-results+json", "json"),
    "tsv": ("text/tab-separated-values", "tsv"),
    "csv": ("text/csv", "csv"),
}
"""Result file extension: the media type to ask for and rdflib's result parser name."""

GRAPH_FORMATS = {"ttl": "turtle", "rdf": "xml", "nt": "nt"}
"""RDF file extension (a graph, or a result set in the rs: vocabulary): rdflib's name."""


@dataclass(frozen=True)
class Term:
    """An RDF term as compared here: ``kind`` is iri, bnode, literal or string (CSV)."""

    kind: str
    value: str
    datatype: str = ""
    language: str = ""

    def __str__(self) -> str:
        if self.kind == "iri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        if self.language:
            return f'"{self.value}"@{self.language}'
        if self.datatype and self.datatype != str(XSD.string):
            return f'"{self.value}"^^<{self.datatype}>'
        return f'"{self.value}"'


Row = frozenset[tuple[str, Term]]
"""One solution: (variable, term) pairs; an unbound variable is absent."""


@dataclass(frozen=True)
class Solutions:
    """A SELECT answer: its variables and its rows (a bag, in the order read)."""

    variables: frozenset[str]
    rows: tuple[Row, ...]


Answer = Solutions | bool | Graph


@contextmanager
def literals_as_written() -> Iterator[None]:
    """rdflib keeps each literal's lexical form while the block runs."""
    saved = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = saved


def term(node: Node) -> Term:
    """An rdflib term as a ``Term``."""
    if isinstance(node, URIRef):
        return Term("iri", str(node))
    if isinstance(node, BNode):
        return Term("bnode", str(node))
    if isinstance(node, Literal):
        if node.language:
            return Term("literal", str(node), str(RDF.langString), node.language.lower())
        return Term("literal", canonical(node), str(node.datatype or XSD.string))
    raise TypeError(f"not an RDF term: {node!r}")


def canonical(literal: Literal) -> str:
    """The lexical form, or for a valid number or boolean its value in canonical form.

    Oxigraph's store keeps xsd:integer, decimal, float, double and boolean literals as
    values, so it answers ``"1.0"^^xsd:decimal`` as ``"1"``; Oxigraph's own harness
    compares such literals normalised too. Other datatypes compare by lexical form.
    """
    value, datatype = literal.value, literal.datatype
    if datatype is None or value is None or datatype not in VALUE_DATATYPES:
        return str(literal)
    if datatype == XSD.boolean:
        return "true" if value else "false"
    if datatype == XSD.integer:
        return str(int(value))
    if datatype == XSD.decimal:
        return format(Decimal(value).normalize(), "f")
    return repr(float(value))


VALUE_DATATYPES = {XSD.integer, XSD.decimal, XSD.float, XSD.double, XSD.boolean}
"""Datatypes whose literals compare by value (see ``canonical``)."""


def row(bindings: Mapping[str, Node | None]) -> Row:
    return frozenset((name, term(value)) for name, value in bindings.items() if value is not None)


def parse_results(data: bytes, extension: str) -> Solutions | bool:
    """SPARQL results in the format of a result file with ``extension`` (srx, srj, tsv)."""
    if extension == "csv":
        return parse_csv(data.decode("utf-8"))
    with literals_as_written():
        result = Result.parse(io.BytesIO(data), format=RESULT_FORMATS[extension][1])
        if result.type == "ASK":
            return bool(result.askAnswer)
        return Solutions(
            frozenset(str(v) for v in result.vars or ()),
            tuple(row({str(k): v for k, v in b.items()}) for b in result.bindings),
        )


def parse_csv(text: str) -> Solutions:
    """CSV results as strings: ``_:`` fields are blank node labels, empty ones unbound."""
    lines = list(csv.reader(io.StringIO(text)))
    header, body = (lines[0], lines[1:]) if lines else ([], [])
    rows = []
    for line in body:
        cells = {}
        for name, value in zip(header, line, strict=True):
            if value.startswith("_:"):
                cells[name] = Term("bnode", value[2:])
            elif value:
                cells[name] = Term("string", value)
        rows.append(frozenset(cells.items()))
    return Solutions(frozenset(header), tuple(rows))


def parse_graph(data: bytes, rdflib_format: str, base: str) -> Graph:
    """An RDF graph; relative IRIs resolved against ``base``."""
    with literals_as_written():
        return Graph().parse(data=data, format=rdflib_format, publicID=base)


def read_expected(path: Path, base: str) -> Answer:
    """A W3C result file: SPARQL results (srx, srj, csv, tsv), a result set in the rs:
    vocabulary (Turtle or RDF/XML), or else the graph a CONSTRUCT must give."""
    extension = path.suffix.removeprefix(".")
    if extension in RESULT_FORMATS:
        return parse_results(path.read_bytes(), extension)
    graph = parse_graph(path.read_bytes(), GRAPH_FORMATS[extension], base)
    result_set = graph.value(predicate=RDF.type, object=RS.ResultSet)
    if result_set is None:
        return graph
    return result_set_solutions(graph, result_set)


def result_set_solutions(graph: Graph, result_set: Node) -> Solutions | bool:
    """A result set written in the DAWG rs: vocabulary."""
    boolean = graph.value(result_set, RS.boolean)
    if isinstance(boolean, Literal):
        return bool(boolean.toPython())
    rows = []
    for solution in graph.objects(result_set, RS.solution):
        bindings = {
            str(graph.value(binding, RS.variable)): graph.value(binding, RS.value)
            for binding in graph.objects(solution, RS.binding)
        }
        rows.append(row(bindings))
    variables = frozenset(str(v) for v in graph.objects(result_set, RS.resultVariable))
    return Solutions(variables, tuple(rows))


def difference(expected: Answer, actual: Answer) -> str | None:
    """None when ``actual`` is ``expected``; else what differs, for a failure message."""
    if isinstance(expected, Graph) or isinstance(actual, Graph):
        if not (isinstance(expected, Graph) and isinstance(actual, Graph)):
            return f"expected {kind(expected)}, got {kind(actual)}"
        if isomorphic(expected, actual):
            return None
        return graph_difference(expected, actual)
    if isinstance(expected, bool) or isinstance(actual, bool):
        return None if expected == actual else f"expected {expected}, got {actual}"
    if expected.variables != actual.variables:
        return f"expected variables {sorted(expected.variables)}, got {sorted(actual.variables)}"
    if same_bag(expected.rows, actual.rows):
        return None
    return rows_difference(expected.rows, actual.rows)


def kind(answer: Answer) -> str:
    return "a graph" if isinstance(answer, Graph) else f"results ({type(answer).__name__})"


def same_bag(expected: Iterable[Row], actual: Iterable[Row]) -> bool:
    """True when the rows are the same bag, up to one bijection of blank nodes."""
    expected, actual = list(expected), list(actual)
    if Counter(map(shape, expected)) != Counter(map(shape, actual)):
        return False
    # Rows without blank nodes are their own shape, so they match already.
    return matched(
        [r for r in expected if has_blank_node(r)], [r for r in actual if has_blank_node(r)], {}
    )


BLANK = Term("bnode", "")
"""Any blank node, in a row's shape."""


def shape(row: Row) -> Row:
    """The row with every blank node the same: rows that may match have one shape."""
    return frozenset((name, BLANK if t.kind == "bnode" else t) for name, t in row)


def has_blank_node(row: Row) -> bool:
    return any(t.kind == "bnode" for _, t in row)


def matched(expected: list[Row], actual: list[Row], mapping: dict[str, str]) -> bool:
    """Can each expected row be paired with its own actual row, extending ``mapping``
    (expected blank node label -> actual label) into a bijection? Backtracks."""
    if not expected:
        return True
    first, rest = expected[0], expected[1:]
    for index, candidate in enumerate(actual):
        extended = extend(mapping, first, candidate)
        if extended is not None and matched(rest, actual[:index] + actual[index + 1 :], extended):
            return True
    return False


def extend(mapping: dict[str, str], expected: Row, actual: Row) -> dict[str, str] | None:
    """``mapping`` extended so that ``expected`` maps onto ``actual``, or None."""
    if shape(expected) != shape(actual):
        return None
    targets = dict(actual)
    extended = dict(mapping)
    used = set(extended.values())
    for name, source in expected:
        target = targets[name]
        if source.kind != "bnode":
            continue
        if source.value in extended:
            if extended[source.value] != target.value:
                return None
        elif target.value in used:
            return None
        else:
            extended[source.value] = target.value
            used.add(target.value)
    return extended


def rows_difference(expected: tuple[Row, ...], actual: tuple[Row, ...]) -> str:
    """The rows in one bag and not the other (blank nodes shown as _:)."""
    missing = Counter(map(shape, expected)) - Counter(map(shape, actual))
    extra = Counter(map(shape, actual)) - Counter(map(shape, expected))
    lines = [f"expected {len(expected)} rows, got {len(actual)}"]
    lines += [f"  missing: {show(r)}" for r in list(missing.elements())[:10]]
    lines += [f"  unexpected: {show(r)}" for r in list(extra.elements())[:10]]
    if not missing and not extra:
        lines.append("  the rows differ only in how blank nodes are shared")
    return "\n".join(lines)


def show(row: Row) -> str:
    return " ".join(f"?{name}={value}" for name, value in sorted(row, key=lambda p: p[0]))


def graph_difference(expected: Graph, actual: Graph) -> str:
    ground = {t for t in expected if not any(isinstance(n, BNode) for n in t)}
    got = {t for t in actual if not any(isinstance(n, BNode) for n in t)}
    lines = [f"expected {len(expected)} triples, got {len(actual)}; not isomorphic"]
    lines += [f"  missing: {' '.join(n.n3() for n in t)}" for t in list(ground - got)[:10]]
    lines += [f"  unexpected: {' '.join(n.n3() for n in t)}" for t in list(got - ground)[:10]]
    return "\n".join(lines)
