"""Answers kept in memory: the data never change while a store is open, so neither do they.

``CachingStore`` wraps any ``ReadOnlyStore``. An answer is kept as the bytes of one
serialisation, keyed by the query (its text with the surrounding white space and line
endings normalised), the base IRI, the dataset (default and named graph IRIs) and the
format; a description by the resource's IRI and the format. The store a cache wraps is
one build, opened once, so the build is part of every key without being written in it:
a new build means a new store and a new cache.

The cache is bounded by bytes (the ``IPRKG_QUERY_CACHE_MB`` setting), least recently used
first out; an answer larger than half the bound is served but not kept. Errors
are not kept: a bad query is parsed again, cheaply, each time it is sent.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Any, Generic, TypeVar

from iprkg.core.formats import ResultsSerialisation, Serialisation
from iprkg.engine.answers import QueryResult, Solutions, Triples
from iprkg.engine.store import ReadOnlyStore, WrappingStore

Key = tuple[Hashable, ...]
V = TypeVar("V")
Compute = Callable[[], QueryResult]


def keeps(limit: int, size: int) -> bool:
    """Whether a cache of ``limit`` bytes keeps a value of ``size`` bytes: at most half of
    it, so that one value never empties the cache."""
    return size * 2 <= limit


class ByteBoundedCache(Generic[V]):
    """A thread-safe LRU map holding values of at most ``limit`` bytes in all (the size
    of each value is given when it is put)."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._entries: OrderedDict[Key, tuple[V, int]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    @property
    def size(self) -> int:
        """Bytes held now."""
        return self._size

    @property
    def limit(self) -> int:
        """The most bytes held."""
        return self._limit

    def get(self, key: Key) -> V | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key: Key, value: V, size: int) -> None:
        """Keep ``value``, unless it is over half the limit (``keeps``)."""
        if not keeps(self._limit, size):
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= old[1]
            self._entries[key] = (value, size)
            self._size += size
            while self._size > self._limit:
                _, (_, evicted) = self._entries.popitem(last=False)
                self._size -= evicted


class CachedSolutions(Solutions):
    """Solutions whose serialisations come from the cache, or from ``compute`` once.
    An answer cut short (``max_rows``) is not kept: a kept answer is always whole. Nor is
    one that is the build's own file (``as_built``): it is read from there again."""

    def __init__(self, cache: ByteBoundedCache[bytes], key: Key, compute: Compute) -> None:
        self._cache, self._key, self._compute = cache, key, compute

    def rows(self) -> Any:
        result = self._compute()
        assert isinstance(result, Solutions)
        return result.rows()

    def serialise(
        self, serialisation: ResultsSerialisation, max_bytes: int = 0, max_rows: int = 0
    ) -> bytes:
        def make() -> tuple[bytes, bool]:
            result = self._compute()
            assert isinstance(result, Solutions)
            body = result.serialise(serialisation, max_bytes, max_rows)
            self.truncated = result.truncated
            return body, not (result.truncated or result.as_built)

        return _serialised(self._cache, (*self._key, max_rows), serialisation, max_bytes, make)


class CachedTriples(Triples):
    """Triples whose serialisations come from the cache, or from ``compute`` once."""

    def __init__(self, cache: ByteBoundedCache[bytes], key: Key, compute: Compute) -> None:
        self._cache, self._key, self._compute = cache, key, compute

    def serialise(self, serialisation: Serialisation, max_bytes: int = 0) -> bytes:
        def make() -> tuple[bytes, bool]:
            result = self._compute()
            assert isinstance(result, Triples)
            return result.serialise(serialisation, max_bytes), True

        return _serialised(self._cache, self._key, serialisation, max_bytes, make)


def _serialised(
    cache: ByteBoundedCache[bytes],
    key: Key,
    serialisation: Serialisation | ResultsSerialisation,
    max_bytes: int,
    make: Callable[[], tuple[bytes, bool]],
) -> bytes:
    """The kept body for ``key`` in ``serialisation``, else ``make()``'s (kept if it says
    so). A kept body over ``max_bytes`` is refused as a fresh one would be."""
    full_key = (*key, serialisation.media_type)
    body = cache.get(full_key)
    if body is not None and max_bytes and len(body) > max_bytes:
        body = None  # evaluated again under the limit, which refuses it with its message
    if body is None:
        body, keep = make()
        if keep:
            cache.put(full_key, body, len(body))
    return body


def normalised(text: str) -> str:
    """The query as a key: line endings unified, white space around it dropped."""
    return text.replace("\r\n", "\n").strip()


class CachingStore(WrappingStore):
    """A ``ReadOnlyStore`` that keeps the answers of ``inner`` (see the module's doc)."""

    def __init__(self, inner: ReadOnlyStore, limit_bytes: int) -> None:
        super().__init__(inner)
        self._cache: ByteBoundedCache[bytes] = ByteBoundedCache(limit_bytes)
        self._kinds: dict[Key, type[QueryResult]] = {}
        """What each query answers (solutions or triples): known without evaluating it."""

    @property
    def cache(self) -> ByteBoundedCache[bytes]:
        return self._cache

    def query(
        self,
        text: str,
        base_iri: str | None = None,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
    ) -> QueryResult:
        key: Key = (
            "query",
            normalised(text),
            base_iri or self._inner.base_iri,
            tuple(default_graph_uris),
            tuple(named_graph_uris),
        )

        def compute() -> QueryResult:
            return self._inner.query(text, base_iri, default_graph_uris, named_graph_uris)

        kind = self._kinds.get(key)
        if kind is None:
            first = compute()  # parses now: a bad query is refused here, as without a cache
            kind = type(first)
            if len(self._kinds) < 100_000:
                self._kinds[key] = kind
            compute = _once(first, compute)
        if issubclass(kind, Triples):
            return CachedTriples(self._cache, key, compute)
        return CachedSolutions(self._cache, key, compute)

    def describe(self, iri: str) -> Triples:
        return CachedTriples(self._cache, ("describe", iri), lambda: self._inner.describe(iri))


def uncached(store: ReadOnlyStore) -> ReadOnlyStore:
    """``store`` without its answer cache, for a reader that keeps what it reads for as
    long as the store is served (the pages' labels, map, comparison): kept here too, the
    answer would take room from answers asked again, and be held twice."""
    return store.inner if isinstance(store, CachingStore) else store


def _once(first: QueryResult, again: Callable[[], QueryResult]) -> Callable[[], QueryResult]:
    """``first`` the first time (it can be read once), ``again()`` after that."""
    pending = [first]

    def compute() -> QueryResult:
        return pending.pop() if pending else again()

    return compute
