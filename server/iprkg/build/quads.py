"""The N-Quads dump ``iprkg.nq``: each ontology and data file's triples in a named graph
of its own, ``{base}graph/{source name}`` (shapes are not data and are left out), and the
theme authorities' facts (``theme_facts``) in ``{base}graph/authorities``.

A triple that two files state is in both graphs; the union of the graphs is the dataset
of ``iprkg.nt``. Each graph's content hash is computed exactly as the manifest's
``content_hash`` is for the whole dataset (``published_graph`` + ``sorted_n_triples``),
so ``iprkg publish --graph-per-source`` can verify every graph with the same code.

Blank-node labels are document-wide in N-Quads, so the canonical labels of a graph
(hashed from their surroundings, the same in two files that say the same thing) get a
prefix naming the graph: ``_:s`` + 8 hex digits of the source name's sha256 + the label.
The file is then the quads' lines sorted by code point: byte-identical for the same
sources.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from rdflib import BNode, Graph
from rdflib.term import Node

from iprkg.build.dumps import DUMP_STEM, published_graph, sorted_n_triples
from iprkg.build.sources import SourceFile
from iprkg.core.formats import N_QUADS

QUADS_FILENAME = f"{DUMP_STEM}.{N_QUADS.extension}"
GRAPH_FOLDER = "graph/"
"""Source graphs are named ``{base}graph/{source name}``."""


def source_graph_iri(base: str, source_name: str) -> str:
    """The named graph of the source file ``source_name`` (percent-encoded where an IRI
    cannot hold a character, e.g. a space)."""
    return f"{base}{GRAPH_FOLDER}{quote(source_name, safe='/')}"


@dataclass(frozen=True)
class SourceGraph:
    """One source file's graph: its IRI, and its sorted N-Triples with canonical labels."""

    iri: str
    source: str
    triples: int
    n_triples: bytes

    @property
    def content_hash(self) -> str:
        return f"sha256:{hashlib.sha256(self.n_triples).hexdigest()}"


@dataclass(frozen=True)
class Quads:
    """``iprkg.nq`` as bytes, and the graphs it holds in source order."""

    content: bytes
    graphs: tuple[SourceGraph, ...]
    filename: str = QUADS_FILENAME


def make_quads(
    base: str, files: Sequence[SourceFile], others: Sequence[tuple[str, Graph]] = ()
) -> Quads:
    """The N-Quads dump of the ontology and data ``files`` (those with a graph kept), one
    named graph each, then of ``others``: ``(name, graph)``, e.g. the theme authorities'
    facts, each in the graph ``{base}graph/{name}``."""
    named = [(file.name, file.graph) for file in files if file.graph is not None]
    graphs: list[SourceGraph] = []
    lines: list[str] = []
    for name, triples in [*named, *others]:
        published = published_graph(triples, {})
        graph = SourceGraph(
            source_graph_iri(base, name),
            name,
            len(published),
            sorted_n_triples(published),
        )
        graphs.append(graph)
        lines += quad_lines(graph, published)
    content = "".join(f"{line}\n" for line in sorted(lines)).encode("utf-8")
    return Quads(content, tuple(graphs))


def quad_lines(graph: SourceGraph, published: Graph) -> list[str]:
    """The graph's N-Triples lines as N-Quads lines, blank-node labels prefixed."""
    if any(isinstance(term, BNode) for triple in published for term in triple):
        prefix = "s" + hashlib.sha256(graph.source.encode("utf-8")).hexdigest()[:8]
        relabelled = Graph(store="SimpleMemory", bind_namespaces="none")
        for triple in published:
            s, p, o = (relabel(term, prefix) for term in triple)
            relabelled.add((s, p, o))
        text = sorted_n_triples(relabelled).decode("utf-8")
    else:
        text = graph.n_triples.decode("utf-8")
    return [f"{line.removesuffix(' .')} <{graph.iri}> ." for line in text.splitlines()]


def relabel(term: Node, prefix: str) -> Node:
    return BNode(f"{prefix}{term}") if isinstance(term, BNode) else term
