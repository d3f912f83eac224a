"""Dumps: serialise the published graph byte-for-byte the same for the same sources.

Three things make rdflib's output deterministic across processes (and PYTHONHASHSEED):

* blank nodes get canonical labels (``rdflib.compare.to_canonical_graph``, hashed from
  their surroundings) instead of random ones; skipped when there are none;
* the graph handed to the serialisers uses the ``SimpleMemory`` store, whose indexes
  are insertion-ordered dicts, and the triples are inserted in a syntactic sort order
  (the default ``Memory`` store iterates a ``set``, whose order depends on the hash seed);
* N-Triples lines are sorted, and the JSON-LD serialiser's top-level node list (built
  from a ``set`` of subjects) is sorted by ``@id`` afterwards.

Gzip files have mtime 0 and no file name in their header.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.term import Node

from iprkg.build.sources import SourceError
from iprkg.core.formats import DUMP_FORMATS, JSON_LD, N_TRIPLES, RDF_XML, Serialisation

DUMP_STEM = "iprkg"
"""Dumps are called iprkg.<extension> (and iprkg.<extension>.gz)."""


@dataclass(frozen=True)
class Dump:
    """One serialisation of the published graph, as bytes."""

    serialisation: Serialisation
    content: bytes

    @property
    def filename(self) -> str:
        return f"{DUMP_STEM}.{self.serialisation.extension}"

    @property
    def gzip_filename(self) -> str:
        return f"{self.filename}.gz"

    @cached_property
    def gzipped(self) -> bytes:
        return gzip_bytes(self.content)


def gzip_bytes(content: bytes) -> bytes:
    """Gzip with a fixed header: mtime 0, no file name."""
    return gzip.compress(content, compresslevel=9, mtime=0)


def published_graph(dataset: Graph, prefixes: Mapping[str, URIRef]) -> Graph:
    """A copy of ``dataset`` that serialises deterministically, binding the used prefixes."""
    if any(isinstance(term, BNode) for triple in dataset for term in triple):
        dataset = to_canonical_graph(dataset)
    graph = Graph(store="SimpleMemory", bind_namespaces="none")
    for prefix, namespace in sorted(used_prefixes(dataset, prefixes).items()):
        graph.bind(prefix, namespace, override=True, replace=True)
    for triple in sorted(dataset, key=lambda t: tuple(term_key(term) for term in t)):
        graph.add(triple)
    return graph


def term_key(term: Node) -> tuple[int, str, str, str]:
    """A total, syntactic order for RDF terms (rdflib orders literals by value)."""
    if isinstance(term, URIRef):
        return (0, str(term), "", "")
    if isinstance(term, BNode):
        return (1, str(term), "", "")
    if isinstance(term, Literal):
        return (2, str(term), str(term.datatype or ""), term.language or "")
    raise TypeError(f"not an RDF term: {term!r}")


def used_prefixes(graph: Graph, prefixes: Mapping[str, URIRef]) -> dict[str, URIRef]:
    """The prefixes whose namespace starts some IRI (or datatype) in ``graph``."""
    iris = {str(term) for triple in graph for term in triple if isinstance(term, URIRef)}
    iris |= {
        str(term.datatype)
        for term in graph.objects()
        if isinstance(term, Literal) and term.datatype is not None
    }
    return {
        prefix: namespace
        for prefix, namespace in prefixes.items()
        if any(iri.startswith(str(namespace)) for iri in iris)
    }


class DumpError(SourceError):
    """The sources hold something a dump format cannot express (e.g. RDF/XML predicates)."""


def serialise(graph: Graph, serialisation: Serialisation) -> bytes:
    """``graph`` in ``serialisation``, deterministic for a graph from ``published_graph``."""
    special = SERIALISERS.get(serialisation.name)
    try:
        if special is not None:
            return special(graph)
        return graph.serialize(format=serialisation.rdflib_format, encoding="utf-8")
    except ValueError as error:  # rdflib's way of saying a term cannot be written
        raise DumpError(
            f"cannot write {serialisation.label}: {error} — RDF/XML needs every predicate "
            "IRI to end in a name that starts with a letter or '_'"
            if serialisation is RDF_XML
            else f"cannot write {serialisation.label}: {error}"
        ) from error


def sorted_n_triples(graph: Graph) -> bytes:
    """N-Triples, one line per triple, lines sorted by code point."""
    text = graph.serialize(format=N_TRIPLES.rdflib_format, encoding="utf-8").decode("utf-8")
    lines = sorted(line for line in text.splitlines() if line.strip())
    return "".join(f"{line}\n" for line in lines).encode("utf-8")


def sorted_json_ld(graph: Graph) -> bytes:
    """Compact JSON-LD with the graph's prefixes as context, nodes sorted by ``@id``."""
    context = {
        prefix: str(namespace)
        for prefix, namespace in graph.namespaces()
        if prefix and not prefix.startswith("@")  # JSON-LD terms cannot be '' or keywords
    }
    text = graph.serialize(format=JSON_LD.rdflib_format, context=context, auto_compact=True)
    document: Any = json.loads(text)
    nodes = document.get("@graph") if isinstance(document, dict) else document
    if isinstance(nodes, list):
        nodes.sort(key=lambda node: (node.get("@id", ""), json.dumps(node, sort_keys=True)))
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


SERIALISERS: dict[str, Callable[[Graph], bytes]] = {
    N_TRIPLES.name: sorted_n_triples,
    JSON_LD.name: sorted_json_ld,
}
"""Serialisations that need more than rdflib's serialiser to be deterministic."""


def make_dumps(graph: Graph, progress: Callable[[str], None]) -> list[Dump]:
    """Every dump format of ``graph``."""
    dumps = []
    for serialisation in DUMP_FORMATS:
        progress(f"writing {serialisation.label}…")
        dumps.append(Dump(serialisation, serialise(graph, serialisation)))
    return dumps
