"""The page of a theme of LOS or of the EU data themes, at ``/resource?iri=…``.

The build publishes what the authorities say of the themes the data use (``theme_facts``),
so a theme IRI is described in the store and ``resources`` answers it at the page of
outside IRIs; when a browser asks for HTML, ``render_theme`` here names the theme in the
page's language (``labels``: a Bokmål page takes nb, then nn) with its names, code,
scheme, the themes above and below it, the focus areas that name it (``skos:exactMatch``,
``skos:closeMatch``, ``skos:broadMatch``: docs/model.md) with the councils whose
strategies name them, and those only related to it (``skos:relatedMatch``,
``skos:narrowMatch``), which the comparison does not count. Its RDF forms stay with
``resources``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import render_template

from iprkg.build.authorities import Authority, authority_of
from iprkg.core.errors import QueryFailed
from iprkg.core.vocabulary import SKOS
from iprkg.engine.results import iri_ref, select
from iprkg.services.comparison import STATUSES
from iprkg.web.context import current_context, current_labels, current_store
from iprkg.web.templating import page_language

NAMING = ("exactMatch", "closeMatch", "broadMatch")
"""Mappings by which a focus area names the theme (docs/model.md, rule 1)."""
RELATED = ("relatedMatch", "narrowMatch")
"""Mappings that are published but do not count as naming the theme."""


@dataclass(frozen=True)
class Named:
    """An IRI with its label in the page language."""

    iri: str
    label: str


@dataclass
class Mapped:
    """A focus area mapped to the theme: how, and the councils whose strategies name it."""

    area: Named
    mapping: str
    """The SKOS mapping property's local name (the template says it in words)."""
    councils: list[Named] = field(default_factory=list)


@dataclass
class ThemePage:
    iri: str
    authority: Authority
    title: str
    names: list[tuple[str, str]]
    """``(language, label)`` as published."""
    notations: list[str]
    schemes: list[Named]
    broader: list[Named]
    narrower: list[Named]
    naming: list[Mapped]
    related: list[Mapped]
    sources: list[str]
    councils: dict[str, list[Named]] = field(default_factory=dict)
    """The councils by their status for the theme in the comparison (named, absent,
    unknown); empty when the theme is not one the comparison counts."""


def render_theme(iri: str, alternates: Sequence[Any] = ()) -> str | None:
    """The page of the theme ``iri`` (rendered HTML), or None if it is not a published
    theme of an authority."""
    page = read_theme(iri)
    if page is None:
        return None
    return render_template("resources/theme.html", page=page, alternates=alternates)


def read_theme(iri: str) -> ThemePage | None:
    authority = authority_of(iri)
    if authority is None:
        return None
    store = current_store()
    subject = iri_ref(iri)
    facts = select(
        store,
        f"""SELECT ?property ?value WHERE {{
  {subject} a <{SKOS}Concept> ; ?property ?value .
}}""",
    )
    if not facts:
        return None
    labels, lang = current_labels(), page_language()

    def named(value: str) -> Named:
        return Named(value, labels.label(value, lang))

    def values(local: str) -> list[str]:
        wanted = local if local.startswith("http") else f"{SKOS}{local}"
        return sorted({str(row["value"]) for row in facts if str(row["property"]) == wanted})

    order = ("nb", "nn", "en")
    names = sorted(
        {
            (row["value"].lang, str(row["value"]))
            for row in facts
            if str(row["property"]) == f"{SKOS}prefLabel"
        },
        key=lambda name: (order.index(name[0]) if name[0] in order else len(order), name),
    )
    narrower = select(store, f"SELECT DISTINCT ?theme WHERE {{ ?theme <{SKOS}broader> {subject} }}")
    mapped = select(
        store,
        f"""PREFIX ipr: <ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT DISTINCT ?area ?mapping ?council WHERE {{
  VALUES ?mapping {{ {" ".join(f"<{SKOS}{m}>" for m in NAMING + RELATED)} }}
  ?area ?mapping {subject} .
  OPTIONAL {{
    ?strategy (ipr:hasLevel)?/ipr:focusArea/(dct:hasPart)? ?area ;
      ipr:strategyOf ?council .
  }}
}}""",
    )
    by_area: dict[tuple[str, str], Mapped] = {}
    for row in mapped:
        mapping = str(row["mapping"]).removeprefix(SKOS)
        key = (str(row["area"]), mapping)
        entry = by_area.setdefault(key, Mapped(named(key[0]), mapping))
        council = row.get("council")
        if council is not None and str(council) not in {c.iri for c in entry.councils}:
            entry.councils.append(named(str(council)))
    for entry in by_area.values():
        entry.councils.sort(key=lambda council: council.label.casefold())

    def sorted_mapped(kinds: tuple[str, ...]) -> list[Mapped]:
        chosen = [entry for entry in by_area.values() if entry.mapping in kinds]
        return sorted(chosen, key=lambda e: (e.area.label.casefold(), kinds.index(e.mapping)))

    return ThemePage(
        iri=iri,
        authority=authority,
        title=labels.label(iri, lang),
        names=names,
        notations=values("notation"),
        schemes=[named(scheme) for scheme in values("inScheme")],
        broader=[named(theme) for theme in values("broader")],
        narrower=sorted(
            (named(str(row["theme"])) for row in narrower), key=lambda n: n.label.casefold()
        ),
        naming=sorted_mapped(NAMING),
        related=sorted_mapped(RELATED),
        sources=values("http://purl.org/dc/terms/source"),
        councils=compared(iri, named),
    )


def compared(iri: str, named: Callable[[str], Named]) -> dict[str, list[Named]]:
    """The councils that name the theme, are known not to, or are unknown for it (the
    comparison, docs/comparison.md), each sorted by label; {} if it is not compared."""
    try:
        matrix = current_context().comparison.themes
    except QueryFailed:  # the comparison queries are not installed
        return {}
    if iri not in {item.iri for item in matrix.items}:
        return {}
    found: dict[str, list[Named]] = {status: [] for status in STATUSES}
    for council in matrix.councils:
        found[matrix.cell(iri, council).status].append(named(council))
    return {
        status: sorted(councils, key=lambda c: c.label.casefold())
        for status, councils in found.items()
    }
