"""The municipality facts: every municipality and county of Norway in 2024, from Kartverket.

For each municipality of Kartverket's division of 2024 (``municipalities.load_division``)
the build states: ``a ipr:Municipality``; ``rdfs:label`` "X kommune"@nb and
"X Municipality"@en where the data give it no label; ``ipr:municipalityNumber`` its 2024
number, ``<…/number/NNNN>``, ``a ipr:MunicipalityNumber`` with ``skos:notation``, labels
"kommunenummer NNNN (2024)"@nb / "municipality number NNNN (2024)"@en and
``dcat:startDate`` 2024-01-01, the first day the source speaks of (a number the data
already describe gets only the source); ``ipr:inCounty`` its county; ``dct:source
<source/kartverket-2024>``. Each county is ``a ipr:County`` with its name as label in nb
and en (its short name as ``skos:altLabel`` where the official one has more forms),
``skos:notation`` its number and the same source. Nothing else is taken from the files.

These triples, but for the numbers, are validated with the data (so a council file's
members need not be described by hand; the numbers are made alike, and a test checks
them against the shapes), and published in the dumps and, in ``iprkg.nq``, as the graph
``{base}graph/municipalities``. Without the external folder the build goes on without
them; a file that is there but cannot be read stops the build (``DivisionSourceError``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, SKOS, XSD

from iprkg.build.municipalities import (
    COUNTIES_FILE,
    MUNICIPALITIES_FILE,
    YEAR_START,
    Division,
    DivisionError,
    county_iri,
    load_division,
    municipality_iris,
)
from iprkg.build.sources import SourceError

MUNICIPALITIES_GRAPH = "municipalities"
"""The named graph of the municipality facts in ``iprkg.nq``: ``{base}graph/municipalities``."""
SOURCE = "source/kartverket-2024"
"""The source of every fact taken from the division, relative to the base (data/sources.ttl)."""
ORIGIN = "https://kartkatalog.geonorge.no/"
"""Where Kartverket publishes the data the files are made from (their ORIGIN)."""


class DivisionSourceError(SourceError):
    """A file of the division is there but cannot be read (``municipalities.DivisionError``)."""


@dataclass(frozen=True)
class MunicipalityFacts:
    """The published municipality facts, and the division they were read from."""

    graph: Graph
    division: Division

    def manifest_entry(self, external: Path) -> list[dict[str, Any]]:
        """The files read, for the manifest's ``municipalities``: each one's path in the
        external folder, sha256 and where Kartverket publishes the data."""
        return [
            {
                "path": path,
                "sha256": hashlib.sha256((external / path).read_bytes()).hexdigest(),
                "source": ORIGIN,
            }
            for path in (MUNICIPALITIES_FILE, COUNTIES_FILE)
        ]


def municipality_graph(data: Graph, division: Division, base: str, numbers: bool = True) -> Graph:
    """What the division says of every municipality and county, joined to ``data``;
    without the municipality numbers where ``numbers`` is false (what validation checks:
    the numbers' SPARQL constraints, a query per municipality, would take a minute, and
    every number is made alike; ``tests/build/test_municipalities.py`` checks them)."""
    ipr = f"{base}ontology#"
    source = URIRef(f"{base}{SOURCE}")
    graph = Graph(bind_namespaces="none")
    for county in division.counties:
        subject = county_iri(county, base)
        graph.add((subject, RDF.type, URIRef(f"{ipr}County")))
        for lang in ("nb", "en"):
            graph.add((subject, RDFS.label, Literal(county.official_name, lang=lang)))
            if county.name != county.official_name:
                graph.add((subject, SKOS.altLabel, Literal(county.name, lang=lang)))
        graph.add((subject, SKOS.notation, Literal(county.number)))
        graph.add((subject, DCTERMS.source, source))
    iris = municipality_iris(division, data, base)
    for municipality in division.municipalities:
        subject = iris[municipality.number]
        graph.add((subject, RDF.type, URIRef(f"{ipr}Municipality")))
        if data.value(subject, RDFS.label) is None:
            graph.add((subject, RDFS.label, Literal(f"{municipality.name} kommune", lang="nb")))
            graph.add(
                (subject, RDFS.label, Literal(f"{municipality.name} Municipality", lang="en"))
            )
        graph.add((subject, URIRef(f"{ipr}inCounty"), county_iri(municipality.county, base)))
        graph.add((subject, DCTERMS.source, source))
        if numbers:
            add_number(graph, data, subject, municipality.number, ipr, source)
    return graph


def add_number(
    graph: Graph, data: Graph, municipality: URIRef, notation: str, ipr: str, source: URIRef
) -> None:
    """The municipality's 2024 number; only its source where ``data`` describe it."""
    number = stated_number(data, municipality, notation, ipr) or URIRef(
        f"{municipality}/number/{notation}"
    )
    graph.add((municipality, URIRef(f"{ipr}municipalityNumber"), number))
    if (number, RDF.type, URIRef(f"{ipr}MunicipalityNumber")) not in data:
        graph.add((number, RDF.type, URIRef(f"{ipr}MunicipalityNumber")))
        graph.add((number, SKOS.notation, Literal(notation)))
        for lang, words in (("nb", "kommunenummer"), ("en", "municipality number")):
            graph.add((number, RDFS.label, Literal(f"{words} {notation} (2024)", lang=lang)))
        graph.add((number, DCAT.startDate, Literal(YEAR_START, datatype=XSD.date)))
    graph.add((number, DCTERMS.source, source))


def stated_number(data: Graph, municipality: URIRef, notation: str, ipr: str) -> URIRef | None:
    """The number resource ``data`` give ``municipality`` with ``notation``, if any."""
    for number in data.objects(municipality, URIRef(f"{ipr}municipalityNumber")):
        if isinstance(number, URIRef) and str(data.value(number, SKOS.notation)) == notation:
            return number
    return None


def read_division(external: Path) -> Division | None:
    """``load_division``, its DivisionError as a DivisionSourceError (the build's kind)."""
    try:
        return load_division(external)
    except DivisionError as error:
        raise DivisionSourceError(str(error)) from error


def load_municipality_facts(
    external: Path, data: Graph, base: str, progress: Callable[[str], None]
) -> MunicipalityFacts | None:
    """The municipality facts for ``data`` from the division in ``external``; None (and a
    line through ``progress``) where the folder lacks it; DivisionSourceError for a
    broken file."""
    division = read_division(external)
    if division is None:
        progress(
            f"no municipalities of 2024 in {external} ({MUNICIPALITIES_FILE}, {COUNTIES_FILE}): "
            "building with only the municipalities the data describe "
            "(set IPRKG_EXTERNAL to the folder that has them)"
        )
        return None
    return MunicipalityFacts(municipality_graph(data, division, base), division)
