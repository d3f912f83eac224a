"""``iprkg publish`` and ``iprkg harvest``: the data beyond this machine, out to a triple
store and in from other publications."""

from __future__ import annotations

import os

import click

from iprkg.cli.support import (
    EXIT_UNREADABLE,
    dist_option,
    fail,
    load_settings,
    print_report,
    progress,
    reported_errors,
)
from iprkg.core.settings import LANGUAGES, Settings


@click.command(name="publish")
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
    "e.g. https://w3id.org/iprkg/dataset, the graph iprkg serve --backend reads].",
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
@dist_option("The built artefact to publish")
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
    from iprkg.remote.graph_store import Artefact, default_graph_iri, publish
    from iprkg.remote.graph_store_http import Client, Credentials, GraphStoreError, Target

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
    settings = load_settings(dist=dist)
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
    rewritten = note_rewritten(verified.rewritten)
    note_parts(verified.parts)
    where = f"{settings.relative(settings.dist)} to {target.label} at {target.store}"
    click.echo(
        f"published {where}: verified {verified.triples} triples, "
        f"{artefact.content_hash}{rewritten}"
    )


def publish_sources(
    settings: Settings, store_url: str, query_endpoint: str | None, exact: bool, timeout: float
) -> None:
    """``publish --graph-per-source``: every graph of iprkg.nq, each verified."""
    from iprkg.remote.graph_store import SourceGraphs, publish_per_source, source_targets
    from iprkg.remote.graph_store_http import Client, Credentials, GraphStoreError

    try:
        graphs = SourceGraphs.read(settings.dist)
        targets = source_targets(graphs, store_url, query_endpoint)
        client = Client(Credentials.from_environ(os.environ), timeout)
        verified = publish_per_source(graphs, targets, client, progress, exact=exact)
    except GraphStoreError as error:
        fail(str(error), error.exit_code)
    rewritten = note_rewritten(verified.rewritten)
    where = f"{settings.relative(settings.dist)} to {len(verified.graphs)} graphs at {store_url}"
    click.echo(
        f"published {where}, one per source file: verified {verified.triples} triples{rewritten}"
    )


def note_parts(parts: int) -> None:
    """Say on stderr that the graph was read back in parts (the store caps answers)."""
    if parts > 1:
        progress(
            f"note: the query endpoint caps its answers below the graph's size; the graph "
            f"was read back in {parts} parts by subject (Virtuoso: ResultSetMaxRows)"
        )


def note_rewritten(rewritten: tuple[str, ...]) -> str:
    """Say on stderr that the store rewrote literals, with an example; return the words
    the summary line adds ("" if none)."""
    if not rewritten:
        return ""
    progress(
        f"note: the store rewrote {len(rewritten)} literal(s) to the same value "
        f"in a wider type, e.g. {rewritten[0]}"
    )
    return f", {len(rewritten)} literal(s) rewritten"


@click.command(name="harvest")
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
    from iprkg.build.build import build
    from iprkg.build.harvested import Rejected, kept, records, removed
    from iprkg.remote.harvest import fetch_publication, http_fetcher

    settings = load_settings()
    folder = settings.harvested
    if list_only:
        try:
            kept_records = records(folder)
        except Rejected as error:
            fail(str(error), error.exit_code)
        for _, record in kept_records:
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
