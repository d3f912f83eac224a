"""The web application factory: ``create_app(config=None)``.

Defaults first, then the settings (environment, see ``iprkg settings``), then
``config`` from the caller (``iprkg serve``, the tests). Config keys of our own:

* ``IPRKG_SETTINGS`` — a ``Settings``; default ``Settings.load()``;
* ``IPRKG_DATASETS`` — ``DatasetFile``s to serve instead of the built ``dist``;
* ``IPRKG_STORE`` — a ready ``ReadOnlyStore`` (tests); default: loaded from the above.

The store is loaded once, before the first request; a store that cannot be loaded
raises ``StoreError`` here, not on a request.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask import Flask

from iprkg import conneg, cors, errors, sparql
from iprkg.settings import Settings
from iprkg.store import STORE_KEY, DatasetFile, OxigraphStore, ReadOnlyStore

MAX_REQUEST_BYTES = 1024 * 1024
"""Largest request body read (a query, a form): larger ones get 413."""


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """A Flask app serving the store at /sparql, with CORS and the one error handler."""
    app = Flask(__name__)
    app.config.from_mapping(
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        IPRKG_SETTINGS=None,
        IPRKG_DATASETS=(),
        IPRKG_STORE=None,
    )
    if config is not None:
        app.config.update(config)
    store = app.config["IPRKG_STORE"]
    if store is None:
        settings = app.config["IPRKG_SETTINGS"] or Settings.load()
        store = open_store(settings, app.config["IPRKG_DATASETS"])
    app.extensions[STORE_KEY] = store

    errors.register(app)
    app.after_request(conneg.add_vary_accept)
    app.after_request(cors.add_cors_headers)
    app.register_blueprint(sparql.blueprint)
    return app


def open_store(settings: Settings, datasets: Sequence[DatasetFile] = ()) -> ReadOnlyStore:
    """The ``datasets`` files if any (queries resolve against the ``base`` setting), else
    the built artefact in the settings' ``dist``. StoreError if it cannot be loaded."""
    if datasets:
        return OxigraphStore.from_files(datasets, settings.base)
    return OxigraphStore.from_dist(settings.dist)
