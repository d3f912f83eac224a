"""A query's answer as the query page shows it to people (``templates/sparql/query.html``).

SELECT answers become a table of ``Cell``s: an IRI by its compact name (the build's
prefixes, or its path under the base as queries write it, ``<council/x>``) with its label
in the page's language beside it and a link to its page; a literal as its plain value,
its language tag shown discreetly, its datatype only in a tooltip; a blank node as
``_:id``. ASK answers yes or no; CONSTRUCT and DESCRIBE answers are shown as Turtle.
The page holds at most ``PAGE_ROWS`` rows (the downloads hold them all, as clients get
them); more are left out and the page says so.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from iprkg.core.formats import SPARQL_JSON, TURTLE
from iprkg.core.settings import Settings
from iprkg.engine.answers import Solutions, Triples
from iprkg.services.labels import Labels
from iprkg.services.query_help import compact

PAGE_ROWS = 1000
"""The most rows the page shows."""
XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass(frozen=True)
class Cell:
    """One value of a solution, ready to show."""

    kind: str
    """``iri``, ``bnode``, ``literal`` or ``unbound``."""
    text: str = ""
    """The compact name of an IRI, the value of a literal."""
    label: str = ""
    """An IRI's label in the page language, when it has one other than its name."""
    href: str = ""
    """Where an IRI leads (empty: shown as text)."""
    iri: str = ""
    lang: str = ""
    datatype: str = ""


@dataclass(frozen=True)
class PageAnswer:
    """What the page shows of an answer."""

    kind: str
    """``table``, ``boolean`` or ``graph``."""
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Cell, ...], ...] = ()
    boolean: bool = False
    graph: str = ""
    truncated: bool = False
    """Whether rows were left out (``PAGE_ROWS`` or IPRKG_MAX_ROWS)."""
    notes: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Naming:
    """How IRIs are named on the page: labels, prefixes, base, language, links."""

    labels: Labels
    prefixes: Mapping[str, str]
    base: str
    lang: str
    root: str
    """The server's path prefix, for IRIs under the base (``request.script_root + '/'``)."""

    def cell(self, term: Mapping[str, Any] | None) -> Cell:
        if not term:
            return Cell("unbound")
        value = str(term.get("value", ""))
        if term.get("type") == "uri":
            return self.iri_cell(value)
        if term.get("type") == "bnode":
            return Cell("bnode", f"_:{value}")
        datatype = str(term.get("datatype", ""))
        short = compact(datatype, {"xsd": XSD, **self.prefixes}) if datatype else ""
        return Cell("literal", value, lang=str(term.get("xml:lang", "")), datatype=short)

    def iri_cell(self, iri: str) -> Cell:
        if self.base and iri.startswith(self.base) and len(iri) > len(self.base):
            name, href = f"<{iri[len(self.base) :]}>", self.root + iri[len(self.base) :]
        else:
            name = compact(iri, self.prefixes)
            href = iri if iri.lower().startswith(("http://", "https://")) else ""
        label = self.labels.label(iri, self.lang) if self.labels.has_label(iri) else ""
        return Cell("iri", name, label if label not in (name, iri) else "", href, iri)


def page_answer(result: Solutions | Triples, settings: Settings, naming: Naming) -> PageAnswer:
    """``result`` as the page shows it (bounded like the protocol's answers)."""
    max_bytes = settings.max_answer_mb * 1024 * 1024
    if isinstance(result, Triples):
        return PageAnswer("graph", graph=result.serialise(TURTLE, max_bytes).decode("utf-8"))
    rows_wanted = min(settings.max_rows or PAGE_ROWS, PAGE_ROWS)
    document = json.loads(result.serialise(SPARQL_JSON, max_bytes, rows_wanted))
    if "boolean" in document:
        return PageAnswer("boolean", boolean=bool(document["boolean"]))
    variables = tuple(document["head"].get("vars", []))
    rows = tuple(
        tuple(naming.cell(binding.get(name)) for name in variables)
        for binding in document["results"]["bindings"]
    )
    return PageAnswer("table", variables, rows, truncated=result.truncated)
