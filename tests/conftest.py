"""Shared fixtures. The artefact is built once per session; everything else is cheap.

Fixtures for any test module:

* ``project_root`` — the repository root (holds pyproject.toml, ontology/, data/, shapes/).
* ``built_dist`` — the real sources built once into a temporary ``dist`` (session).
* ``dataset`` — the built dataset as an rdflib Graph, read from ``iprkg.nt`` (session;
  shared, so do not change it — copy it first).
* ``external_dir`` — the IPRKG_EXTERNAL folder (default ../shared/external), or a skip
  saying how to get it. Tests that use it are marked ``external`` automatically.
* ``make_project`` — a factory copying the real ontology/, data/, shapes/ into tmp_path,
  so a test can break the copy.
* ``tiny_project`` — a self-contained project (a few ontology triples with a blank node,
  one council, one shape) that does not depend on the real sources.
* ``run_iprkg`` — runs the installed ``iprkg`` command in a subprocess on a project.
* ``store`` — the built dataset as the server's read-only store (session).
* ``app``, ``client`` — the web app serving ``store``, and a Flask test client for it.
* ``live_server`` — a real ``iprkg serve --port 0`` on ``built_dist``, started once per
  session for tests that speak HTTP (real clients); its base URL, ``http://127.0.0.1:PORT``.

Plain helpers and constants are not here but in ``tests/support``: ``support.project``
(the project root, the default base, the tiny project, settings, the command's
environment), ``support.protocol`` (the protocol's media types, ``sparql_get``,
``parse_rdf``), ``support.live`` (running servers), ``support.processes`` (skip here, fail
under CI; stopping a process), ``support.golden`` (the golden answers).

Builds here use the default settings, whatever IPRKG_* variables the developer has set.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph

from iprkg.build.build import ValidationFailed, build
from iprkg.build.sources import KINDS, SourceError
from iprkg.build.validation import format_report
from iprkg.core.formats import N_TRIPLES
from iprkg.core.settings import Settings
from iprkg.engine.oxigraph_store import OxigraphStore
from iprkg.web.app import create_app
from support.live import serving
from support.project import (
    PROJECT_ROOT,
    MakeProject,
    RunIprkg,
    iprkg_environment,
    project_settings,
    write_tiny_project,
)


@pytest.fixture(scope="session")
def project_root() -> Path:
    """The repository root."""
    return PROJECT_ROOT


@pytest.fixture(scope="session")
def built_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real sources built once per session; returns the ``dist`` path (a symlink).

    Holds iprkg.ttl, iprkg.nt, iprkg.jsonld, iprkg.rdf (each also .gz) and manifest.json.
    Fails every test using it, with the build's own report, if the sources do not build.
    """
    dist = tmp_path_factory.mktemp("built") / "dist"
    settings = project_settings(PROJECT_ROOT, dist=dist)
    try:
        build(settings)
    except ValidationFailed as failure:
        report = "\n".join(format_report(failure.violations, failure.names))
        pytest.fail(f"the project's sources do not validate:\n{report}", pytrace=False)
    except SourceError as error:
        pytest.fail(f"the project's sources do not load: {error}", pytrace=False)
    return dist


@pytest.fixture(scope="session")
def dataset(built_dist: Path) -> Graph:
    """The built dataset (ontology + data), parsed from dist/iprkg.nt. Do not change it."""
    graph = Graph()
    graph.parse(built_dist / f"iprkg.{N_TRIPLES.extension}", format=N_TRIPLES.rdflib_format)
    return graph


@pytest.fixture(scope="session")
def store(built_dist: Path) -> OxigraphStore:
    """The built artefact loaded as the server's read-only store."""
    return OxigraphStore.from_dist(built_dist)


@pytest.fixture
def app(store: OxigraphStore) -> Flask:
    """The web app serving ``store``, in testing mode."""
    return create_app({"TESTING": True, "IPRKG_STORE": store})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client for ``app``."""
    return app.test_client()


@pytest.fixture(scope="session")
def external_dir() -> Path:
    """The external reference data folder (IPRKG_EXTERNAL), or skip where it is absent."""
    folder = Settings.load(root=PROJECT_ROOT).external
    if not folder.is_dir():
        pytest.skip(
            f"../shared/external not found (looked in {folder}); set IPRKG_EXTERNAL to the "
            "folder holding w3c-rdf-tests/, dcat-ap-3.0.1/, un-sdg-kos/, los/ ..."
        )
    return folder


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses ``external_dir`` as ``external``."""
    for item in items:
        if "external_dir" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.external)


@pytest.fixture
def make_project(tmp_path: Path) -> MakeProject:
    """Factory: ``make_project(name="project")`` copies the real ontology/, data/ and
    shapes/ (those that exist) into ``tmp_path / name`` and returns that folder.

    Build or validate the copy with ``Settings.load(environ={}, root=folder)`` or
    ``run_iprkg(..., root=folder)``.
    """

    def make(name: str = "project") -> Path:
        root = tmp_path / name
        root.mkdir()
        for kind in KINDS:
            if (PROJECT_ROOT / kind).is_dir():
                shutil.copytree(PROJECT_ROOT / kind, root / kind)
        return root

    return make


@pytest.fixture
def tiny_project(tmp_path: Path) -> Path:
    """A self-contained project in ``tmp_path / "tiny"``: see ``write_tiny_project``."""
    return write_tiny_project(tmp_path / "tiny")


@pytest.fixture
def run_iprkg() -> RunIprkg:
    """``run_iprkg(*args, root=path, env={...})``: run the ``iprkg`` console script.

    Runs in ``root`` with IPRKG_ROOT=root and no other IPRKG_* setting except those in
    ``env``; returns the CompletedProcess (text, stdout and stderr captured).
    """

    def run(
        *args: str, root: Path, env: Mapping[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        script = Path(sys.executable).parent / "iprkg"
        command = [str(script)] if script.exists() else [sys.executable, "-m", "iprkg"]
        return subprocess.run(
            [*command, *args],
            cwd=root,
            env=iprkg_environment(root, env),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    return run


SERVER_STARTUP_SECONDS = 60


@pytest.fixture(scope="session")
def live_server(built_dist: Path) -> Iterator[str]:
    """``iprkg serve --host 127.0.0.1 --port 0`` on the built artefact; yields its base URL.

    The endpoint is ``f"{live_server}/sparql"``; see ``live.serving``.
    """
    with serving(["--dist", str(built_dist)]) as endpoint:
        yield endpoint.removesuffix("/sparql")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright, once per module (support/browser.py
    says where it looks and when a missing one skips or fails)."""
    from support.browser import CHROMIUM_FLAGS, chromium_path, missing

    executable = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the playwright Python package is not installed")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_FLAGS
        )
        try:
            yield launched
        finally:
            launched.close()
