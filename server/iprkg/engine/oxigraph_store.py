"""The embedded store: the data held in memory by pyoxigraph, read-only.

``OxigraphStore`` holds either the built artefact (``dist/iprkg.nt``, checked against its
manifest's content hash, queries resolved against the manifest's base IRI) or RDF files
given with ``--dataset``, each into the default graph or, as ``GRAPH_IRI=PATH``, into a
named graph. Nothing outside this module can reach the pyoxigraph store, and queries are
parsed as queries only, so the data cannot change while the server runs. Reading the
artefact and dataset files is ``artefact``'s; the admission of a query and DESCRIBE are
``store.BaseStore``'s.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph

from iprkg.artefact.artefact import (
    DatasetFile,
    StoreError,
    load_file,
    load_harvested,
    load_release,
    published_files,
    read_prefixes,
)
from iprkg.artefact.manifest import read_manifest
from iprkg.artefact.releases import Release
from iprkg.core.errors import QueryFailed
from iprkg.core.formats import N_TRIPLES
from iprkg.engine.answers import QueryResult, Solutions, Triples, evaluation
from iprkg.engine.federation import ServicePolicy
from iprkg.engine.precomputed import Precomputed, read_listing
from iprkg.engine.store import (
    DESCRIPTION,
    BaseStore,
    Resource,
    description_of,
    named_node,
    refused_unless_parsed,
)


class OxigraphStore(BaseStore):
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
        self.precomputed: Mapping[str, Precomputed] = {}
        """The build's answers to the project's own queries (``engine.precomputed``)."""

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
        served.precomputed = read_listing(dist, manifest)
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

    def _answer(
        self,
        text: str,
        base_iri: str,
        default_graph_uris: Sequence[str],
        named_graph_uris: Sequence[str],
    ) -> QueryResult:
        dataset_given = bool(default_graph_uris or named_graph_uris)
        default_graph: list[pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.DefaultGraph]
        default_graph = [named_node(iri) for iri in default_graph_uris]
        named_graphs: list[pyoxigraph.NamedNode | pyoxigraph.BlankNode]
        named_graphs = [named_node(iri) for iri in named_graph_uris]
        try:
            with refused_unless_parsed(text):
                result = self._store.query(
                    text,
                    base_iri=base_iri,
                    # The protocol: once either is given, the dataset is exactly those graphs.
                    default_graph=default_graph if dataset_given else None,
                    named_graphs=named_graphs if dataset_given else None,
                )
        except OSError as error:
            raise QueryFailed("the query could not be evaluated; the error is logged") from error
        if isinstance(result, pyoxigraph.QueryTriples):
            return Triples(result)
        return Solutions(result)

    def _description(
        self,
        resource: Resource,
        default_graph_uris: Sequence[str] = (),
    ) -> list[pyoxigraph.Triple]:
        default_graph: list[pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.DefaultGraph]
        default_graph = [named_node(iri) for iri in default_graph_uris]
        if isinstance(resource, pyoxigraph.NamedNode):  # pyoxigraph checked it can be written
            result = self._store.query(
                description_of(resource.value), default_graph=default_graph or None
            )
        else:  # a blank node cannot be written into a query: bound instead
            result = self._store.query(
                DESCRIPTION,
                substitutions={pyoxigraph.Variable("resource"): resource},
                default_graph=default_graph or None,
            )
        assert isinstance(result, pyoxigraph.QueryTriples)
        with evaluation():
            return list(result)
