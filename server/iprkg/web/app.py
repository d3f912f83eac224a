"""The web application factory: ``create_app(config=None)``.

Defaults first, then the settings (environment, see ``iprkg settings``), then
``config`` from the caller (``iprkg serve``, the tests). Config keys of our own:

* ``IPRKG_SETTINGS`` — a ``Settings``; default ``Settings.load()``;
* ``IPRKG_DATASETS`` — ``DatasetFile``s to serve instead of the built ``dist``;
* ``IPRKG_STORE`` — a ready ``ReadOnlyStore`` (tests); default: loaded from the above;
* ``IPRKG_SERVED_RELEASES`` — a ``releases.ServedReleases``; default: the releases in the
  ``releases`` setting's folder (none with ``--dataset`` files, or with a ready store and
  no settings), queryable when their graphs are in the store (``open_store`` loads them).
* ``IPRKG_PROXY_HOPS`` — proxies to trust for ``X-Forwarded-*``; default: the setting
  (0 when a ready store is given without settings).

The store is loaded once, before the first request; a store that cannot be loaded
raises ``StoreError`` here, not on a request. What the app serves is kept in one
``context.AppContext``, made here before any blueprint is registered, so the blueprints
are independent of one another and of their order.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from iprkg.artefact.artefact import DatasetFile, StoreError
from iprkg.artefact.releases import ReleaseError, ServedReleases, read_releases
from iprkg.core.formats import SPARQL_JSON
from iprkg.core.settings import Settings, SettingsError
from iprkg.engine.federation import SETTING as SERVICE_SETTING
from iprkg.engine.federation import AllowlistError, ServicePolicy
from iprkg.engine.oxigraph_store import OxigraphStore
from iprkg.engine.precomputed import PrecomputedStore
from iprkg.engine.query_cache import CachingStore
from iprkg.engine.query_processes import IsolatedStore, QueryProcesses
from iprkg.engine.store import ReadOnlyStore, WrappingStore
from iprkg.web import (
    caching,
    catalog,
    compare_page,
    conneg,
    cors,
    dumps_routes,
    errors,
    feeds,
    pages,
    quality_page,
    rate_limits,
    release_routes,
    request_limits,
    resources,
    search_page,
    security_headers,
    sparql,
    templating,
    trimming,
)
from iprkg.web.context import AppContext, context_of
from iprkg.web.council_page import render_council
from iprkg.web.focus_area_page import render_focus_area
from iprkg.web.goal_page import render_goal
from iprkg.web.kept_pages import KeptPages
from iprkg.web.kept_pages import warm_up as warm_up_pages
from iprkg.web.level_page import render_level
from iprkg.web.municipality_page import render_municipality
from iprkg.web.ontology_page import render_ontology
from iprkg.web.query_page import render_example_page
from iprkg.web.response_cache import ResponseCache, response_cache_bytes
from iprkg.web.stakeholder_page import render_stakeholder
from iprkg.web.strategy_pages import render_strategy
from iprkg.web.templating import LANGUAGES
from iprkg.web.theme_page import render_theme

BLUEPRINTS = (
    sparql.blueprint,
    pages.blueprint,
    resources.blueprint,
    dumps_routes.blueprint,
    compare_page.blueprint,
    release_routes.blueprint,
    catalog.blueprint,
    search_page.blueprint,
    feeds.blueprint,
    quality_page.blueprint,
)
"""One per page family; none imports another, and their order does not matter."""
OWN_PAGES = (
    render_strategy,
    render_ontology,
    render_theme,
    render_council,
    render_municipality,
    render_level,
    render_focus_area,
    render_stakeholder,
    render_goal,
    render_example_page,
)
"""Resources with a page of their own (a strategy, the ontology, a theme of LOS or the EU
data themes, an example query: the query page with it chosen), asked in this order by
``resources``."""


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """A Flask app serving the store at /sparql, with CORS and the one error handler."""
    app = Flask(__name__)
    app.config.from_mapping(
        IPRKG_SETTINGS=None,
        IPRKG_DATASETS=(),
        IPRKG_STORE=None,
        IPRKG_SERVED_RELEASES=None,
        IPRKG_PROXY_HOPS=None,
    )
    if config is not None:
        app.config.update(config)
    context = open_context(app.config)
    context.install(app)
    settings = context.settings
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_kb * 1024
    add_middleware(app, settings)
    context.start_worker = worker_start(context.store)
    if settings.query_cache_mb:
        context.kept_pages = KeptPages(settings.page_cache_mb * 1024 * 1024)
    trimming.register(app)
    caching.register(app, context.store, settings.cache_max_age)  # first hook: runs last
    errors.register(app)
    app.after_request(conneg.add_vary_accept)
    app.after_request(cors.add_cors_headers)
    security_headers.register(app)
    templating.register(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    return app


def warm_up(app: Flask) -> None:
    """Make the pages kept for all workers (``kept_pages``) in a process of their own:
    call in the first process of ``iprkg serve``, before the workers are forked."""
    if context_of(app).kept_pages.folder is not None:
        warm_up_pages(app.test_client, compare_page.WARM_PATHS, LANGUAGES)


def open_context(config: Mapping[str, Any]) -> AppContext:
    """What the app serves, from its ``config`` (see the module)."""
    settings = config["IPRKG_SETTINGS"] or Settings.load()
    store, served = config["IPRKG_STORE"], config["IPRKG_SERVED_RELEASES"]
    datasets = config["IPRKG_DATASETS"]
    if served is None:  # a ready store alone (tests): no releases
        alone = datasets or (store is not None and config["IPRKG_SETTINGS"] is None)
        served = ServedReleases() if alone else open_releases(settings)
    if store is None:
        store = open_store(settings, datasets, served)
    elif served.releases and served.unqueryable is None:
        served = loaded_releases(store, served)
    context = AppContext.open(store, settings, served)
    context.own_pages = OWN_PAGES
    return context


def add_middleware(app: Flask, settings: Settings) -> None:
    """The answer cache, the rate limits and, behind proxies, ProxyFix, around ``app``."""
    flask_itself = app.wsgi_app
    if settings.query_cache_mb:  # inside ProxyFix: the URL it rewrites is part of the key
        app.wsgi_app = ResponseCache(  # type: ignore[method-assign]
            app.wsgi_app, response_cache_bytes(settings)
        )
    rate_limits.register(app, settings.rate_limit, settings.rate_limit_storage, flask_itself)
    request_limits.register(app, settings.max_header_bytes, flask_itself)
    hops = app.config["IPRKG_PROXY_HOPS"]
    hops = app.config["IPRKG_PROXY_HOPS"] = settings.proxy_hops if hops is None else hops
    if hops:  # trust X-Forwarded-Proto/Host/Port/Prefix from that many proxies
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops
        )


def worker_start(store: ReadOnlyStore) -> Callable[[], None]:
    """What starts a worker of ``iprkg serve`` serving ``store``: its query processes
    (``query_processes``), if its queries are evaluated here."""
    while isinstance(store, WrappingStore) and not isinstance(store, IsolatedStore):
        store = store.inner
    return store.processes.start if isinstance(store, IsolatedStore) else _nothing


def _nothing() -> None:
    pass


def open_releases(settings: Settings) -> ServedReleases:
    """The releases in the ``releases`` folder, queryable unless a back end serves the
    data: StoreError naming the release that cannot be read."""
    try:
        releases = tuple(read_releases(settings.releases))
    except ReleaseError as error:
        raise StoreError(f"cannot serve the releases in {settings.releases}: {error}") from error
    if settings.backend and releases:
        return ServedReleases(
            releases,
            unqueryable=f"this server answers queries from the back end {settings.backend}, "
            "which holds the live data only: download the release's dumps instead",
        )
    return ServedReleases(releases)


def loaded_releases(store: ReadOnlyStore, served: ServedReleases) -> ServedReleases:
    """``served``, unqueryable if a ready store lacks a release's graph."""
    for release in served.releases:
        answer = store.query(f"ASK {{ GRAPH <{release.iri}> {{ ?s ?p ?o }} }}")
        if not json.loads(answer.serialise(SPARQL_JSON))["boolean"]:  # type: ignore[arg-type]
            return replace(served, unqueryable="this server's store does not hold the releases")
    return served


def open_store(
    settings: Settings,
    datasets: Sequence[DatasetFile] = (),
    served: ServedReleases | None = None,
) -> ReadOnlyStore:
    """The ``datasets`` files if any (queries resolve against the ``base`` setting), else
    the remote endpoint of the ``backend`` setting holding the build in ``dist``
    (``remote_store``), else the built artefact in ``dist`` itself, with the ``served``
    releases (default: those of the ``releases`` setting) each in the named graph of its
    IRI; its answers kept in a cache of ``query_cache_mb`` (none if 0). StoreError if it
    cannot be loaded."""
    try:
        policy = ServicePolicy.from_setting(settings.service_allow)
    except AllowlistError as error:
        raise SettingsError(f"{SERVICE_SETTING}: {error}") from error
    store: ReadOnlyStore
    if datasets and settings.backend:
        raise SettingsError(
            f"serve either --dataset files or the back end {settings.backend} "
            "(--backend, IPRKG_BACKEND), not both"
        )
    if datasets:
        store = OxigraphStore.from_files(datasets, settings.base, policy)
    elif settings.backend:
        from iprkg.engine.remote_store import RemoteStore  # httpx: only for a back end

        timeout = settings.query_timeout or None
        store = RemoteStore.from_dist(settings.backend, settings.dist, policy, timeout)
    else:
        served = open_releases(settings) if served is None else served
        store = OxigraphStore.from_dist(settings.dist, policy, served.releases)
    answers = store.precomputed if isinstance(store, OxigraphStore) else {}
    if not settings.backend:  # a back end has its own time limit (BackendTimeout)
        processes = QueryProcesses(store, settings.query_timeout, settings.query_processes)
        store = IsolatedStore(store, processes)
    if settings.query_cache_mb and answers:  # the build's answers are a cache too
        store = PrecomputedStore(store, answers)
    if settings.query_cache_mb:
        store = CachingStore(store, settings.query_cache_mb * 1024 * 1024 // 2)
    return store
