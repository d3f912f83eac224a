"""What an app serves, typed: one ``AppContext`` per app, made by the app factory.

The app factory (``app.create_app``) opens the store and reads the releases, then makes
the context with ``AppContext.open``, which describes the service and the publication
once (both fixed for the app's life), and stores it with ``install``; every view, hook
and template helper reads it with ``current_context()`` (or ``current_store()``). What
is read from the store only when a page first needs it — the display labels, the
comparison, the IRIs outside the base that the data describe — is
computed on first use and kept on the context (the data are immutable).

Nothing here depends on the order in which blueprints are registered: the state is
built before any of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, cast

from flask import Flask, current_app

from iprkg.artefact.releases import ServedReleases
from iprkg.core.settings import Settings
from iprkg.engine.query_cache import uncached
from iprkg.engine.search import SearchIndex, open_index
from iprkg.engine.store import ReadOnlyStore
from iprkg.services.comparison import QUERIES_FOLDER as COMPARISON_QUERIES
from iprkg.services.comparison import Comparison, read_comparison
from iprkg.services.labels import Labels, read_labels
from iprkg.services.publication import Publication
from iprkg.services.publication import describe as describe_publication
from iprkg.services.query_help import Vocabulary, read_vocabulary
from iprkg.services.resources import described_externals
from iprkg.services.service import ServiceDescription, statistics
from iprkg.services.service import describe as describe_service
from iprkg.web.kept_pages import KeptPages

CONTEXT_KEY = "iprkg"
"""The one key of ours in ``app.extensions``: the app's ``AppContext``."""

OwnPage = Callable[[str, list[Any]], str | None]
"""A page of its own for some resources (a strategy, the ontology, a theme): the HTML
for an IRI and the page's alternates, or None when the IRI is not one of its kind."""


@dataclass
class AppContext:
    """The store, the settings, the releases and what is known of them, for one app."""

    store: ReadOnlyStore
    settings: Settings
    releases: ServedReleases
    service: ServiceDescription
    """The SPARQL service description (with the default graph's VoID counts)."""
    publication: Publication
    """What the catalogue, VoID, the sitemap and the citations say."""
    own_pages: tuple[OwnPage, ...] = ()
    """The resources with a page of their own, asked in order (``resources``)."""
    kept_pages: KeptPages = field(default_factory=lambda: KeptPages(0))
    """Pages made once per server and shared by its workers (``kept_pages``); none kept
    unless the app factory says how much."""
    start_worker: Callable[[], None] = field(default=lambda: None)
    """Starts a worker process of ``iprkg serve``: its query processes (``app.worker_start``)."""

    @classmethod
    def open(cls, store: ReadOnlyStore, settings: Settings, releases: ServedReleases) -> AppContext:
        """The context of an app serving ``store``: the service and the publication
        described (a few queries), the publication reusing the service's VoID counts
        unless harvested publications share the default graph."""
        service = describe_service(store)
        own = store.own_data()
        counts = service.default_graph if own is store else statistics(own)
        publication = describe_publication(own, counts, releases.releases)
        return cls(store, settings, releases, service, publication)

    def install(self, app: Flask) -> None:
        app.extensions[CONTEXT_KEY] = self

    @property
    def kept_store(self) -> ReadOnlyStore:
        """The store for what is read once and kept below (labels, the comparison …):
        without the answer cache, which would hold each answer a second time
        (``query_cache.uncached``)."""
        return uncached(self.store)

    @cached_property
    def labels(self) -> Labels:
        """Every display label, read on first use."""
        return read_labels(self.kept_store)

    @cached_property
    def comparison(self) -> Comparison:
        """The councils compared, computed on first use."""
        return read_comparison(self.kept_store, self.settings.root / COMPARISON_QUERIES)

    @cached_property
    def described_externals(self) -> frozenset[str]:
        """The IRIs outside the base that are subjects in the store, found on first use."""
        return described_externals(self.kept_store)

    @cached_property
    def vocabulary(self) -> Vocabulary:
        """The prefixes, classes and properties the query page completes and checks, read
        on first use."""
        return read_vocabulary(self.kept_store, self.labels)

    @cached_property
    def search(self) -> SearchIndex | None:
        """The build's search index, opened on first use; None if the data have none."""
        return open_index(self.store, self.settings.query_timeout)


def context_of(app: Flask) -> AppContext:
    return cast(AppContext, app.extensions[CONTEXT_KEY])


def current_context() -> AppContext:
    """The context of the app handling this request (or whose app context is pushed)."""
    return cast(AppContext, current_app.extensions[CONTEXT_KEY])


def current_store() -> ReadOnlyStore:
    return current_context().store


def current_labels() -> Labels:
    return current_context().labels
