"""Loading: find the Turtle sources, parse them against the base IRI, remember who said what.

Every file is parsed with ``publicID`` set to the configured base, so relative IRIs such
as ``<council/nome-midt-telemark>`` and relative prefixes such as
``@prefix ipr: <ontology#> .`` resolve against it, wherever the file lives.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from iprkg.core.settings import Settings

KINDS = ("ontology", "data", "shapes", "harvested")
"""The kinds of source, in the order they are loaded."""

TURTLE_SPEC = "https://www.w3.org/TR/turtle/"


class SourceError(Exception):
    """The sources cannot be loaded; nothing is built."""


class NoSourcesError(SourceError):
    """There is no ontology or data Turtle file at all."""


class TurtleSyntaxError(SourceError):
    """A source file is not valid Turtle. Carries the file, line (1-based) and a hint."""

    def __init__(self, name: str, line: int | None, problem: str, hint: str) -> None:
        self.name = name
        self.line = line
        self.problem = problem
        self.hint = hint
        where = name if line is None else f"{name}:{line}"
        super().__init__(f"{where}: {problem} — {hint}")


@dataclass(frozen=True)
class SourceFile:
    """One parsed source file."""

    kind: str
    path: Path
    name: str
    """Path relative to the project root, POSIX style: how reports name the file."""
    sha256: str
    triples: int
    graph: Graph | None = field(default=None, compare=False, repr=False)
    """The file's own triples as parsed (its blank nodes its own); None for shapes and
    harvested files."""


@dataclass
class Sources:
    """The parsed sources: one graph per kind, and where each node was written."""

    base: str
    ontology: Graph
    data: Graph
    shapes: Graph
    harvested: Graph = field(default_factory=lambda: Graph(bind_namespaces="none"))
    """Other publications taken in by ``iprkg harvest``: validated and served with ours,
    never part of our dumps."""
    files: list[SourceFile] = field(default_factory=list)
    prefixes: dict[str, URIRef] = field(default_factory=dict)
    """Prefix declarations from the sources; the first file (in load order) wins a clash."""
    described_in: dict[Node, list[str]] = field(default_factory=lambda: defaultdict(list))
    """Node -> names of the files where it is a subject."""
    mentioned_in: dict[Node, list[str]] = field(default_factory=lambda: defaultdict(list))
    """Node -> names of the files where it is an object."""

    def dataset(self) -> Graph:
        """Ontology and data merged: what is validated and published."""
        merged = Graph(bind_namespaces="none")
        merged += self.ontology
        merged += self.data
        for prefix, namespace in self.prefixes.items():
            merged.bind(prefix, namespace, override=False)
        return merged

    def served(self) -> Graph:
        """The dataset and the harvested publications: what is validated and served."""
        merged = self.dataset()
        merged += self.harvested
        return merged

    def copy(self) -> Sources:
        """An independent copy: its graphs and records can be changed freely."""
        return Sources(
            base=self.base,
            ontology=copy_graph(self.ontology),
            data=copy_graph(self.data),
            shapes=copy_graph(self.shapes),
            harvested=copy_graph(self.harvested),
            files=list(self.files),
            prefixes=dict(self.prefixes),
            described_in=defaultdict(list, {k: list(v) for k, v in self.described_in.items()}),
            mentioned_in=defaultdict(list, {k: list(v) for k, v in self.mentioned_in.items()}),
        )

    def files_for(self, node: Node) -> list[str]:
        """Files describing ``node`` as a subject, else those mentioning it as an object."""
        return self.described_in.get(node) or self.mentioned_in.get(node) or []


def copy_graph(graph: Graph) -> Graph:
    """A new graph with the same triples and prefix bindings."""
    copy = Graph(bind_namespaces="none")
    copy += graph
    for prefix, namespace in graph.namespaces():
        copy.bind(prefix, namespace, override=False)
    return copy


def find_source_files(settings: Settings) -> list[tuple[str, Path]]:
    """``(kind, path)`` for ontology/*.ttl, data/**/*.ttl, shapes/*.ttl and harvested/*.nt,
    each sorted."""
    folders = {
        "ontology": settings.ontology,
        "data": settings.data,
        "shapes": settings.shapes,
        "harvested": settings.harvested,
    }
    patterns = {"ontology": "*.ttl", "data": "**/*.ttl", "shapes": "*.ttl", "harvested": "*.nt"}
    found: list[tuple[str, Path]] = []
    for kind in KINDS:
        folder = folders[kind]
        if folder.is_dir():
            paths = (p for p in folder.glob(patterns[kind]) if p.is_file())
            found.extend((kind, path) for path in sorted(paths, key=lambda p: p.as_posix()))
    return found


def load_sources(settings: Settings) -> Sources:
    """Parse every source file; raise a SourceError naming the first file that fails."""
    located = find_source_files(settings)
    if not any(kind in ("ontology", "data") for kind, _ in located):
        raise NoSourcesError(
            f"no Turtle files in {settings.relative(settings.ontology)}/ "
            f"or {settings.relative(settings.data)}/ — nothing to build"
        )
    sources = Sources(
        base=settings.base,
        ontology=Graph(bind_namespaces="none"),
        data=Graph(bind_namespaces="none"),
        shapes=Graph(bind_namespaces="none"),
    )
    for kind, path in located:
        add_source_file(sources, kind, path, settings.relative(path))
    return sources


def add_source_file(sources: Sources, kind: str, path: Path, name: str) -> None:
    """Parse one file into the graph of its kind and record its prefixes and nodes."""
    content = path.read_bytes()
    graph = parse_turtle(content, name, sources.base)
    target: Graph = getattr(sources, kind)
    target += graph
    for prefix, namespace in graph.namespaces():
        sources.prefixes.setdefault(prefix, namespace)
    for subject in set(graph.subjects()):
        sources.described_in[subject].append(name)
    for obj in set(graph.objects()):
        sources.mentioned_in[obj].append(name)
    sha256 = hashlib.sha256(content).hexdigest()
    kept = graph if kind in ("ontology", "data") else None
    sources.files.append(SourceFile(kind, path, name, sha256, len(graph), kept))


def parse_turtle(content: bytes, name: str, base: str) -> Graph:
    """Parse Turtle ``content`` (the file ``name``) with relative IRIs resolved against ``base``."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        line = content.count(b"\n", 0, error.start) + 1
        raise TurtleSyntaxError(
            name, line, "not UTF-8 text", "save the file as UTF-8, as Turtle requires"
        ) from None
    graph = Graph(bind_namespaces="none")
    try:
        graph.parse(data=text, format="turtle", publicID=base)
    except BadSyntax as error:
        raise syntax_error(name, error, text) from None
    check_iris(graph, text, name, base)
    return graph


def syntax_error(name: str, error: BadSyntax, text: str = "") -> TurtleSyntaxError:
    """Our error for rdflib's BadSyntax: same line, a plainer problem and a hint (naming
    the line that most likely lacks its ';' or '.', which rdflib reports only later)."""
    reason = str(getattr(error, "_why", "")) or "invalid Turtle"
    line = int(getattr(error, "lines", 0)) + 1  # rdflib counts the newlines before the error
    unbound = re.fullmatch(r'Prefix "(.*):" not bound', reason)
    if unbound:
        prefix = unbound.group(1)
        return TurtleSyntaxError(
            name,
            line,
            f'unknown prefix "{prefix}:"',
            f"declare it with @prefix {prefix}: <...> . at the top of the file",
        )
    hint = hint_for(reason)
    if "at end of statement" in reason:
        unclosed = unclosed_line(text, line)
        if unclosed is not None:
            hint = (
                f"most likely line {unclosed}, which ends without ';', ',' or '.': continue "
                "it with ';' (same subject) or ',' (another value), or end it with '.' "
                f"(the parser noticed only at line {line})"
            )
    return TurtleSyntaxError(name, line, reason, hint)


def unclosed_line(text: str, reported: int) -> int | None:
    """The nearest line before line ``reported`` (1-based) in the same statement that
    ends without ``;``, ``,`` or ``.`` (nor opens ``[`` or ``(``); blank lines and
    comments are skipped, and a line ending with ``.`` ends the search. rdflib reports
    a missing ``;`` where it gives up, often several lines (and comments) later."""
    lines = text.splitlines()
    for number in range(min(reported, len(lines) + 1) - 1, 0, -1):
        code = strip_comment(lines[number - 1]).rstrip()
        if not code or code.endswith((";", ",", "[", "(")):
            continue
        return None if code.endswith(".") else number
    return None


def strip_comment(line: str) -> str:
    """``line`` without a trailing ``# comment`` (a '#' inside <...> or "..." is kept)."""
    quoted = None
    for position, char in enumerate(line):
        if quoted:
            if char == quoted:
                quoted = None
        elif char in "\"'":
            quoted = char
        elif char == "<":
            quoted = ">"
        elif char == "#":
            return line[:position]
    return line


HINTS: tuple[tuple[str, str], ...] = (
    (
        "at end of statement",
        "a statement before this point is not closed — end it with '.', or continue it "
        "with ';' (next predicate) or ',' (next object); often the '.' is missing at the "
        "end of the line before",
    ),
    ("EOF found after object", "the file ends inside a statement — end it with '.'"),
    (
        "EOF found when expected verb",
        "the last statement ends with ';' — end it with '.' instead",
    ),
    (
        "newline found in string literal",
        'a string is not closed on its line — add the closing quote, or use """triple '
        'quotes""" for text over several lines',
    ),
    ("language code", 'write a language tag after @, e.g. "tekst"@nb'),
    (
        "objectList expected",
        "a value is missing here: an IRI, prefixed name, literal or [ ... ] "
        "(Turtle has no { } graphs)",
    ),
)


def hint_for(reason: str) -> str:
    """A hint for an rdflib parse error reason."""
    for fragment, hint in HINTS:
        if fragment in reason:
            return hint
    return f"check the Turtle syntax here ({TURTLE_SPEC})"


FORBIDDEN_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
"""Characters RFC 3987 forbids in an IRI; rdflib's parser lets some through."""


def check_iris(graph: Graph, text: str, name: str, base: str) -> None:
    """Reject IRIs that rdflib accepts but no serialiser can write (spaces, quotes, ...)."""
    invalid = sorted(invalid_iris(graph))
    if invalid:
        raise TurtleSyntaxError(
            name,
            line_of_iri(text, invalid[0], base),
            f"invalid IRI <{invalid[0]}>",
            'IRIs cannot contain spaces or any of <>"{}|^`\\ — percent-encode them '
            "(a space is %20)",
        )


def invalid_iris(graph: Graph) -> set[URIRef]:
    """The IRIs in ``graph`` that contain characters an IRI may not contain."""
    return {
        term for term in terms(graph) if isinstance(term, URIRef) and FORBIDDEN_IN_IRI.search(term)
    }


def terms(graph: Graph) -> Iterator[Node]:
    """Every subject, predicate and object in ``graph``."""
    for triple in graph:
        yield from triple


def line_of_iri(text: str, iri: str, base: str) -> int | None:
    """The first line where ``iri`` is written, absolute or relative to ``base``."""
    for written in written_forms(iri, base):
        position = text.find(f"<{written}>")
        if position >= 0:
            return text.count("\n", 0, position) + 1
    return None


def written_forms(iri: str, base: str) -> Iterable[str]:
    """How ``iri`` may appear in a file: in full, or relative to the base."""
    yield iri
    if iri.startswith(base):
        yield iri.removeprefix(base)
