"""Answers computed by the build, served without evaluating the query again.

Some of the project's own queries (``queries/`` and ``queries/compare/``: the research
queries, the comparison's matrices and similarity) grow with the number of councils;
``compare/similar-councils`` pairs every council with every other. Their answers change
only with the build, so ``iprkg build`` evaluates each once, on the data the server
will load (``build.answers``), and writes it into the artefact as SPARQL JSON
(``iprkg-answer-<key>.srj``, listed in the manifest under ``answers``). The server
answers those queries from them, in any format: SPARQL JSON as written, the others
converted (``PrecomputedStore``); each file is checked against its SHA-256 when first
asked for, kept open, and read from then on. An answer over the answer limit
(``IPRKG_MAX_ANSWER_MB``) is sent whole only as SPARQL JSON, from its file in parts
(``built_answer``: it is never held whole in memory); in any other format it gets 422 at
once, as evaluating it would end, without the evaluation.

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
import os
import re
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph

from iprkg.core.errors import AnswerTooLarge
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


class Precomputed:
    """One answer of the build: its file (``None`` where a build before answers over the
    answer limit were written left it out), SHA-256, size in bytes and number of rows.

    The file is opened and checked against its SHA-256 once, when first asked for, and
    then read from the descriptor kept open (the build's own, whatever build is swapped
    in later); a file that cannot be read as the build wrote it is never used."""

    CHUNK = 1024 * 1024
    """Bytes read at a time when the answer is sent in parts (``chunks``)."""

    def __init__(self, path: Path | None, sha256: str, size: int, rows: int) -> None:
        self.path, self.sha256, self.size, self.rows = path, sha256, size, rows
        self._fd: int | None = None
        self._checked = False
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Precomputed({self.path}, {self.size} bytes, {self.rows} rows)"

    def usable(self) -> bool:
        """Whether the file is there as the build wrote it (checked the first time; a
        line in the log when it is not: the query is then evaluated)."""
        with self._lock:
            if not self._checked:
                self._checked = True
                self._fd = self._open_checked()
            return self._fd is not None

    def read(self) -> bytes | None:
        """The whole answer, or None if the file is not usable."""
        return b"".join(self.chunks()) if self.usable() else None

    def chunks(self) -> Iterator[bytes]:
        """The answer in parts of ``CHUNK`` bytes (nothing if the file is not usable)."""
        fd = self._fd if self.usable() else None
        offset = 0
        while fd is not None and offset < self.size:
            chunk = os.pread(fd, min(self.CHUNK, self.size - offset), offset)
            if not chunk:
                return
            offset += len(chunk)
            yield chunk

    def _open_checked(self) -> int | None:
        if self.path is None:
            return None
        digest, problem, fd = hashlib.sha256(), "", None
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
            with open(os.dup(fd), "rb") as answer:
                for chunk in iter(lambda: answer.read(self.CHUNK), b""):
                    digest.update(chunk)
        except OSError as error:
            problem = str(error)
        else:
            problem = "" if digest.hexdigest() == self.sha256 else "changed"
        if problem:
            if fd is not None:
                os.close(fd)
            print(f"iprkg: not using {self.path}: {problem}", file=sys.stderr, flush=True)
            return None
        return fd

    def __del__(self) -> None:
        fd = getattr(self, "_fd", None)  # not there if __init__ failed
        if fd is not None:
            os.close(fd)


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
    as asked (cut at ``max_rows``); past ``max_bytes`` it is refused whole, or evaluated
    when cut at ``max_rows`` (or when the build wrote no file for it)."""

    def __init__(self, answer: Precomputed, evaluate: Callable[[], QueryResult]) -> None:
        self._answer, self._evaluate = answer, evaluate

    def rows(self) -> Any:
        return self._solutions(self._answer.read()).rows()

    def serialise(
        self, serialisation: ResultsSerialisation, max_bytes: int = 0, max_rows: int = 0
    ) -> bytes:
        answer = self._answer
        whole = not max_rows or answer.rows <= max_rows
        fits = not max_bytes or answer.size <= max_bytes
        if whole and not fits:
            hint = "; as SPARQL JSON it is sent whole, from the build's file"
            hint = hint if answer.usable() else ""
            raise AnswerTooLarge(f"{too_large(max_bytes)}{hint}")
        body = answer.read() if fits else None
        if serialisation == SPARQL_JSON and whole and body is not None:
            self.truncated, self.as_built = False, True
            return body
        solutions = self._solutions(body)
        serialised = solutions.serialise(serialisation, max_bytes, max_rows)
        self.truncated = solutions.truncated
        return serialised

    def _solutions(self, body: bytes | None) -> Solutions:
        """The answer parsed from ``body``, or evaluated where there is none."""
        if body is None:
            result = self._evaluate()
            assert isinstance(result, Solutions)
            return result
        results = pyoxigraph.parse_query_results(body, format=SPARQL_JSON.oxigraph_format)
        return Solutions(results)


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
        found = self.answer(text, base_iri, default_graph_uris, named_graph_uris)
        if found is not None:
            return PrecomputedSolutions(found, lambda: self._inner.query(text, base_iri))
        return self._inner.query(text, base_iri, default_graph_uris, named_graph_uris)

    def answer(
        self,
        text: str,
        base_iri: str | None = None,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
    ) -> Precomputed | None:
        """The build's answer to the query, if it has one it can use: a file read as the
        build wrote it, or the size of one it left out (see ``Precomputed``)."""
        if default_graph_uris or named_graph_uris or not self._answers:
            return None
        found = self._answers.get(key(text, base_iri or self.base_iri))
        if found is None or not precomputable(text):
            return None
        return found if found.path is None or found.usable() else None


def built_answer(
    store: ReadOnlyStore,
    text: str,
    default_graph_uris: Sequence[str] = (),
    named_graph_uris: Sequence[str] = (),
) -> Precomputed | None:
    """The build's file holding the answer ``store`` gives to the query, if one of the
    layers of ``store`` answers it from one (``PrecomputedStore``): to be sent as it is."""
    while isinstance(store, WrappingStore):
        if isinstance(store, PrecomputedStore):
            found = store.answer(text, None, default_graph_uris, named_graph_uris)
            return found if found is not None and found.path is not None else None
        store = store.inner
    return None
