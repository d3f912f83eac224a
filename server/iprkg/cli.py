"""The ``iprkg`` command: thin commands over importable functions; docstrings are the help.

Exit codes: 0 success, 1 SHACL violations, 2 a source that cannot be read or parsed
(or a bad setting or option), 3 dist cannot be written. Reports go to stdout, progress
and errors to stderr.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from iprkg import __version__
from iprkg.settings import LANGUAGES, SETTINGS, Settings, SettingsError, current_values

if TYPE_CHECKING:  # the build's modules load only for build and validate: serve starts faster
    from iprkg.validation import NodeNames, Violation

EXIT_VIOLATIONS = 1
EXIT_UNREADABLE = 2
EXIT_UNWRITABLE = 3

Command = TypeVar("Command", bound=Callable[..., Any])


def source_options(command: Command) -> Command:
    """Options shared by the commands that read the sources."""
    command = click.option(
        "--lang",
        type=click.Choice(LANGUAGES),
        default=None,
        help="Language of validation messages [default: IPRKG_LANG, else en].",
    )(command)
    return click.option(
        "--base",
        metavar="IRI",
        default=None,
        help="Base IRI that relative IRIs in the sources resolve against "
        "[default: IPRKG_BASE, else https://w3id.org/iprkg/].",
    )(command)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="iprkg")
def cli() -> None:
    """Publish Norwegian regional councils' strategies as RDF.

    The sources are Turtle files in ontology/, data/ and shapes/ under the project root.
    Exit codes: 0 ok, 1 SHACL violations, 2 a source file that does not parse,
    3 dist cannot be written.
    """


@cli.command()
@source_options
def validate(base: str | None, lang: str | None) -> None:
    """Parse every source file and validate ontology + data against the SHACL shapes.

    Prints one line per violation (FILE: NODE PATH: MESSAGE) and a count; writes nothing.
    """
    from iprkg.build import check

    settings = load_settings(base=base)
    with reported_errors():
        checked = check(settings, lang, progress)
    print_report(checked.violations, checked.names)
    sources = checked.sources
    triples = len(sources.ontology) + len(sources.data)
    click.echo(f"valid: {len(sources.files)} files, {triples} triples, {checked.shapes} shapes")


@cli.command(name="build")
@source_options
@click.option(
    "--dist",
    metavar="PATH",
    default=None,
    help="Where to publish the artefact [default: IPRKG_DIST, else dist].",
)
def build_command(base: str | None, lang: str | None, dist: str | None) -> None:
    """Validate, then publish dumps and manifest.json to dist, atomically.

    Writes iprkg.ttl, iprkg.nt, iprkg.jsonld and iprkg.rdf, each also gzipped, and
    manifest.json. The same sources give byte-identical files. On any error, dist is
    left exactly as it was.
    """
    from iprkg.build import build

    # A path given on the command line is relative to the current folder, not the root.
    settings = load_settings(base=base, dist=None if dist is None else os.path.abspath(dist))
    with reported_errors():
        result = build(settings, lang, progress)
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
@click.option(
    "--dist",
    metavar="PATH",
    default=None,
    help="The built artefact to serve [default: IPRKG_DIST, else dist].",
)
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
    help="Worker processes; 0 means one per CPU core, at least two [default: IPRKG_WORKERS, "
    "else 0].",
)
@click.option(
    "--backend",
    metavar="URL",
    default=None,
    help="Answer from this remote SPARQL endpoint holding the build in dist (its manifest "
    "and dumps are served from dist) instead of loading dist [default: IPRKG_BACKEND].",
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
    under gunicorn, with worker processes sharing one store loaded before they start,
    until interrupted; a request running past IPRKG_QUERY_TIMEOUT is stopped with 503.
    After `iprkg build`, `kill -HUP` the server's first process to serve the new build
    without dropping requests. With --backend, queries go to that SPARQL endpoint, which
    must hold the build in dist (same triple and subject counts). Exits 2 if the data
    cannot be loaded (build dist first: iprkg build) or the back end cannot be reached.
    """
    # The web layer loads only here: the build commands never import Flask.
    from flask import Flask

    from iprkg.app import create_app, open_store
    from iprkg.artefact import DatasetFile, StoreError
    from iprkg.watchdog import WATCHDOG_KEY
    from iprkg.wsgi import serve as serve_app

    settings = load_settings(
        dist=None if dist is None else os.path.abspath(dist), workers=workers, backend=backend
    )
    files = [DatasetFile.parse(option) for option in datasets]

    def make() -> tuple[Flask, Callable[[], None]]:
        store = open_store(settings, files)
        progress(f"serving {store.summary}")
        app = create_app({"IPRKG_SETTINGS": settings, "IPRKG_STORE": store})
        return app, app.extensions[WATCHDOG_KEY]

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
        max_header_bytes=settings.max_header_bytes,
    )


@cli.command(name="publish")
@click.option(
    "--store",
    "store_url",
    metavar="URL",
    required=True,
    help="The store's SPARQL 1.1 Graph Store Protocol endpoint: Oxigraph "
    "http://HOST:7878/store, Fuseki http://HOST:3030/DATASET/data, Virtuoso "
    "http://HOST:8890/sparql-graph-crud.",
)
@click.option(
    "--graph",
    metavar="IRI",
    default=None,
    help="The named graph to replace [default: the manifest's base + 'dataset', "
    "e.g. https://w3id.org/iprkg/dataset].",
)
@click.option(
    "--default-graph",
    is_flag=True,
    help="Replace the store's default graph instead of a named graph.",
)
@click.option(
    "--graph-per-source",
    is_flag=True,
    help="Replace a named graph per source file instead, each {base}graph/{source path} "
    "(e.g. https://w3id.org/iprkg/graph/data/councils/grenland.ttl), from iprkg.nq; "
    "each is verified against its own count and hash (not with --graph or --default-graph).",
)
@click.option(
    "--query-endpoint",
    metavar="URL",
    default=None,
    help="The SPARQL query endpoint that verifies the upload [default: --store with its "
    "last path segment replaced by 'query', as Oxigraph and Fuseki have it; Fuseki's "
    "is also /DATASET/sparql, Virtuoso's /sparql].",
)
@click.option(
    "--dist",
    metavar="PATH",
    default=None,
    help="The built artefact to publish [default: IPRKG_DIST, else dist].",
)
@click.option(
    "--exact",
    is_flag=True,
    help="Fail also when the store rewrote literals to the same value in a wider XSD type "
    "(Oxigraph stores xsd:nonNegativeInteger as xsd:integer, Virtuoso decimals in canonical "
    "form); by default "
    "that passes, and the rewritten literals are reported.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help="Seconds to wait for the store at each step of each request.",
)
def publish_command(
    store_url: str,
    graph: str | None,
    default_graph: bool,
    graph_per_source: bool,
    query_endpoint: str | None,
    dist: str | None,
    exact: bool,
    timeout: float,
) -> None:
    """Upload the built dist to a triple store, replacing one graph (or a graph per
    source file), and verify it.

    PUTs iprkg.nt to the SPARQL 1.1 Graph Store HTTP Protocol endpoint (--store
    URL?graph=IRI, or ?default), which replaces the graph, never appends; progress goes
    to stderr. Then verifies through the query endpoint: the store must count the
    manifest's number of triples in the graph, and the graph read back must have the
    manifest's content hash (literals the store rewrote to the same value in a wider XSD
    type pass unless --exact, and are reported). A graph that fails, or cannot get, that
    check is deleted, so that nothing half-written looks complete.

    With --graph-per-source it PUTs each named graph of iprkg.nq instead (one per
    ontology and data file, e.g. https://w3id.org/iprkg/graph/ontology/iprkg.ttl) and
    verifies each against its own count and hash in the manifest. If any graph fails,
    every graph this run had written is deleted too, and the message names any that
    could not be.

    Credentials come from the environment and are never printed: IPRKG_STORE_USER and
    IPRKG_STORE_PASSWORD (HTTP Basic) or IPRKG_STORE_TOKEN (Bearer).

    Exit codes: 0 published and verified; 2 dist missing or not matching its manifest, or
    a bad option, URL or credential variable (nothing sent); 3 uploaded but not verified
    (the graph is deleted); 4 store unreachable, or the connection broke off; 5 the store
    refused or failed the upload; 6 the store wants credentials or refused them. With
    --graph-per-source, the code is that of the graph that failed.
    """
    from iprkg.graph_store import Artefact, default_graph_iri, publish
    from iprkg.graph_store_http import Client, Credentials, GraphStoreError, Target

    if graph is not None and default_graph:
        fail("give --graph IRI or --default-graph, not both", EXIT_UNREADABLE)
    if graph_per_source and (graph is not None or default_graph):
        given = "--graph" if graph is not None else "--default-graph"
        fail(
            f"give --graph-per-source or {given}, not both: choose --graph-per-source for a "
            "named graph per source file, or --graph IRI / --default-graph for the whole "
            "dataset in one graph",
            EXIT_UNREADABLE,
        )
    settings = load_settings(dist=None if dist is None else os.path.abspath(dist))
    if graph_per_source:
        publish_sources(settings, store_url, query_endpoint, exact, timeout)
        return
    try:
        artefact = Artefact.read(settings.dist)
        if not default_graph and graph is None:
            graph = default_graph_iri(artefact.base)
        target = Target.make(store_url, graph, query_endpoint)
        client = Client(Credentials.from_environ(os.environ), timeout)
        verified = publish(artefact, target, client, progress, exact=exact)
    except GraphStoreError as error:
        fail(str(error), error.exit_code)
    note_rewritten(verified.rewritten)
    where = f"{settings.relative(settings.dist)} to {target.label} at {target.store}"
    rewritten = f", {len(verified.rewritten)} literal(s) rewritten" if verified.rewritten else ""
    click.echo(
        f"published {where}: verified {verified.triples} triples, "
        f"{artefact.content_hash}{rewritten}"
    )


def publish_sources(
    settings: Settings, store_url: str, query_endpoint: str | None, exact: bool, timeout: float
) -> None:
    """``publish --graph-per-source``: every graph of iprkg.nq, each verified."""
    from iprkg.graph_store import SourceGraphs, publish_per_source, source_targets
    from iprkg.graph_store_http import Client, Credentials, GraphStoreError

    try:
        graphs = SourceGraphs.read(settings.dist)
        targets = source_targets(graphs, store_url, query_endpoint)
        client = Client(Credentials.from_environ(os.environ), timeout)
        verified = publish_per_source(graphs, targets, client, progress, exact=exact)
    except GraphStoreError as error:
        fail(str(error), error.exit_code)
    note_rewritten(verified.rewritten)
    where = f"{settings.relative(settings.dist)} to {len(verified.graphs)} graphs at {store_url}"
    rewritten = f", {len(verified.rewritten)} literal(s) rewritten" if verified.rewritten else ""
    click.echo(
        f"published {where}, one per source file: verified {verified.triples} triples{rewritten}"
    )


def note_rewritten(rewritten: tuple[str, ...]) -> None:
    if rewritten:
        progress(
            f"note: the store rewrote {len(rewritten)} literal(s) to the same value "
            f"in a wider type, e.g. {rewritten[0]}"
        )


@cli.command(name="harvest")
@click.argument("url", required=False)
@click.option(
    "--dataset",
    metavar="IRI",
    default=None,
    help="The dataset to take when the description offers dumps of several.",
)
@click.option(
    "--max-mb",
    type=click.IntRange(min=1),
    default=256,
    show_default=True,
    help="Largest dump to accept, downloaded and unpacked.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help="Seconds to wait for the publication at each step of each request.",
)
@click.option("--list", "list_only", is_flag=True, help="List the harvested graphs and stop.")
@click.option(
    "--remove",
    metavar="GRAPH",
    default=None,
    help="Remove the harvested graph GRAPH (its IRI, as --list shows it) and build.",
)
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=None,
    help="Language of validation messages [default: IPRKG_LANG, else en].",
)
def harvest_command(
    url: str | None,
    dataset: str | None,
    max_mb: int,
    timeout: float,
    list_only: bool,
    remove: str | None,
    lang: str | None,
) -> None:
    """Take in another publication, so that comparisons span it and ours; then build.

    URL is the publication's VoID or DCAT description, or any page of it: when URL does
    not answer RDF that offers a dump, URL's origin's /.well-known/void is read. The
    best dump is downloaded (N-Triples first; gzip is unpacked), validated with our own
    sources against our shapes, kept in the harvested folder (IPRKG_HARVESTED) and built
    into dist, where the server serves it as a named graph (named by the dump's URL) and
    in the default graph, after a reload (kill -HUP). Harvesting the same dump again
    replaces its graph. If anything fails, the harvested folder and dist stay as they were.

    Exit codes: 0 harvested (or removed) and built; 1 rejected: the dump with our data
    violates our shapes (the report is printed); 2 a bad option or URL, or our own
    sources do not build; 3 dist cannot be written; 4 the publication cannot be reached;
    5 rejected: no description offering a dump, or a dump too large, unreadable or empty.
    """
    from iprkg.build import build
    from iprkg.harvest import Rejected, fetch_publication, http_fetcher, kept, records, removed

    settings = load_settings()
    folder = settings.harvested
    if list_only:
        for _, record in records(folder):
            click.echo(
                f"{record.graph}\t{record.triples} triples\t{record.harvested}\t{record.title}"
            )
        return
    if (url is None) == (remove is None):
        fail("give the URL of a publication to harvest, or --remove GRAPH", EXIT_UNREADABLE)
    try:
        if remove is not None:
            change = removed(folder, remove)
            what = f"removed {remove}"
        else:
            assert url is not None
            progress(f"reading the publication at {url}…")
            record, content = fetch_publication(
                url, http_fetcher(timeout), max_mb * 1024 * 1024, dataset, progress
            )
            change = kept(folder, record, content)
            what = f"harvested {record.graph}: {record.triples} triples of {record.title}"
        unchanged = "listed above; rejected: the harvested folder and dist are unchanged"
        with reported_errors(unchanged), change:
            result = build(settings, lang, progress)
    except Rejected as error:  # the publication's doing (5), else the user's or the net's
        fail(f"rejected: {error}" if error.exit_code == 5 else str(error), error.exit_code)
    print_report(result.checked.violations, result.checked.names)
    click.echo(f"{what}; built {settings.relative(result.publication.build)}")


@cli.command(name="release")
@click.argument("version")
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=None,
    help="Language of validation messages [default: IPRKG_LANG, else en].",
)
def release_command(version: str, lang: str | None) -> None:
    """Freeze the current data as release VERSION (e.g. 2026-1), never changed afterwards.

    Builds dist (validating, as iprkg build does), then writes the release folder
    VERSION in the releases folder (IPRKG_RELEASES, else releases/): the dumps, their
    .gz, iprkg.nq and manifest.json of the build, validation-report.ttl, the changes
    since the previous release (changes.json, changes.en.md, changes.nb.md, added.nt,
    removed.nt; none for the first release) and release.json with every file's SHA-256.
    Its IRI is BASE/release/VERSION/. The folder appears whole or not at all, read-only.
    Then rewrites docs/CHANGELOG-data.md if the project has a docs folder.

    Prints "released VERSION: IRI (N triples, HASH), previous: VERSION|none".

    Exit codes: 0 released; 1 SHACL violations (the report is printed; nothing is
    released); 2 VERSION cannot name a release or exists already (it is left untouched),
    a source that does not parse, or a release that cannot be read; 3 dist or the
    release cannot be written (or, after releasing, the changelog).
    """
    from iprkg.release_writer import make_release, write_changelog
    from iprkg.releases import ReleaseError

    settings = load_settings()
    try:
        with reported_errors("nothing was released"):
            release = make_release(settings, version, lang, progress)
        click.echo(
            f"released {release.version}: {release.iri} ({release.triples} triples, "
            f"{release.content_hash}), previous: {release.previous or 'none'}"
        )
        if (settings.root / "docs").is_dir():
            progress(f"wrote {settings.relative(write_changelog(settings))}")
    except ReleaseError as error:
        fail(str(error), error.exit_code)


@cli.command(name="diff")
@click.argument("old")
@click.argument("new")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["markdown", "json", "patch"]),
    default="markdown",
    show_default=True,
    help="markdown: the changes in people's terms; json: the same as JSON; patch: every "
    "removed triple with '- ', every added one with '+ ', as N-Triples.",
)
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=None,
    help="Language of the labels and headings [default: IPRKG_LANG, else en].",
)
@click.option(
    "--output",
    metavar="DIR",
    default=None,
    help="Also write added.nt, removed.nt and changes.json into DIR (made if needed).",
)
def diff_command(
    old: str, new: str, output_format: str, lang: str | None, output: str | None
) -> None:
    """Show what changed from OLD to NEW: councils, members, focus areas, goals ... and triples.

    OLD and NEW are release versions (e.g. 2026-1 2026-2), or paths: a path that exists
    is read as a path, a folder (dist, a release) through its iprkg.nt, else a
    file of N-Triples. Blank nodes are compared after canonical labelling.

    Exit codes: 0 compared (whether or not anything changed); 2 no such release (the
    existing ones are listed) or a file that cannot be read; 3 DIR cannot be written.
    """
    import json
    from pathlib import Path

    from iprkg.release_writer import changes_between, changes_json, compared, write_changes
    from iprkg.releases import ReleaseError

    settings = load_settings()
    lang = lang or settings.lang
    try:
        before, after = compared(settings, old), compared(settings, new)
        changes = changes_between(settings, before, after)
        if output is not None:
            for path in write_changes(Path(output), changes, old, new):
                progress(f"wrote {path}")
    except ReleaseError as error:
        fail(str(error), error.exit_code)
    if output_format == "json":
        click.echo(json.dumps(changes_json(changes, old, new, lang), indent=2, ensure_ascii=False))
    elif output_format == "patch":
        click.echo(changes.patch(), nl=False)
    else:
        click.echo(f"## {old} → {new}\n\n{changes.as_markdown(lang)}", nl=False)


@cli.command(name="changelog")
def changelog_command() -> None:
    """Rewrite docs/CHANGELOG-data.md from the releases' change files, newest first.

    Prints where it wrote. Exit codes: 0 written; 2 a release cannot be read;
    3 the file cannot be written.
    """
    from iprkg.release_writer import write_changelog
    from iprkg.releases import ReleaseError

    settings = load_settings()
    try:
        path = write_changelog(settings)
    except ReleaseError as error:
        fail(str(error), error.exit_code)
    click.echo(f"wrote {settings.relative(path)}")


@cli.command(name="settings")
def settings_command() -> None:
    """Show every setting: its environment variable, current value, help and default."""
    current = current_values(os.environ)
    for setting in SETTINGS:
        click.echo(f"{setting.env}={current[setting.env]}")
        click.echo(f"    {setting.help}")
        click.echo(f"    default: {setting.default or '(empty)'}")


def progress(message: str) -> None:
    click.echo(message, err=True)


def load_settings(**overrides: str | int | None) -> Settings:
    try:
        given = {name: None if value is None else str(value) for name, value in overrides.items()}
        return Settings.load(None, None, **given)
    except SettingsError as error:
        fail(str(error), EXIT_UNREADABLE)


@contextmanager
def reported_errors(violations_mean: str = "") -> Iterator[None]:
    """Turn the build's typed errors into a readable report and an exit code; after a
    report of violations, say ``violations_mean`` (if given) as the error."""
    from iprkg.build import ValidationFailed
    from iprkg.publish import PublishError
    from iprkg.sources import SourceError

    try:
        yield
    except ValidationFailed as failure:
        print_report(failure.violations, failure.names)
        if violations_mean:
            fail(f"{failure}: {violations_mean}", EXIT_VIOLATIONS)
        sys.exit(EXIT_VIOLATIONS)
    except (SourceError, SettingsError) as error:
        fail(str(error), EXIT_UNREADABLE)
    except (PublishError, OSError) as error:
        fail(f"cannot publish: {error}", EXIT_UNWRITABLE)


def print_report(violations: list[Violation], names: NodeNames) -> None:
    from iprkg.validation import format_report

    for line in format_report(violations, names):
        click.echo(line)


def fail(message: str, code: int) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def quiet_libraries() -> None:
    """rdflib logs tracebacks for ill-typed literals; the shapes report those readably."""
    logging.getLogger("rdflib").setLevel(logging.ERROR)


def main() -> None:
    """Console entry point."""
    quiet_libraries()
    cli(prog_name="iprkg")
