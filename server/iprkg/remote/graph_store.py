"""Publishing the built dataset to a triple store, by the SPARQL 1.1 Graph Store Protocol.

``publish`` replaces one graph of the store with the artefact's N-Triples dump (``PUT
{store}?graph={iri}``, or ``?default``: the protocol's PUT replaces, never appends), then
verifies it through the store's SPARQL query endpoint (``graph_store_verification``:
the store's count and the content hash of the graph read back must be the manifest's).

``publish_per_source`` does the same for each graph of ``iprkg.nq``, the build's N-Quads
dump with a named graph per source file, each verified against its own count and content
hash in the manifest's ``graphs``. The graphs go one after the other; a store cannot take
them in one transaction by this protocol, so a failure deletes every graph this run had
already written (best effort), rather than leave a mix of two builds looking complete.

Nothing half-written is left looking complete: when the upload broke off, the store
failed it (5xx), or the verification failed or could not run, the graph is deleted
(best effort; the message says whether that worked). A request the store refused (4xx)
was not carried out, as the protocol says, and the graph is left as it was.

HTTP, credentials and the errors (each with its exit status) are in ``graph_store_http``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph
from rdflib import Graph

from iprkg.artefact.manifest import MANIFEST_NAME, read_manifest, sha256
from iprkg.build.dumps import DUMP_STEM
from iprkg.core.formats import N_QUADS, N_TRIPLES
from iprkg.engine.remote_graph import published_graph
from iprkg.remote.graph_store_http import (
    AccessRefused,
    BadInput,
    Client,
    GraphStoreError,
    StoreUnreachable,
    Target,
    UploadBroken,
    UploadRefused,
    VerificationFailed,
    access_refused,
    is_loopback,
)
from iprkg.remote.graph_store_verification import Verified, verify

PROGRESS_FROM_BYTES = 1024 * 1024
"""Uploads this large or larger report their progress, in steps of a tenth."""

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Artefact:
    """The built dataset to publish: its N-Triples dump, checked against the manifest."""

    folder: Path
    n_triples: bytes = field(repr=False)
    triples: int
    content_hash: str
    base: str

    @classmethod
    def read(cls, dist: Path) -> Artefact:
        """The build ``dist`` points at now (a later build swapped in does not matter)."""
        folder = dist.resolve()
        if not (folder / MANIFEST_NAME).is_file():
            raise BadInput(f"no built dataset in {dist} (no {MANIFEST_NAME}); run iprkg build")
        dump = f"{DUMP_STEM}.{N_TRIPLES.extension}"
        try:
            manifest = read_manifest(folder)
            content = (folder / dump).read_bytes()
            triples, content_hash = int(manifest["triples"]), str(manifest["content_hash"])
            base = str(manifest["base"])
        except KeyError as error:
            raise BadInput(f"{dist}/{MANIFEST_NAME} has no {error}; rebuild it") from error
        except (OSError, ValueError, TypeError) as error:
            raise BadInput(f"cannot read the built dataset in {dist}: {error}") from error
        if f"sha256:{sha256(content)}" != content_hash:
            raise BadInput(f"{dist}: {dump} does not match {MANIFEST_NAME}; rebuild it")
        return cls(folder, content, triples, content_hash, base)

    def graph(self) -> Graph:
        return Graph().parse(data=self.n_triples, format=N_TRIPLES.rdflib_format)


def default_graph_iri(base: str) -> str:
    """The graph is ``{base}dataset`` unless ``--graph`` names another: the graph
    ``iprkg serve --backend`` looks in first (one definition for both)."""
    return published_graph(base)


class Meter:
    """Reports an upload's progress in steps of a tenth, for bodies of ``least`` bytes
    or more."""

    def __init__(self, total: int, progress: Progress, least: int) -> None:
        self.total = total
        self.progress = progress
        self.shown = 0 if total >= least and total > 0 else 10

    def __call__(self, sent: int) -> None:
        step = sent * 10 // self.total if self.total else 10
        if step > self.shown:
            self.shown = step
            megabytes = f"{sent / 1e6:.1f} MB of {self.total / 1e6:.1f} MB"
            self.progress(f"uploaded {megabytes} ({sent * 100 // self.total} %)")


def publish(
    artefact: Artefact,
    target: Target,
    client: Client,
    progress: Progress,
    progress_from: int = PROGRESS_FROM_BYTES,
    exact: bool = False,
) -> Verified:
    """Replace the graph in the store with the artefact, then verify it (see the module);
    ``exact``: rewritten literals fail the verification too."""
    warn_if_plain(target, client, progress)
    return replace(artefact, target, client, progress, progress_from, exact)


def warn_if_plain(target: Target, client: Client, progress: Progress) -> None:
    plain = not target.store.startswith("https:") and not is_loopback(target.store)
    if client.credentials.authorization and plain:
        progress("warning: sending credentials over plain http; use https")


def replace(
    artefact: Artefact,
    target: Target,
    client: Client,
    progress: Progress,
    progress_from: int,
    exact: bool,
    steps: bool = True,
) -> Verified:
    """``publish`` without the warning about plain http; ``steps``: report each step,
    not only the upload's progress."""
    size = len(artefact.n_triples)
    if steps:
        progress(f"replacing {target.label} at {target.store} with {artefact.triples} triples")
        progress(f"uploading {size} bytes of N-Triples…")
    try:
        answer = client.exchange(
            "PUT",
            target.graph_url,
            {"Content-Type": N_TRIPLES.media_type},
            artefact.n_triples,
            sent=Meter(size, progress, progress_from),
        )
    except UploadBroken as error:
        raise UploadBroken(f"{error}; {discard(client, target)}") from error
    except StoreUnreachable as error:
        raise StoreUnreachable(f"{error}; nothing was sent") from error
    if answer.status in (401, 403):
        raise AccessRefused(access_refused(answer, client.credentials, "the upload"))
    if answer.status >= 500:
        failed = f"the store failed the upload: {answer.summary()}"
        raise UploadRefused(f"{failed}; {discard(client, target)}")
    if not answer.ok:
        refused = f"the store refused the upload: {answer.summary()}"
        raise UploadRefused(f"{refused}; {target.label} was left as it was")
    if steps:
        progress(f"verifying through {target.query_endpoint}…")
    try:
        return verify(artefact, target, client, exact)
    except VerificationFailed as error:
        unusable = f"{target.label} in the store is incomplete or wrong and must not be used"
        raise VerificationFailed(f"{error}; {unusable}; {discard(client, target)}") from error
    except GraphStoreError as error:
        unverified = f"{target.label} is not verified and must not be used"
        raise VerificationFailed(
            f"cannot verify the upload: {error}; {unverified}; {discard(client, target)}"
        ) from error


def discard(client: Client, target: Target) -> str:
    """Delete the graph, best effort, and say what became of it."""
    deleted = client_delete(client, target)
    if deleted is None:
        return f"deleted {target.label}, so that nothing half-written looks complete"
    return f"could not delete {target.label} ({deleted}): do not use it, it may be incomplete"


def client_delete(client: Client, target: Target) -> str | None:
    """None when the graph is gone (deleted, or absent already); else why not."""
    try:
        answer = client.exchange("DELETE", target.graph_url)
    except GraphStoreError as error:
        return str(error)
    return None if answer.ok or answer.status == 404 else answer.summary()


@dataclass(frozen=True)
class SourceGraph:
    """One graph of ``iprkg.nq``: its IRI, the source file it holds, and its triples as
    an ``Artefact`` (N-Triples, count and content hash from the manifest's ``graphs``)."""

    iri: str
    source: str
    artefact: Artefact


@dataclass(frozen=True)
class SourceGraphs:
    """The build's graphs per source file, read from ``iprkg.nq`` and checked against the
    manifest: the file's sha256, and each graph's number of triples."""

    folder: Path
    graphs: tuple[SourceGraph, ...]

    @classmethod
    def read(cls, dist: Path) -> SourceGraphs:
        """The build ``dist`` points at now; BadInput if it has no usable ``iprkg.nq``."""
        folder = dist.resolve()
        if not (folder / MANIFEST_NAME).is_file():
            raise BadInput(f"no built dataset in {dist} (no {MANIFEST_NAME}); run iprkg build")
        try:
            manifest = read_manifest(folder)
            base = str(manifest["base"])
            entry: dict[str, Any] = manifest["graphs"]
            name = str(entry["path"])
            content = (folder / name).read_bytes()
            expected = [
                (str(g["iri"]), str(g["source"]), int(g["triples"]), str(g["content_hash"]))
                for g in entry["graphs"]
            ]
            if sha256(content) != entry["sha256"]:
                raise BadInput(f"{dist}: {name} does not match {MANIFEST_NAME}; rebuild it")
        except KeyError as error:
            raise BadInput(
                f"{dist}/{MANIFEST_NAME} has no {error}: a build without graphs per source "
                f"({DUMP_STEM}.{N_QUADS.extension}); rebuild it with this iprkg"
            ) from error
        except (OSError, ValueError, TypeError, AttributeError) as error:
            raise BadInput(f"cannot read the built dataset in {dist}: {error}") from error
        bodies = split_quads(content, f"{dist}/{name}")
        unlisted = sorted(set(bodies) - {iri for iri, _, _, _ in expected})
        if unlisted:
            raise BadInput(
                f"{dist}: {name} holds <{unlisted[0]}>, which {MANIFEST_NAME} "
                "does not list; rebuild it"
            )
        graphs = []
        for iri, source, triples, content_hash in expected:
            lines = bodies.get(iri, [])
            if len(lines) != triples:
                raise BadInput(
                    f"{dist}: {name} holds {len(lines)} triples in <{iri}>, "
                    f"{MANIFEST_NAME} says {triples}; rebuild it"
                )
            body = pyoxigraph.serialize(lines, format=pyoxigraph.RdfFormat.N_TRIPLES)
            artefact = Artefact(folder, body or b"", triples, content_hash, base)
            graphs.append(SourceGraph(iri, source, artefact))
        return cls(folder, tuple(graphs))


def split_quads(content: bytes, name: str) -> dict[str, list[pyoxigraph.Triple]]:
    """The triples of each named graph of N-Quads ``content``; BadInput for anything else
    (a syntax error, a triple in the default graph)."""
    graphs: dict[str, list[pyoxigraph.Triple]] = defaultdict(list)
    try:
        for quad in pyoxigraph.parse(content, format=pyoxigraph.RdfFormat.N_QUADS):
            if not isinstance(quad.graph_name, pyoxigraph.NamedNode):
                raise BadInput(f"{name} has a triple outside the source graphs; rebuild it")
            graphs[quad.graph_name.value].append(quad.triple)
    except SyntaxError as error:
        raise BadInput(f"{name} is not N-Quads ({error}); rebuild it") from error
    return graphs


@dataclass(frozen=True)
class SourcesVerified:
    """Every source graph in the store, each verified (in the order published)."""

    graphs: tuple[tuple[Target, Verified], ...]

    @property
    def triples(self) -> int:
        """Triples over all graphs: a triple that two files state counts twice."""
        return sum(verified.triples for _, verified in self.graphs)

    @property
    def rewritten(self) -> tuple[str, ...]:
        return tuple(r for _, verified in self.graphs for r in verified.rewritten)


def source_targets(
    graphs: SourceGraphs, store: str, query_endpoint: str | None
) -> tuple[Target, ...]:
    """A target per source graph; BadInput before anything is sent if one is unusable."""
    return tuple(Target.make(store, graph.iri, query_endpoint) for graph in graphs.graphs)


def publish_per_source(
    graphs: SourceGraphs,
    targets: Sequence[Target],
    client: Client,
    progress: Progress,
    progress_from: int = PROGRESS_FROM_BYTES,
    exact: bool = False,
) -> SourcesVerified:
    """Replace and verify each source graph in turn (see the module). On a failure the
    error is the failing graph's (same type, so same exit status), with what became of
    the graphs this run had already written: deleted, or named as not to be used."""
    if not targets:
        return SourcesVerified(())
    warn_if_plain(targets[0], client, progress)
    total = len(graphs.graphs)
    progress(
        f"replacing {total} graphs at {targets[0].store}, one per source file, each "
        f"verified through {targets[0].query_endpoint}"
    )
    done: list[tuple[Target, Verified]] = []
    for number, (graph, target) in enumerate(zip(graphs.graphs, targets, strict=True), 1):
        try:
            verified = replace(
                graph.artefact, target, client, progress, progress_from, exact, steps=False
            )
        except GraphStoreError as error:
            rest = total - number
            untouched = (
                f"; the {rest} graph(s) after it were not touched (what an earlier publish "
                "left there is no complete publication now)"
                if rest
                else ""
            )
            written = [t for t, _ in done]
            message = f"{error}; {discard_all(client, written)}{untouched}"
            raise type(error)(f"graph {number} of {total} ({graph.source}): {message}") from error
        progress(f"[{number}/{total}] {target.label}: verified {verified.triples} triples")
        done.append((target, verified))
    return SourcesVerified(tuple(done))


def discard_all(client: Client, written: Sequence[Target]) -> str:
    """Delete each graph this run wrote, best effort, and say what became of them."""
    if not written:
        return "no other graph had been written by this run"
    failed = [(t, why) for t in written if (why := client_delete(client, t)) is not None]
    if not failed:
        listed = ", ".join(t.label for t in written)
        return f"deleted the {len(written)} graph(s) this run had written ({listed})"
    kept = "; ".join(f"{t.label} ({why})" for t, why in failed)
    deleted = len(written) - len(failed)
    return (
        f"deleted {deleted} of the {len(written)} graph(s) this run had written; could not "
        f"delete {kept}: do not use these, they are a part of a failed publication"
    )
