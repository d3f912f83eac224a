"""The search index of a build, opened read-only: what resources a person's words name.

The build writes the index (``iprkg.build.search_index``) as one SQLite file of the
artefact, ``iprkg-search.sqlite``, listed in the manifest under ``search``; the store
reads it with the other published files (checked against the manifest's hash), and
``open_index`` deserialises those bytes into an in-memory database that only reads
(``PRAGMA query_only``), so the index answered is always that of the build the store
holds. SQLite's FTS5 comes with Python's standard library: no other dependency, and a
plain file anyone can open with ``sqlite3``.

The index holds stems (``search_words``), never raw text the engine would parse: a
query is split into words by ``search_words.stems`` and each stem is sent as a quoted
FTS5 string, so operators, quotes, ``*``, ``:`` or brackets in what a person typed are
only separators. A resource must match every word; if none does, those matching any
word are answered, marked ``partial``. Answers are ranked by: not retired (``dct:isReplacedBy``,
``owl:deprecated``) first, then a label that is exactly the query, then FTS5's bm25
with label words weighing most (``WEIGHTS``); and counted by kind. Every query is
bounded in time (``timeout``) and in rows (``MAX_MATCHES``).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from iprkg.core.errors import SearchTimeout, SearchUnavailable
from iprkg.engine.search_words import stems
from iprkg.engine.store import ReadOnlyStore

INDEX_NAME = "iprkg-search.sqlite"
MANIFEST_KEY = "search"
FORMAT_VERSION = "1"
"""Changes whenever the schema or ``search_words`` change: an older index is not used."""
SCHEMA = (
    "CREATE TABLE about (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE resource (id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, "
    "kind TEXT NOT NULL, retired INTEGER NOT NULL)",
    "CREATE TABLE kind (slug TEXT NOT NULL, lang TEXT NOT NULL, label TEXT NOT NULL, "
    "PRIMARY KEY (slug, lang))",
    "CREATE TABLE text (resource INTEGER NOT NULL, field TEXT NOT NULL, lang TEXT NOT NULL, "
    "value TEXT NOT NULL)",
    "CREATE INDEX text_of ON text (resource)",
    "CREATE TABLE name (resource INTEGER NOT NULL, key TEXT NOT NULL)",
    "CREATE INDEX name_key ON name (key)",
    "CREATE VIRTUAL TABLE words USING fts5(label, alt, note, "
    "tokenize = 'unicode61 remove_diacritics 2')",
)
"""``resource``: one row per indexed IRI, its kind (a slug) and whether it is retired;
``kind``: each kind's name in nb and en; ``text``: what is indexed, as published
(``field`` is ``label``, ``alt`` or ``note``), for snippets; ``name``: the stems of each
label joined by spaces, for exact matches; ``words``: the stems of the labels, the
alternative labels and the notes, rowid = ``resource.id``."""
FIELDS = ("label", "alt", "note")
WEIGHTS = (10.0, 5.0, 1.0)
"""bm25 weights of ``FIELDS``: a word in a label counts ten times one in a note."""
MAX_MATCHES = 2000
"""The most matches ranked and counted for one query."""
MAX_TERMS = 16
"""The most words of a query used; the rest are ignored (the page says so)."""
MAX_QUERY_CHARS = 200
"""The longest search read; a longer one is refused (400) with a message to shorten it."""


@dataclass(frozen=True)
class Text:
    """One indexed literal of a resource, as published."""

    field: str
    lang: str
    value: str


@dataclass(frozen=True)
class Hit:
    iri: str
    kind: str
    texts: tuple[Text, ...]
    exact: bool
    """A label of the resource is exactly the query (after normalising)."""


@dataclass(frozen=True)
class Answer:
    """What a query found: its stems, the hits shown, how many in all and per kind."""

    terms: tuple[str, ...]
    total: int
    kinds: Mapping[str, int]
    hits: Sequence[Hit] = field(default_factory=tuple)
    dropped: int = 0
    """Words of the query beyond ``MAX_TERMS``, not searched for."""
    partial: bool = False
    """Nothing matched every word, so these match some of them."""


def match_expression(
    terms: Sequence[str], prefix_last: bool = False, columns: str = "", every: bool = True
) -> str:
    """An FTS5 query asking for every term (or, not ``every``, any), each quoted: never
    FTS5 syntax of the person's making."""
    quoted = ['"' + term.replace('"', '""') + '"' for term in terms]
    if prefix_last and quoted:
        quoted[-1] += "*"
    expression = (" AND " if every else " OR ").join(quoted)
    return f"{{{columns}}} : ({expression})" if columns else expression


class SearchIndex:
    """A build's search index, in memory, read-only; safe to share between threads."""

    def __init__(self, content: bytes, timeout: float = 0) -> None:
        connection = sqlite3.connect(":memory:", check_same_thread=False)
        connection.deserialize(content)
        connection.execute("PRAGMA query_only = ON")
        version = connection.execute("SELECT value FROM about WHERE key = 'format'").fetchone()
        if version is None or version[0] != FORMAT_VERSION:
            raise SearchUnavailable("the search index is of another version: rebuild the data")
        self._db = connection
        self._lock = threading.Lock()
        self.timeout = timeout
        self.kind_names: dict[str, dict[str, str]] = {}
        for slug, lang, label in connection.execute("SELECT slug, lang, label FROM kind"):
            self.kind_names.setdefault(slug, {})[lang] = label

    def search(self, query: str, kind: str = "", limit: int = 50) -> Answer:
        """The resources matching every word of ``query`` (and of ``kind``, if given),
        best first, at most ``limit``; the counts per kind ignore ``kind``."""
        terms = stems(query)
        dropped = max(0, len(terms) - MAX_TERMS)
        terms = terms[:MAX_TERMS]
        if not terms:
            return Answer((), 0, {})
        rows = self._matches(terms, every=True)
        partial = not rows and len(terms) > 1
        if partial:
            rows = self._matches(terms, every=False)
        kinds = Counter(row[2] for row in rows)
        chosen = [row for row in rows if not kind or row[2] == kind]
        hits = self._hits([(row[0], row[1], row[2], bool(row[4])) for row in chosen[:limit]])
        return Answer(tuple(terms), len(chosen), dict(kinds.most_common()), hits, dropped, partial)

    def _matches(self, terms: Sequence[str], every: bool) -> list[Any]:
        """``(id, iri, kind, retired, exact, score)`` of the resources matching every
        (or any) of ``terms``, ranked (see the module)."""
        return self._rows(
            "SELECT r.id, r.iri, r.kind, r.retired,"
            " EXISTS (SELECT 1 FROM name n WHERE n.resource = r.id AND n.key = ?) AS exact,"
            f" bm25(words, {', '.join(map(str, WEIGHTS))}) AS score"
            " FROM words JOIN resource r ON r.id = words.rowid WHERE words MATCH ?"
            " ORDER BY r.retired, exact DESC, score, r.iri LIMIT ?",
            (" ".join(terms), match_expression(terms, every=every), MAX_MATCHES),
        )

    def suggest(self, typed: str, limit: int = 8) -> list[tuple[str, str]]:
        """``(iri, kind)`` of the resources whose labels start like ``typed`` (its last
        word as a prefix), best first."""
        terms = stems(typed)[:MAX_TERMS]
        if not terms:
            return []
        rows = self._rows(
            "SELECT r.iri, r.kind FROM words JOIN resource r ON r.id = words.rowid"
            " WHERE words MATCH ? ORDER BY r.retired, bm25(words, 10.0, 5.0, 0.0), r.iri"
            " LIMIT ?",
            (match_expression(terms, prefix_last=True, columns="label alt"), limit),
        )
        return [(row[0], row[1]) for row in rows]

    def _hits(self, chosen: Sequence[tuple[int, str, str, bool]]) -> list[Hit]:
        if not chosen:
            return []
        ids = [row[0] for row in chosen]
        texts: dict[int, list[Text]] = {}
        marks = ", ".join("?" * len(ids))
        for resource, name, lang, value in self._rows(
            f"SELECT resource, field, lang, value FROM text WHERE resource IN ({marks})"
            " ORDER BY rowid",
            ids,
        ):
            texts.setdefault(resource, []).append(Text(name, lang, value))
        return [
            Hit(iri, kind, tuple(texts.get(id_, ())), exact) for id_, iri, kind, exact in chosen
        ]

    def _rows(self, sql: str, parameters: Sequence[Any]) -> list[Any]:
        """The rows of ``sql``, interrupted after ``timeout`` seconds (SearchTimeout)."""
        with self._lock:
            if self.timeout:
                deadline = time.monotonic() + self.timeout
                self._db.set_progress_handler(lambda: int(time.monotonic() > deadline), 1000)
            try:
                return self._db.execute(sql, parameters).fetchall()
            except sqlite3.OperationalError as error:
                if "interrupted" in str(error):
                    raise SearchTimeout(
                        f"the search took longer than {self.timeout:g} s; use fewer words"
                    ) from error
                raise
            finally:
                self._db.set_progress_handler(None, 0)


def open_index(store: ReadOnlyStore, timeout: float = 0) -> SearchIndex | None:
    """The search index of the build ``store`` holds, or None if it has none."""
    manifest = store.manifest
    entry = manifest.get(MANIFEST_KEY) if manifest is not None else None
    if not isinstance(entry, Mapping):
        return None
    content = store.published_file(str(entry.get("path", "")))
    if content is None:
        return None
    try:
        return SearchIndex(content, timeout)
    except (sqlite3.DatabaseError, SearchUnavailable):
        return None
