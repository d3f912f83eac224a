"""The example queries, published: every ``queries/**/*.rq`` under the project root as a
SHACL SPARQL executable (``core.example_queries`` names the terms and IRIs).

Each file opens with the ``# title:``, ``# title@nb:``, ``# description:`` and
``# description@nb:`` lines of queries/README.md; they become ``rdfs:label`` and
``rdfs:comment`` in en and nb (only those the file has: no language is guessed). The
query form is the first SELECT, ASK, CONSTRUCT or DESCRIBE keyword outside comments,
strings and IRIs (``engine.query_text``); the text is the file's, byte for byte, header
and all. A file with no query form, or no ``# title:``, stops the build, naming the file.

The build adds these triples to the dataset beside the data (so ``/sparql`` answers them
from its default graph and every dump has them) and to ``iprkg.nq`` as the graph
``{base}graph/examples``. This is the one place the server's examples come from: the
query page reads its menu from these triples in the store (``services.examples``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import RDF, RDFS, Graph, Literal, URIRef

from iprkg.build.sources import SourceError
from iprkg.core.example_queries import (
    EXECUTABLE,
    FORMS,
    SCHEMA,
    SCHEMA_TARGET,
    SH,
    SPEX,
    QueryForm,
    endpoint_iri,
    example_iri,
)
from iprkg.engine.query_text import keywords_only

QUERIES_FOLDER = "queries"
"""The examples' folder, relative to the project root (``IPRKG_ROOT``)."""
EXAMPLE_PREFIXES = {"sh": URIRef(SH), "spex": URIRef(SPEX), "schema": URIRef(SCHEMA)}
"""Prefixes for the dumps where the examples use their namespaces (the sources' own
prefixes win: a source binding ``schema:`` elsewhere keeps it)."""
_FORM = re.compile(r"(?<![\w?$:])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:-])", re.IGNORECASE)


class ExampleError(SourceError):
    """An example query cannot be published (no query form, no title); names the file."""


@dataclass(frozen=True)
class ExampleFile:
    """One ``.rq`` file, read: its name, form, header lines and text."""

    name: str
    """Its path under ``queries/`` without ``.rq``."""
    path: str
    """Its path relative to the project root, for messages."""
    form: QueryForm
    fields: dict[str, str]
    text: str
    sha256: str


def read_example_files(root: Path) -> list[ExampleFile]:
    """Every ``.rq`` file under ``root/queries`` (none if it is absent), sorted by path."""
    folder = root / QUERIES_FOLDER
    if not folder.is_dir():
        return []
    examples = []
    for path in sorted(folder.rglob("*.rq")):
        shown = path.relative_to(root).as_posix()
        try:
            content = path.read_bytes()
            text = content.decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ExampleError(f"{shown}: cannot be read as UTF-8 ({error})") from error
        fields = header(text)
        if not fields.get("title"):
            raise ExampleError(
                f"{shown}: no '# title:' line; every query opens with the comment block "
                "of queries/README.md"
            )
        name = path.relative_to(folder).with_suffix("").as_posix()
        digest = hashlib.sha256(content).hexdigest()
        examples.append(ExampleFile(name, shown, form_of(text, shown), fields, text, digest))
    return examples


def form_of(text: str, shown: str) -> QueryForm:
    """The form of the query ``text`` (the file ``shown``); ExampleError if it has none."""
    found = _FORM.search(keywords_only(text))
    if found is None:
        raise ExampleError(f"{shown}: no SELECT, ASK, CONSTRUCT or DESCRIBE: not a query")
    return next(form for form in FORMS if form.keyword == found.group(1).upper())


def header(text: str) -> dict[str, str]:
    """The ``# key: value`` lines that open a query; ``#`` lines indented by two or more
    spaces continue the value before them (queries/README.md)."""
    fields: dict[str, str] = {}
    last = ""
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:]
        if body.startswith("  ") and last:
            fields[last] = f"{fields[last]} {body.strip()}"
            continue
        key, colon, value = body.strip().partition(":")
        if colon and key and " " not in key:
            last = key
            fields[key] = value.strip()
        else:
            last = ""
    return fields


TEXTS = (
    ("title", RDFS.label, "en"),
    ("title@nb", RDFS.label, "nb"),
    ("description", RDFS.comment, "en"),
    ("description@nb", RDFS.comment, "nb"),
)
"""Header line -> the property and language it is published with."""


def example_graph(base: str, examples: list[ExampleFile]) -> Graph:
    """The examples as SHACL SPARQL executables under ``base``."""
    graph = Graph(bind_namespaces="none")
    endpoint = URIRef(endpoint_iri(base))
    for example in examples:
        subject = URIRef(example_iri(base, example.name))
        graph.add((subject, RDF.type, URIRef(EXECUTABLE)))
        graph.add((subject, RDF.type, URIRef(example.form.executable)))
        graph.add((subject, URIRef(example.form.text), Literal(example.text)))
        for key, prop, lang in TEXTS:
            if example.fields.get(key):
                graph.add((subject, prop, Literal(example.fields[key], lang=lang)))
        graph.add((subject, URIRef(SCHEMA_TARGET), endpoint))
    return graph


@dataclass(frozen=True)
class Examples:
    """The published examples, and the files they were read from."""

    graph: Graph
    files: tuple[ExampleFile, ...]

    def manifest_entry(self) -> list[dict[str, Any]]:
        """The query files, for the manifest's ``examples``: each one's path and sha256."""
        return [{"path": file.path, "sha256": file.sha256} for file in self.files]


def load_examples(root: Path, base: str) -> Examples:
    """The published examples of the project at ``root``; ExampleError for a bad file."""
    files = read_example_files(root)
    return Examples(example_graph(base, files), tuple(files))
