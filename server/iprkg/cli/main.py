"""The ``iprkg`` command: thin commands over importable functions; docstrings are the help.
Here: build, validate, serve and settings; ``cli_stores`` has publish and harvest,
``cli_releases`` release, diff and changelog, ``cli_support`` what they share.

Exit codes: 0 success, 1 SHACL violations, 2 a source that cannot be read or parsed
(or a bad setting or option), 3 dist cannot be written. Reports go to stdout, progress
and errors to stderr.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from iprkg import __version__
from iprkg.cli import releases as cli_releases
from iprkg.cli import stores as cli_stores
from iprkg.cli.support import (
    EXIT_UNREADABLE,
    catalogue_check,
    dist_option,
    fail,
    load_settings,
    print_report,
    progress,
    reported_errors,
    source_options,
)
from iprkg.core.settings import SETTINGS, SettingsError, current_values

if TYPE_CHECKING:  # the build's modules load only for build and validate
    from iprkg.build.sources import Sources
    from iprkg.core.settings import Settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="iprkg")
def cli() -> None:
    """Publish Norwegian regional councils' strategies as RDF.

    The sources are Turtle files in ontology/, data/ and shapes/ under the project root,
    and the publications harvested into harvested/. Exit codes: 0 ok, 1 SHACL violations,
    2 a source file that does not parse (or a bad option), 3 dist cannot be written;
    publish and harvest add their own, listed in their help.
    """


@cli.command()
@source_options
@click.option(
    "--report",
    is_flag=True,
    help="After a valid check, print the data-quality report: per council, what is known, "
    "what is unknown, what is uncertain and what rests only on weaker sources, each with "
    "what to add (docs/data-quality.md).",
)
@click.option(
    "--report-format",
    type=click.Choice(["text", "json"]),
    default=None,
    help="The report as readable text grouped by council, or as JSON (then the check's "
    "lines go to stderr, so that stdout is the JSON alone); implies --report [default: text].",
)
def validate(base: str | None, lang: str | None, report: bool, report_format: str | None) -> None:
    """Parse every source file and validate ontology + data against the SHACL shapes.

    Prints one line per violation (FILE: NODE PATH: MESSAGE) and a count; writes nothing.
    With --report, and only if the sources are valid, then prints the data-quality report
    of the sources (in --lang): per council, its legal form, founding date, members and
    strategies as known, what is unknown (a legal form not stated, a list not said to be
    complete, no strategy or period), what is marked uncertain, with its note, and what
    rests only on news items, third-party copies or drafts, each with what to add, names
    by label and IRI.
    """
    from iprkg.build.build import check
    from iprkg.build.validation import format_report

    settings = load_settings(base=base)
    as_json = report_format == "json"
    with reported_errors():
        checked = check(settings, lang, progress)
    sources = checked.sources
    triples = len(sources.ontology) + len(sources.data)
    summary = f"valid: {len(sources.files)} files, {triples} triples, {checked.shapes} shapes"
    if as_json:
        for line in format_report(checked.violations, checked.names):
            progress(line)
        progress(summary)
    else:
        print_report(checked.violations, checked.names)
        click.echo(summary)
    if report or report_format is not None:
        print_quality(sources, settings, lang or settings.lang, as_json)


def print_quality(sources: Sources, settings: Settings, lang: str, as_json: bool) -> None:
    """The data-quality report (``services.quality``) of the sources' dataset, with
    Norway's municipalities as the build adds them (``municipality_facts``), on stdout."""
    import json

    from iprkg.build.municipality_facts import load_municipality_facts
    from iprkg.services.labels import read_labels
    from iprkg.services.quality import as_json as report_json
    from iprkg.services.quality import as_text, read_quality, source_store

    dataset = sources.dataset()
    with reported_errors():
        facts = load_municipality_facts(settings.external, dataset, sources.base, progress)
    if facts is not None:
        dataset += facts.graph
    store = source_store(dataset, sources.base)
    labels = read_labels(store)
    quality = read_quality(store, labels)
    if as_json:
        click.echo(json.dumps(report_json(quality), ensure_ascii=False, indent=2))
        return
    click.echo("")
    for line in as_text(quality, labels, lang):
        click.echo(line)


@cli.command(name="build")
@source_options
@dist_option("Where to publish the artefact")
def build_command(base: str | None, lang: str | None, dist: str | None) -> None:
    """Validate, then publish dumps and manifest.json to dist, atomically.

    Writes iprkg.ttl, iprkg.nt, iprkg.jsonld and iprkg.rdf, each also gzipped,
    iprkg.nq (a named graph per source file), a copy of each harvested publication, and
    manifest.json. The same sources give byte-identical files. Before dist moves, the
    DCAT catalogue the build will serve is checked against DCAT-AP-NO 3.0 and 2.0 and
    DCAT-AP 3.0.1 (shapes from IPRKG_EXTERNAL; skipped, with a note, without them): a
    warning or violation fails the build (exit 1). On any error, dist is left exactly as
    it was.
    """
    from iprkg.build.build import build

    settings = load_settings(base=base, dist=dist)
    with reported_errors():
        result = build(settings, lang, progress, catalogue_check(settings))
    print_report(result.checked.violations, result.checked.names)
    click.echo(f"built {settings.relative(result.publication.build)}")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8080,
    show_default=True,
    help="TCP port; 0 picks a free one (the address is printed).",
)
@dist_option("The built artefact to serve")
@click.option(
    "--dataset",
    "datasets",
    metavar="[GRAPH_IRI=]PATH",
    multiple=True,
    help="Serve this RDF file instead of dist: into the default graph, or with GRAPH_IRI= "
    "into that named graph. Repeatable. The format is told by the extension: "
    ".ttl, .nt, .jsonld, .rdf, .trig, .nq.",
)
@click.option(
    "--workers",
    type=click.IntRange(0),
    default=None,
    help="Worker processes; 0 means one per CPU core [default: IPRKG_WORKERS, else 0].",
)
@click.option(
    "--backend",
    metavar="URL",
    default=None,
    help="Answer from this remote SPARQL endpoint holding the build in dist (its manifest "
    "and dumps are served from dist) instead of loading dist: in the named graph iprkg "
    "publish writes by default, else in its default graph [default: IPRKG_BACKEND].",
)
def serve(
    host: str,
    port: int,
    dist: str | None,
    datasets: tuple[str, ...],
    workers: int | None,
    backend: str | None,
) -> None:
    """Serve the built dist (or --dataset files), read-only, as a SPARQL 1.1 endpoint.

    Queries go to http://HOST:PORT/sparql by GET or POST; updates are refused. Runs
    under granian, with worker processes sharing one store loaded before they start,
    until interrupted; a query running past IPRKG_QUERY_TIMEOUT is stopped with 503.
    After `iprkg build`, `kill -HUP` the server's first process to serve the new build
    without dropping requests. With --backend, queries go to that SPARQL endpoint, which
    must hold the build in dist (same triple and subject counts) in the graph `iprkg
    publish --store` writes ({base}dataset, e.g. https://w3id.org/iprkg/dataset), else in
    its default graph (a named graph is sent as each query's default-graph-uri). Exits 2 if
    the data cannot be loaded (build dist first: iprkg build), the back end cannot be
    reached, or neither graph holds the build (the error says what to publish where).
    """
    # The web layer loads only here: the build commands never import Flask.
    from flask import Flask

    from iprkg.artefact.artefact import DatasetFile, StoreError
    from iprkg.web.app import create_app, open_store
    from iprkg.web.context import context_of
    from iprkg.web.wsgi import serve as serve_app

    settings = load_settings(dist=dist, workers=workers, backend=backend)
    files = [DatasetFile.parse(option) for option in datasets]

    def make() -> tuple[Flask, Callable[[], None]]:
        store = open_store(settings, files)
        progress(f"serving {store.summary}")
        app = create_app({"IPRKG_SETTINGS": settings, "IPRKG_STORE": store})
        return app, context_of(app).start_worker

    try:
        first = make()
    except (StoreError, SettingsError) as error:
        fail(str(error), EXIT_UNREADABLE)
    serve_app(
        first,
        make,
        host,
        port,
        lambda url: progress(f"listening at {url}"),
        workers=settings.workers,
        timeout=settings.query_timeout,
    )


@cli.command(name="settings")
def settings_command() -> None:
    """Show every setting: its environment variable, current value, help and default."""
    current = current_values(os.environ)
    for setting in SETTINGS:
        click.echo(f"{setting.env}={current[setting.env]}")
        click.echo(f"    {setting.help}")
        click.echo(f"    default: {setting.default or '(empty)'}")


for command in (
    cli_stores.publish_command,
    cli_stores.harvest_command,
    cli_releases.release_command,
    cli_releases.diff_command,
    cli_releases.changelog_command,
):
    cli.add_command(command)


def quiet_libraries() -> None:
    """rdflib logs tracebacks for ill-typed literals; the shapes report those readably."""
    logging.getLogger("rdflib").setLevel(logging.ERROR)


def main() -> None:
    """Console entry point."""
    quiet_libraries()
    cli(prog_name="iprkg")
