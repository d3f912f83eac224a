"""Answers to queries, serialised once in a negotiated format, within the size limits.

``Solutions`` (SELECT, ASK) and ``Triples`` (CONSTRUCT, DESCRIBE) are what every store
answers (``store.ReadOnlyStore.query``); evaluation happens while serialising, so the
limits stop it there: past ``max_bytes`` nothing more is computed (``AnswerTooLarge``),
and a SELECT is cut at ``max_rows`` solutions.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pyoxigraph

from iprkg.core.errors import AnswerTooLarge, QueryFailed
from iprkg.core.formats import ResultsSerialisation, Serialisation
from iprkg.core.vocabulary import XSD

XSD_STRING = f"{XSD}string"


class Solutions:
    """The answer to a SELECT or ASK query, serialised once in a negotiated format.

    ``serialise`` refuses an answer over ``max_bytes`` (AnswerTooLarge) and cuts a SELECT
    answer at ``max_rows`` solutions, setting ``truncated``; 0 means no limit.
    """

    truncated = False
    """Whether the last ``serialise`` left solutions out (``max_rows``)."""
    as_built = False
    """Set by ``serialise`` when the body is the build's own file (``precomputed``):
    the answer cache need not keep a copy of it."""

    def __init__(self, results: pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean) -> None:
        self._results = results

    def rows(self) -> Iterator[pyoxigraph.QuerySolution]:
        """The solutions of a SELECT, once (for ``store.select`` and DESCRIBE)."""
        assert isinstance(self._results, pyoxigraph.QuerySolutions)
        yield from self._results

    def serialise(
        self, serialisation: ResultsSerialisation, max_bytes: int = 0, max_rows: int = 0
    ) -> bytes:
        results: pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean = self._results
        with evaluation():
            if max_rows and isinstance(results, pyoxigraph.QuerySolutions):
                results, self.truncated = _first_rows(results, max_rows)
            return bounded(results.serialize, serialisation.oxigraph_format, max_bytes)


class Triples:
    """The answer to a CONSTRUCT or DESCRIBE query, serialised once in a negotiated format;
    ``serialise`` refuses an answer over ``max_bytes`` (AnswerTooLarge), 0 meaning none."""

    def __init__(self, results: pyoxigraph.QueryTriples | Sequence[pyoxigraph.Triple]) -> None:
        self._results = results

    def serialise(self, serialisation: Serialisation, max_bytes: int = 0) -> bytes:
        results = self._results
        with evaluation():
            if isinstance(results, pyoxigraph.QueryTriples):
                return bounded(results.serialize, serialisation.oxigraph_format, max_bytes)

            def write(output: Any, format: Any) -> None:
                pyoxigraph.serialize(results, output, format=format)

            return bounded(write, serialisation.oxigraph_format, max_bytes)


class _Overflow(Exception):
    """Raised inside a serialiser's write: the answer passed its limit."""


class _BoundedBuffer(io.RawIOBase):
    """Bytes written, up to ``limit`` (0: any number); past it, ``_Overflow``."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.chunks: list[bytes] = []
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self.size += len(chunk)
        if self.limit and self.size > self.limit:
            raise _Overflow
        self.chunks.append(chunk)
        return len(chunk)


def bounded(serialize: Callable[..., Any], format: Any, max_bytes: int) -> bytes:
    """What ``serialize(output=…, format=…)`` writes; AnswerTooLarge past ``max_bytes``,
    and the evaluation stops there: the rest is never computed."""
    buffer = _BoundedBuffer(max_bytes)
    try:
        serialize(buffer, format=format)
    except _Overflow:
        raise too_large(max_bytes) from None
    return b"".join(buffer.chunks)


def too_large(max_bytes: int) -> AnswerTooLarge:
    """The refusal of an answer over ``max_bytes``."""
    return AnswerTooLarge(
        f"the answer is larger than the limit of {max_bytes // (1024 * 1024)} MB; "
        "ask for less (LIMIT and OFFSET, fewer variables) or use the dumps at /dumps/"
    )


def _first_rows(
    solutions: pyoxigraph.QuerySolutions, max_rows: int
) -> tuple[pyoxigraph.QuerySolutions, bool]:
    """The first ``max_rows`` solutions, as solutions again, and whether there were more."""
    variables = [variable.value for variable in solutions.variables]
    bindings: list[dict[str, Any]] = []
    truncated = False
    for number, solution in enumerate(solutions):
        if number == max_rows:
            truncated = True
            break
        bound = ((name, solution[name]) for name in variables)
        bindings.append({name: _json_term(term) for name, term in bound if term is not None})
    document = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    kept = pyoxigraph.parse_query_results(
        json.dumps(document).encode(), format=pyoxigraph.QueryResultsFormat.JSON
    )
    assert isinstance(kept, pyoxigraph.QuerySolutions)
    return kept, truncated


def _json_term(term: Any) -> dict[str, Any]:
    """An RDF term as SPARQL 1.1 JSON results (with SPARQL-star's quoted triples)."""
    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, pyoxigraph.Literal):
        literal: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            literal["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            literal["datatype"] = term.datatype.value
        return literal
    return {
        "type": "triple",
        "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        },
    }


QueryResult = Solutions | Triples


@contextmanager
def evaluation() -> Iterator[None]:
    """Evaluation happens while serialising: the store's failures become QueryFailed."""
    try:
        yield
    except (OSError, RuntimeError) as error:
        raise QueryFailed("the query could not be evaluated; the error is logged") from error
