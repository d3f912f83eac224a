"""The read-only store the server answers from: ``query()`` and ``describe()``, nothing else.

``ReadOnlyStore`` is the interface the blueprints use; they never touch pyoxigraph, so
the embedded store (``oxigraph_store.OxigraphStore``) and the remote one
(``remote_store.RemoteStore``) are interchangeable. What both share is here, in
``BaseStore``: what they say of the build they answer from, and how a query is admitted
before either evaluates it (``admitted``: the SERVICE policy, a DESCRIBE parsed as sent
and answered as the union of the descriptions, ``DESCRIPTION``, of what it names).
Answers are ``answers.Solutions`` and ``answers.Triples``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, ClassVar, Protocol

import pyoxigraph

from iprkg.artefact.artefact import default_prefixes
from iprkg.core.errors import BadQuery, BadRequest, ServiceRefused, UpdateRefused
from iprkg.core.formats import SPARQL_JSON
from iprkg.core.vocabulary import LABEL_PROPERTIES, NOTATION
from iprkg.engine.answers import QueryResult, Solutions, Triples, evaluation
from iprkg.engine.federation import SETTING as SERVICE_SETTING
from iprkg.engine.federation import ServicePolicy
from iprkg.engine.query_text import describe_as_select, is_update, uses_service

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

_RESOURCE = re.compile(r"\?resource\b")


def description_of(iri: str) -> str:
    """``DESCRIPTION`` of the resource ``iri``, written into the text: what both stores
    evaluate, so that the embedded and the remote engine plan it, and order its answer,
    alike. ``iri`` must be writable as ``<iri>``."""
    return _RESOURCE.sub(f"<{iri}>", DESCRIPTION)


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


Resource = pyoxigraph.NamedNode | pyoxigraph.BlankNode


class WrappingStore:
    """A ``ReadOnlyStore`` around ``inner`` that says what ``inner`` says of its build and
    answers as ``inner`` does; the stores that change how queries are answered (kept,
    evaluated elsewhere) override ``query`` and ``describe``."""

    def __init__(self, inner: ReadOnlyStore) -> None:
        self._inner = inner

    @property
    def inner(self) -> ReadOnlyStore:
        """The store wrapped."""
        return self._inner

    @property
    def base_iri(self) -> str:
        return self._inner.base_iri

    @property
    def summary(self) -> str:
        return self._inner.summary

    @property
    def manifest(self) -> Mapping[str, Any] | None:
        return self._inner.manifest

    @property
    def prefixes(self) -> Mapping[str, str]:
        return self._inner.prefixes

    def published_file(self, name: str) -> bytes | None:
        return self._inner.published_file(name)

    def own_data(self) -> ReadOnlyStore:
        own = self._inner.own_data()
        return self if own is self._inner else own

    def query(
        self,
        text: str,
        base_iri: str | None = None,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
    ) -> QueryResult:
        return self._inner.query(text, base_iri, default_graph_uris, named_graph_uris)

    def describe(self, iri: str) -> Triples:
        return self._inner.describe(iri)


class BaseStore:
    """What ``OxigraphStore`` and ``remote_store.RemoteStore`` share: what a store says of
    the build it answers from (the ``ReadOnlyStore`` properties other than ``query`` and
    ``describe``), the SERVICE policy it applies, and ``query`` itself: the admission
    check, then DESCRIBE answered here, anything else by the store's own ``_answer``."""

    _describable: ClassVar[tuple[type[Resource], ...]] = (
        pyoxigraph.NamedNode,
        pyoxigraph.BlankNode,
    )
    """The terms a DESCRIBE query's answer describes."""

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
        self._published = published or {}  # read when asked for (``PublishedFiles``)
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
        return self._own or self

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
        return self._answer(text, base, default_graph_uris, named_graph_uris)

    def describe(self, iri: str) -> Triples:
        return Triples(self._description(named_node(iri)))

    def _answer(
        self,
        text: str,
        base_iri: str,
        default_graph_uris: Sequence[str],
        named_graph_uris: Sequence[str],
    ) -> QueryResult:
        """Evaluate ``text``, admitted, against ``base_iri`` (the store's if none was given)."""
        raise NotImplementedError

    def _description(
        self, resource: Resource, default_graph_uris: Sequence[str] = ()
    ) -> list[pyoxigraph.Triple]:
        """``DESCRIPTION`` of ``resource``, in the default graph ``default_graph_uris`` if
        given, as a list of triples."""
        raise NotImplementedError

    def _describe_all(
        self,
        select: str,
        base_iri: str | None,
        default_graph_uris: Sequence[str],
        named_graph_uris: Sequence[str],
    ) -> Triples:
        """A DESCRIBE query, answered as the union of the descriptions of what it names
        (the ``_describable`` terms of the SELECT it was rewritten to): the same
        description the resource pages use (``DESCRIPTION``)."""
        solutions = self.query(select, base_iri, default_graph_uris, named_graph_uris)
        assert isinstance(solutions, Solutions)
        resources: dict[str, Resource] = {}
        with evaluation():
            for solution in solutions.rows():
                for term in solution:
                    if isinstance(term, self._describable):
                        resources.setdefault(str(term), term)
        triples: dict[str, pyoxigraph.Triple] = {}
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


@contextmanager
def refused_unless_parsed(text: str) -> Iterator[None]:
    """Around parsing ``text``: an update is refused as one (UpdateRefused), any other text
    that does not parse, or asks what the engine cannot do, is a BadQuery."""
    try:
        yield
    except SyntaxError as error:
        if is_update(text):
            raise UpdateRefused("this endpoint is read-only: updates are refused") from error
        raise BadQuery(str(error)) from error
    except RuntimeError as error:
        # Raised while planning, before any data is read: the query asks for something
        # the engine does not support (e.g. an unknown function). The message is meant
        # for the query's author, so it is a bad query, not a server failure.
        raise BadQuery(f"the query cannot be answered here: {error}") from error


def select(store: ReadOnlyStore, text: str) -> list[dict[str, Any]]:
    """The solutions of a SELECT query as dicts of SPARQL JSON terms (``type``, ``value``,
    ``xml:lang``, ``datatype``): what the pages need, without touching pyoxigraph."""
    result = store.query(text)
    if not isinstance(result, Solutions):
        raise TypeError("select() needs a SELECT query")
    document = json.loads(result.serialise(SPARQL_JSON))
    return [dict(binding) for binding in document["results"]["bindings"]]


def labels(store: ReadOnlyStore) -> list[tuple[str, str, str, str]]:
    """Every label: ``(resource IRI, property IRI, text, language tag or '')``. Each term
    of the answer is made a tuple as it is read (``_value_and_language``), not a dict: at
    600 councils the answer has tens of thousands of rows, and their dicts would be most
    of what a worker ever holds."""
    result = store.query(LABELS)
    if not isinstance(result, Solutions):
        raise TypeError("LABELS is a SELECT query")
    document = json.loads(result.serialise(SPARQL_JSON), object_hook=_value_and_language)
    return [
        (row["resource"][0], row["property"][0], row["label"][0], row["label"][1])
        for row in document["results"]["bindings"]
        if row["resource"][2] == "uri"
    ]


def _value_and_language(term: dict[str, Any]) -> Any:
    """A SPARQL JSON term as ``(value, language tag or '', type)``; any other object as is."""
    if "type" in term and "value" in term:
        return (term["value"], term.get("xml:lang", ""), term["type"])
    return term


def named_node(iri: str) -> pyoxigraph.NamedNode:
    """``iri`` as a NamedNode; BadRequest if it is not an absolute IRI."""
    try:
        return pyoxigraph.NamedNode(iri)
    except ValueError as error:
        raise BadRequest(f"not an absolute IRI: {iri!r} ({error})") from error
