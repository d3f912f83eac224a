"""Answers computed by the build, served without evaluating the query again.

Some of the project's own queries (``queries/`` and ``queries/compare/``: the research
queries, the comparison's matrices and similarity) grow with the number of councils;
``compare/similar-councils`` pairs every council with every other. Their answers change
only with the build, so ``iprkg build`` evaluates each once, on the data the server
will load (``build.answers``), and writes it into the artefact as SPARQL JSON
(``iprkg-answer-<key>.srj``, listed in the manifest under ``answers``). The server
answers those queries from them, in any format: SPARQL JSON as written, the others
converted (``PrecomputedStore``); each is read when first asked for, and then kept like
any answer by the answer cache. An answer over the build's answer limit
(``IPRKG_MAX_ANSWER_MB``) is not written, only its size: a client asking for it whole
gets 422 at once, as evaluating it would end, without the evaluation.

A precomputed answer is used only where it is the answer the store would give:

* the same query: the key is the text with line endings unified and surrounding white
  space dropped, less a leading ``BASE`` that names the base the query is resolved
  against anyway, and that base (``key``);
* the same data: the default graph only, which holds the build (and what it harvested)
  exactly as the build evaluated it: a query that names graphs (``GRAPH``, ``FROM``), calls
  other services (``SERVICE``), or is sent with a dataset (``default-graph-uri``,
  ``named-graph-uri``) is evaluated as usual (``precomputable``).

They belong to the answer cache: with ``IPRKG_QUERY_CACHE_MB=0`` none is used.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph

from iprkg.core.formats import SPARQL_JSON, ResultsSerialisation
from iprkg.engine.answers import QueryResult, Solutions, too_large
from iprkg.engine.query_cache import normalised
from iprkg.engine.query_text import keywords_only
from iprkg.engine.store import ReadOnlyStore, WrappingStore

PREFIX = "iprkg-answer-"
"""The start of an answer's file name in ``dist``."""
_NAMES_GRAPHS = re.compile(r"(?<![\w?$:])(?:GRAPH|FROM|SERVICE)(?![\w:-])", re.IGNORECASE)
_LEADING_BASE = re.compile(r"\A\s*BASE\s*<([^>]*)>\s*", re.IGNORECASE)


def precomputable(text: str) -> bool:
    """Whether the answer to ``text`` depends on the default graph alone (it names no
    graph and calls no service)."""
    return _NAMES_GRAPHS.search(keywords_only(text)) is None


def key(text: str, base_iri: str) -> str:
    """The key of the query ``text`` resolved against ``base_iri`` (see the module)."""
    query = normalised(text)
    leading = _LEADING_BASE.match(query)
    if leading is not None and leading.group(1) == base_iri:
        query = query[leading.end() :]
    return hashlib.sha256(f"{base_iri}\n{query}".encode()).hexdigest()


def path_of(answer_key: str) -> str:
    """The answer's file in ``dist``."""
    return f"{PREFIX}{answer_key}.srj"


@dataclass(frozen=True)
class Precomputed:
    """One answer of the build: its file (``None`` when it was over the build's answer
    limit and not written), SHA-256, size in bytes and number of rows."""

    path: Path | None
    sha256: str
    size: int
    rows: int

    def read(self) -> bytes | None:
        """The answer, checked; None (and a line in the log) if it cannot be read as
        the build wrote it: the query is then evaluated."""
        if self.path is None:
            return None
        try:
            body = self.path.read_bytes()
        except OSError as error:
            body, problem = b"", str(error)
        else:
            problem = "" if hashlib.sha256(body).hexdigest() == self.sha256 else "changed"
        if problem:
            print(f"iprkg: not using {self.path}: {problem}", file=sys.stderr, flush=True)
            return None
        return body


def read_listing(dist: Path, manifest: Mapping[str, Any]) -> dict[str, Precomputed]:
    """The answers the manifest of the build in ``dist`` lists, by key, each read when
    first asked for from the build's own folder (``dist`` resolved now: a later build
    swapped in does not change them)."""
    folder = dist.resolve()
    return {
        entry["key"]: Precomputed(
            folder / entry["path"] if entry.get("path") else None,
            entry.get("sha256", ""),
            int(entry["bytes"]),
            int(entry["rows"]),
        )
        for entry in manifest.get("answers", {}).get("queries", [])
    }


class PrecomputedSolutions(Solutions):
    """A precomputed answer: as written in SPARQL JSON whole, else parsed and serialised
    as asked (cut at ``max_rows``, refused past ``max_bytes`` as any answer)."""

    def __init__(self, body: bytes, rows: int) -> None:
        self._body, self._rows = body, rows

    def rows(self) -> Any:
        return self._parsed().rows()

    def serialise(
        self, serialisation: ResultsSerialisation, max_bytes: int = 0, max_rows: int = 0
    ) -> bytes:
        whole = not max_rows or self._rows <= max_rows
        fits = not max_bytes or len(self._body) <= max_bytes
        if serialisation == SPARQL_JSON and whole and fits:
            self.truncated, self.as_built = False, True
            return self._body
        parsed = self._parsed()
        body = parsed.serialise(serialisation, max_bytes, max_rows)
        self.truncated = parsed.truncated
        return body

    def _parsed(self) -> Solutions:
        results = pyoxigraph.parse_query_results(self._body, format=SPARQL_JSON.oxigraph_format)
        return Solutions(results)


class TooLarge(Solutions):
    """An answer the build found larger than its limit: refused as one, unless cut at
    ``max_rows`` or allowed by a larger limit here, when the query is evaluated."""

    def __init__(self, size: int, evaluate: Callable[[], QueryResult]) -> None:
        self._size, self._evaluate = size, evaluate

    def rows(self) -> Any:
        result = self._evaluate()
        assert isinstance(result, Solutions)
        return result.rows()

    def serialise(
        self, serialisation: ResultsSerialisation, max_bytes: int = 0, max_rows: int = 0
    ) -> bytes:
        if max_bytes and self._size > max_bytes and not max_rows:
            raise too_large(max_bytes)
        result = self._evaluate()
        assert isinstance(result, Solutions)
        body = result.serialise(serialisation, max_bytes, max_rows)
        self.truncated = result.truncated
        return body


class PrecomputedStore(WrappingStore):
    """``inner``, with the queries whose answers ``answers`` lists (by key) answered from
    them (see the module)."""

    def __init__(self, inner: ReadOnlyStore, answers: Mapping[str, Precomputed]) -> None:
        super().__init__(inner)
        self._answers = dict(answers)

    def query(
        self,
        text: str,
        base_iri: str | None = None,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
    ) -> QueryResult:
        if not default_graph_uris and not named_graph_uris and self._answers:
            found = self._answers.get(key(text, base_iri or self.base_iri))
            if found is not None and precomputable(text):
                if found.path is None:
                    return TooLarge(found.size, lambda: self._inner.query(text, base_iri))
                body = found.read()
                if body is not None:
                    return PrecomputedSolutions(body, found.rows)
        return self._inner.query(text, base_iri, default_graph_uris, named_graph_uris)
