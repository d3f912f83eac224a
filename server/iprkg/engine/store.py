"""The read-only store the server answers from: ``query()`` and ``describe()``, nothing else.

``ReadOnlyStore`` is the interface the blueprints use; they never touch pyoxigraph, so a
remote store can stand in later. ``OxigraphStore`` holds the data in memory: either the
built artefact (``dist/iprkg.nt``, checked against its manifest's content hash, queries
resolved against the manifest's base IRI) or RDF files given with ``--dataset``, each
into the default graph or, as ``GRAPH_IRI=PATH``, into a named graph. Nothing outside
this module can reach the pyoxigraph store, and ``query()`` parses queries only, so the
data cannot change while the server runs. Reading the artefact and dataset files is
``artefact``'s.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph

from iprkg.artefact.artefact import (
    DatasetFile,
    StoreError,
    default_prefixes,
    load_file,
    load_harvested,
    load_release,
    published_files,
    read_prefixes,
)
from iprkg.artefact.manifest import read_manifest
from iprkg.artefact.releases import Release
from iprkg.core.errors import (
    AnswerTooLarge,
    BadQuery,
    BadRequest,
    QueryFailed,
    ServiceRefused,
    UpdateRefused,
)
from iprkg.core.formats import (
    N_TRIPLES,
    SPARQL_JSON,
    ResultsSerialisation,
    Serialisation,
)
from iprkg.core.vocabulary import LABEL_PROPERTIES, NOTATION, XSD
from iprkg.engine.federation import SETTING as SERVICE_SETTING
from iprkg.engine.federation import ServicePolicy
from iprkg.engine.query_text import describe_as_select, is_update, uses_service

XSD_STRING = f"{XSD}string"

STORE_KEY = "iprkg.engine.store"
"""Where the app keeps its store: ``app.extensions[STORE_KEY]``."""


_LABEL_VALUES = " ".join(f"<{iri}>" for iri in (*LABEL_PROPERTIES, NOTATION))
"""What names a resource in ``labels`` and ``DESCRIPTION``: its labels, else its notation."""

DESCRIPTION = f"""
CONSTRUCT {{
  ?resource ?property ?value . ?value ?valueLabelProperty ?valueLabel .
  ?subject ?incoming ?resource . ?subject ?subjectLabelProperty ?subjectLabel .
}} WHERE {{
  {{ ?resource ?property ?value .
     OPTIONAL {{ VALUES ?valueLabelProperty {{ {_LABEL_VALUES} }}
                ?value ?valueLabelProperty ?valueLabel . FILTER(isLiteral(?valueLabel)) }} }}
  UNION
  {{ ?subject ?incoming ?resource .
     OPTIONAL {{ VALUES ?subjectLabelProperty {{ {_LABEL_VALUES} }}
                ?subject ?subjectLabelProperty ?subjectLabel .
                FILTER(isLiteral(?subjectLabel)) }} }}
}}"""
"""The description of ``?resource``, for its pages and for DESCRIBE at /sparql alike: every
triple with it as subject, the labels of what it links to, every triple pointing to it,
and the labels of what points to it."""

LABELS = f"""
SELECT ?resource ?property ?label WHERE {{
  VALUES ?property {{ {_LABEL_VALUES} }}
  ?resource ?property ?label . FILTER(isLiteral(?label))
}}"""
"""Every label in the store (``labels``)."""


class Solutions:
    """The answer to a SELECT or ASK query, serialised once in a negotiated format.

    ``serialise`` refuses an answer over ``max_bytes`` (AnswerTooLarge) and cuts a SELECT
    answer at ``max_rows`` solutions, setting ``truncated``; 0 means no limit.
    """

    truncated = False
    """Whether the last ``serialise`` left solutions out (``max_rows``)."""

    def __init__(self, results: pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean) -> None:
        self._results = results

    def rows(self) -> Iterator[pyoxigraph.QuerySolution]:
        """The solutions of a SELECT, once (for ``select`` and DESCRIBE, in this module)."""
        assert isinstance(self._results, pyoxigraph.QuerySolutions)
        yield from self._results

    def serialise(
        self, serialisation: ResultsSerialisation, max_bytes: int = 0, max_rows: int = 0
    ) -> bytes:
        results: pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean = self._results
        with _evaluation():
            if max_rows and isinstance(results, pyoxigraph.QuerySolutions):
                results, self.truncated = _first_rows(results, max_rows)
            return _bounded(results.serialize, serialisation.oxigraph_format, max_bytes)


class Triples:
    """The answer to a CONSTRUCT or DESCRIBE query, serialised once in a negotiated format;
    ``serialise`` refuses an answer over ``max_bytes`` (AnswerTooLarge), 0 meaning none."""

    def __init__(self, results: pyoxigraph.QueryTriples | Sequence[pyoxigraph.Triple]) -> None:
        self._results = results

    def serialise(self, serialisation: Serialisation, max_bytes: int = 0) -> bytes:
        results = self._results
        with _evaluation():
            if isinstance(results, pyoxigraph.QueryTriples):
                return _bounded(results.serialize, serialisation.oxigraph_format, max_bytes)

            def write(output: Any, format: Any) -> None:
                pyoxigraph.serialize(results, output, format=format)

            return _bounded(write, serialisation.oxigraph_format, max_bytes)


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


def _bounded(serialize: Callable[..., Any], format: Any, max_bytes: int) -> bytes:
    """What ``serialize(output=…, format=…)`` writes; AnswerTooLarge past ``max_bytes``,
    and the evaluation stops there: the rest is never computed."""
    buffer = _BoundedBuffer(max_bytes)
    try:
        serialize(buffer, format=format)
    except _Overflow:
        raise AnswerTooLarge(
            f"the answer is larger than the limit of {max_bytes // (1024 * 1024)} MB; "
            "ask for less (LIMIT and OFFSET, fewer variables) or use the dumps at /dumps/"
        ) from None
    return b"".join(buffer.chunks)


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


class ReadOnlyStore(Protocol):
    """What the server needs of a store."""

    @property
    def base_iri(self) -> str:
        """The IRI relative IRIs in queries resolve against."""
        ...

    @property
    def summary(self) -> str:
        """One line saying what is served, for the log."""
        ...

    @property
    def manifest(self) -> Mapping[str, Any] | None:
        """The built artefact's manifest (hash, counts, build time); None for other data."""
        ...

    @property
    def prefixes(self) -> Mapping[str, str]:
        """Prefix -> namespace IRI, as the build bound them (``DEFAULT_PREFIXES`` else)."""
        ...

    def published_file(self, name: str) -> bytes | None:
        """A file of the built artefact by its name in ``dist`` (a dump, its ``.gz``,
        ``manifest.json``), as it was when the store was opened; None for any other name."""
        ...

    def query(
        self,
        text: str,
        base_iri: str | None = None,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
    ) -> QueryResult:
        """Answer a SPARQL query: BadQuery, UpdateRefused or ServiceRefused if it cannot."""
        ...

    def describe(self, iri: str) -> Triples:
        """The description of ``iri`` (see ``DESCRIPTION``); empty if nothing mentions it."""
        ...

    def own_data(self) -> ReadOnlyStore:
        """This publication's own data without the harvested publications: what VoID and
        DCAT describe. The store itself when nothing was harvested."""
        ...


class BuildFacts:
    """What a store says of the build it answers from (the ``ReadOnlyStore`` properties
    other than ``query`` and ``describe``), and the SERVICE policy it applies; shared by
    ``OxigraphStore`` and ``remote_store.RemoteStore``."""

    def __init__(
        self,
        base_iri: str,
        summary: str,
        manifest: Mapping[str, Any] | None = None,
        published: Mapping[str, bytes] | None = None,
        prefixes: Mapping[str, str] | None = None,
        service_policy: ServicePolicy | None = None,
    ) -> None:
        self._base_iri = base_iri
        self._summary = summary
        self._manifest = manifest
        self._published = dict(published or {})
        self._prefixes = dict(prefixes or default_prefixes(base_iri))
        self._service_policy = service_policy or ServicePolicy()
        self._own: ReadOnlyStore | None = None

    @property
    def base_iri(self) -> str:
        return self._base_iri

    @property
    def summary(self) -> str:
        return self._summary

    @property
    def manifest(self) -> Mapping[str, Any] | None:
        return self._manifest

    @property
    def prefixes(self) -> Mapping[str, str]:
        return self._prefixes

    def published_file(self, name: str) -> bytes | None:
        return self._published.get(name)

    def own_data(self) -> ReadOnlyStore:
        return self._own or self  # type: ignore[return-value]


class OxigraphStore(BuildFacts):
    """A ``ReadOnlyStore`` held in memory by pyoxigraph."""

    def __init__(
        self,
        store: pyoxigraph.Store,
        base_iri: str,
        summary: str,
        manifest: Mapping[str, Any] | None = None,
        published: Mapping[str, bytes] | None = None,
        prefixes: Mapping[str, str] | None = None,
        service_policy: ServicePolicy | None = None,
    ) -> None:
        super().__init__(base_iri, summary, manifest, published, prefixes, service_policy)
        self._store = store

    @classmethod
    def from_dist(
        cls,
        dist: Path,
        service_policy: ServicePolicy | None = None,
        releases: Sequence[Release] = (),
    ) -> OxigraphStore:
        """The built artefact in ``dist``, checked against its manifest; each of the
        ``releases`` in its own named graph, the release's IRI (``load_release``)."""
        try:
            manifest = read_manifest(dist)
            content = (dist / f"iprkg.{N_TRIPLES.extension}").read_bytes()
        except (OSError, ValueError) as error:
            raise StoreError(f"cannot read the artefact in {dist}: {error}") from error
        if f"sha256:{hashlib.sha256(content).hexdigest()}" != manifest.get("content_hash"):
            raise StoreError(f"{dist}: iprkg.nt does not match manifest.json; rebuild it")
        store = pyoxigraph.Store()
        try:
            store.load(content, format=N_TRIPLES.oxigraph_format)
        except SyntaxError as error:
            raise StoreError(f"{dist}/iprkg.nt: {error}") from error
        own = None
        if manifest.get("harvested"):  # VoID and DCAT describe our data alone
            own = pyoxigraph.Store()
            own.bulk_load(content, format=N_TRIPLES.oxigraph_format)
        harvested = load_harvested(store, dist, manifest)
        live = len(store)
        for release in releases:
            load_release(store, release)
        published = published_files(dist, manifest)
        summary = f"{dist} ({live} triples, {manifest['content_hash']})"
        if harvested:
            summary = f"{summary[:-1]}, {harvested} harvested graph(s))"
        if releases:
            summary = f"{summary[:-1]}, {len(releases)} release(s))"
        base = str(manifest["base"])
        prefixes = read_prefixes(dist) or None
        served = cls(store, base, summary, manifest, published, prefixes, service_policy)
        if own is not None:
            served._own = cls(own, base, summary, manifest, published, prefixes, service_policy)
        return served

    @classmethod
    def from_files(
        cls,
        files: Sequence[DatasetFile],
        base_iri: str,
        service_policy: ServicePolicy | None = None,
    ) -> OxigraphStore:
        """RDF ``files``, the format told by each file's extension; queries resolve
        against ``base_iri``, relative IRIs in a file against the file's own URI."""
        store = pyoxigraph.Store()
        for file in files:
            load_file(store, file)
        summary = f"{len(files)} dataset file(s) ({len(store)} quads)"
        return cls(store, base_iri, summary, service_policy=service_policy)

    def query(
        self,
        text: str,
        base_iri: str | None = None,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
    ) -> QueryResult:
        base = base_iri or self._base_iri
        described = admitted(text, base, self._service_policy)
        if described is not None:
            return self._describe_all(described, base_iri, default_graph_uris, named_graph_uris)
        dataset_given = bool(default_graph_uris or named_graph_uris)
        default_graph: list[pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.DefaultGraph]
        default_graph = [named_node(iri) for iri in default_graph_uris]
        named_graphs: list[pyoxigraph.NamedNode | pyoxigraph.BlankNode]
        named_graphs = [named_node(iri) for iri in named_graph_uris]
        try:
            result = self._store.query(
                text,
                base_iri=base,
                # The protocol: once either is given, the dataset is exactly those graphs.
                default_graph=default_graph if dataset_given else None,
                named_graphs=named_graphs if dataset_given else None,
            )
        except SyntaxError as error:
            if is_update(text):
                raise UpdateRefused("this endpoint is read-only: updates are refused") from error
            raise BadQuery(str(error)) from error
        except RuntimeError as error:
            # Raised while planning, before any data is read: the query asks for something
            # the engine does not support (e.g. an unknown function). The message is meant
            # for the query's author, so it is a bad query, not a server failure.
            raise BadQuery(f"the query cannot be answered here: {error}") from error
        except OSError as error:
            raise QueryFailed("the query could not be evaluated; the error is logged") from error
        if isinstance(result, pyoxigraph.QueryTriples):
            return Triples(result)
        return Solutions(result)

    def describe(self, iri: str) -> Triples:
        return Triples(self._description(named_node(iri)))

    def _description(
        self,
        resource: pyoxigraph.NamedNode | pyoxigraph.BlankNode,
        default_graph_uris: Sequence[str] = (),
    ) -> list[Any]:
        default_graph: list[pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.DefaultGraph]
        default_graph = [named_node(iri) for iri in default_graph_uris]
        result = self._store.query(
            DESCRIPTION,
            substitutions={pyoxigraph.Variable("resource"): resource},
            default_graph=default_graph or None,
        )
        assert isinstance(result, pyoxigraph.QueryTriples)
        with _evaluation():
            return list(result)

    def _describe_all(
        self,
        select: str,
        base_iri: str | None,
        default_graph_uris: Sequence[str],
        named_graph_uris: Sequence[str],
    ) -> Triples:
        """A DESCRIBE query, answered as the union of the descriptions of what it names:
        the same description the resource pages use (``DESCRIPTION``)."""
        solutions = self.query(select, base_iri, default_graph_uris, named_graph_uris)
        assert isinstance(solutions, Solutions)
        resources: dict[str, pyoxigraph.NamedNode | pyoxigraph.BlankNode] = {}
        with _evaluation():
            for solution in solutions.rows():
                for term in solution:
                    if isinstance(term, pyoxigraph.NamedNode | pyoxigraph.BlankNode):
                        resources.setdefault(str(term), term)
        triples: dict[str, Any] = {}
        for resource in resources.values():
            for triple in self._description(resource, default_graph_uris):
                triples.setdefault(str(triple), triple)
        return Triples(list(triples.values()))


def admitted(text: str, base_iri: str, policy: ServicePolicy) -> str | None:
    """What every store checks before it evaluates ``text``: SERVICE refused when off or
    not allowed (ServiceRefused), a DESCRIBE parsed as sent (BadQuery pointing into it).
    Answers the SELECT a DESCRIBE is answered by (``describe_as_select``), else None."""
    if uses_service(text) and not policy.enabled:
        raise ServiceRefused(
            f"federated queries (SERVICE) are off on this endpoint ({SERVICE_SETTING} is empty)"
        )
    # On every query, not only those uses_service sees: spellings it misses still reach
    # pyoxigraph's parser (e.g. SERVICESILENT<…>), which would call them.
    policy.check(text, base_iri)
    described = describe_as_select(text)
    if described is not None:
        _parse_alone(text, base_iri)  # errors point into the client's text, not the rewrite
    return described


def _parse_alone(text: str, base_iri: str) -> None:
    """Parse ``text`` on an empty store, where evaluating it costs nothing: BadQuery with
    the parser's message and position if it does not parse."""
    try:
        pyoxigraph.Store().query(text, base_iri=base_iri)
    except SyntaxError as error:
        raise BadQuery(str(error)) from error


def select(store: ReadOnlyStore, text: str) -> list[dict[str, Any]]:
    """The solutions of a SELECT query as dicts of SPARQL JSON terms (``type``, ``value``,
    ``xml:lang``, ``datatype``): what the pages need, without touching pyoxigraph."""
    result = store.query(text)
    if not isinstance(result, Solutions):
        raise TypeError("select() needs a SELECT query")
    document = json.loads(result.serialise(SPARQL_JSON))
    return [dict(binding) for binding in document["results"]["bindings"]]


def labels(store: ReadOnlyStore) -> list[tuple[str, str, str, str]]:
    """Every label: ``(resource IRI, property IRI, text, language tag or '')``."""
    return [
        (
            row["resource"]["value"],
            row["property"]["value"],
            row["label"]["value"],
            row["label"].get("xml:lang", ""),
        )
        for row in select(store, LABELS)
        if row["resource"]["type"] == "uri"
    ]


def named_node(iri: str) -> pyoxigraph.NamedNode:
    """``iri`` as a NamedNode; BadRequest if it is not an absolute IRI."""
    try:
        return pyoxigraph.NamedNode(iri)
    except ValueError as error:
        raise BadRequest(f"not an absolute IRI: {iri!r} ({error})") from error


@contextmanager
def _evaluation() -> Iterator[None]:
    """Evaluation happens while serialising: the store's failures become QueryFailed."""
    try:
        yield
    except (OSError, RuntimeError) as error:
        raise QueryFailed("the query could not be evaluated; the error is logged") from error
