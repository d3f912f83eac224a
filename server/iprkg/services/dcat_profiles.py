"""The DCAT profiles our catalogue is checked against, as a harvester checks it.

A harvester (data.norge.no, data.europa.eu) validates a catalogue with a profile's SHACL
shapes and with the authority tables it knows loaded beside it. ``check_catalogue`` does
the same with the copies in the external folder (the ``IPRKG_EXTERNAL`` setting):

* **Profiles** (``PROFILES``): DCAT-AP-NO 3.0 (Digdir's shapes in one file, and the same
  version's modular core/range/vocabulary shapes), DCAT-AP-NO 2.0 and DCAT-AP 3.0.1.
* **What the harvester knows** (``VOCABULARIES``): the EU authority tables and IANA media
  types of data.norge.no's reference data, the EU data themes and LOS. Of these, the
  validator sees what they say about the terms the catalogue uses (``harvester_view``).
* **Mends** (``MENDS``): where an upstream shape contradicts its own specification or
  another profile, the shape is mended in memory, never in the files. Each mend says
  which rule, why, and the evidence; docs/harvesting.md lists them (a test checks that).

No warning is allowed, only ``sh:Info``: ``findings`` returns warnings and violations.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pyoxigraph import RdfFormat
from pyshacl import validate
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import SH

from iprkg.engine.oxigraph_store import OxigraphStore
from iprkg.services.dcat import catalog_triples
from iprkg.services.dcat_mends import MENDS
from iprkg.services.publication import Locations, describe, serialise
from iprkg.services.service import statistics

PROFILES: dict[str, tuple[str, ...]] = {
    "DCAT-AP-NO 3.0": ("dcat-ap-no-3.0/DCAT-AP-NO-shacl_shapes_3.ttl",),
    "DCAT-AP-NO 3.0 (modular shapes)": (
        "dcat-ap-no-3.0/dcatapno3-core-shapes.ttl",
        "dcat-ap-no-3.0/dcatapno3-range-shapes.ttl",
        "dcat-ap-no-3.0/dcatapno3-vocabulary-shapes.ttl",
    ),
    "DCAT-AP-NO 2.0": ("dcat-ap-no-2.0/DCAT-AP-NO-shacl_shapes_2.00.ttl",),
    "DCAT-AP 3.0.1": (
        "dcat-ap-3.0.1/shapes.ttl",
        "dcat-ap-3.0.1/range.ttl",
        "dcat-ap-3.0.1/mdr-vocabularies.shape.ttl",
        "dcat-ap-3.0.1/deprecateduris.ttl",
    ),
}
"""Each profile's shape files, relative to the external folder."""

VOCABULARIES = (
    "eu-data-theme/data-theme.ttl",
    "los/los.rdf",
    "eu-vocabularies/access-right-sparql-result.ttl",
    "eu-vocabularies/continent-sparql-result.ttl",
    "eu-vocabularies/country-sparql-result.ttl",
    "eu-vocabularies/distribution-status-sparql-result.ttl",
    "eu-vocabularies/filetypes-sparql-result.ttl",
    "eu-vocabularies/frequencies-sparql-result.ttl",
    "eu-vocabularies/language-sparql-result.ttl",
    "eu-vocabularies/licences-sparql-result.ttl",
    "eu-vocabularies/media-types.ttl",
    "eu-vocabularies/planned-availability-sparql-result.ttl",
)
"""What a harvester knows besides the catalogue, relative to the external folder."""


class ProfileFileError(Exception):
    """A shape or vocabulary file is missing or does not parse."""


class CatalogueRejected(Exception):
    """The catalogue of a build fails a profile: carries every finding."""

    def __init__(self, found: list[Finding]) -> None:
        self.findings = found
        count = len(found)
        super().__init__(
            f"the catalogue fails {count} rule{'' if count == 1 else 's'} of the DCAT profiles"
        )


@dataclass(frozen=True)
class Finding:
    """One result of a profile that is not ``sh:Info``."""

    profile: str
    severity: str
    """``Violation`` or ``Warning``."""
    node: str
    path: str
    rule: str
    """The shape that reported it (its IRI, or its message where it is a blank node)."""
    message: str

    def __str__(self) -> str:
        where = f"{self.node} {self.path}".strip()
        return f"{self.profile}: {self.severity} on {where}: {self.message} [{self.rule}]"


# ---------------------------------------------------------------- loading and checking


def parsed(path: Path) -> Graph:
    """``path`` parsed, or ProfileFileError naming it."""
    graph = Graph()
    try:
        graph.parse(path, format="xml" if path.suffix == ".rdf" else "turtle")
    except FileNotFoundError as error:
        raise ProfileFileError(f"{path}: missing ({error.strerror})") from error
    except Exception as error:  # rdflib raises many kinds for a broken file
        raise ProfileFileError(f"{path}: does not parse: {error}") from error
    return graph


@lru_cache(maxsize=8)
def profile_shapes(external: Path, profile: str) -> Graph:
    """The profile's shapes with its mends applied (cached: the files do not change)."""
    shapes = Graph()
    for name in PROFILES[profile]:
        shapes += parsed(external / name)
    for mend in MENDS:
        if profile in mend.profiles:
            mend.apply(shapes)
    return shapes


@lru_cache(maxsize=2)
def vocabularies(external: Path) -> Graph:
    """Everything in ``VOCABULARIES``."""
    graph = Graph()
    for name in VOCABULARIES:
        graph += parsed(external / name)
    return graph


def harvester_view(catalog: Graph, known: Graph) -> Graph:
    """The catalogue, and what the known vocabularies say of the IRIs it names (their
    types, schemes, labels and identifiers): what a validator holding them sees."""
    view = Graph()
    view += catalog
    for term in {o for o in catalog.objects() if isinstance(o, URIRef)}:
        for predicate, value in known.predicate_objects(term):
            if not isinstance(value, BNode):
                view.add((term, predicate, value))
    return view


def findings(catalog: Graph, external: Path, profiles: Iterable[str] = PROFILES) -> list[Finding]:
    """Every violation and warning of ``profiles`` on the catalogue as a harvester sees it."""
    view = harvester_view(catalog, vocabularies(external))
    found: list[Finding] = []
    for profile in profiles:
        _, report, _ = validate(
            view,
            shacl_graph=profile_shapes(external, profile),
            inference="none",
            advanced=True,
            allow_warnings=False,
        )
        assert isinstance(report, Graph)
        for result in report.objects(None, SH.result):
            severity = report.value(result, SH.resultSeverity)
            if severity == SH.Info:
                continue
            shape = report.value(result, SH.sourceShape)
            message = report.value(result, SH.resultMessage)
            found.append(
                Finding(
                    profile=profile,
                    severity=str(severity).rsplit("#", 1)[-1],
                    node=str(report.value(result, SH.focusNode)),
                    path=str(report.value(result, SH.resultPath) or ""),
                    rule=str(shape) if isinstance(shape, URIRef) else str(message or shape),
                    message=str(message or ""),
                )
            )
    return sorted(found, key=lambda f: (f.profile, f.node, f.path, f.message))


def stale_mends(external: Path) -> list[str]:
    """The mends that no longer change anything (upstream fixed the rule: drop the mend)."""
    stale = []
    for mend in MENDS:
        for profile in mend.profiles:
            shapes = Graph()
            for name in PROFILES[profile]:
                shapes += parsed(external / name)
            if mend.apply(shapes) == 0:
                stale.append(f"{mend.key} ({profile})")
    return stale


def has_profiles(external: Path) -> bool:
    """Whether ``external`` holds the profiles (a clone without it builds unchecked)."""
    return all((external / files[0]).parent.is_dir() for files in PROFILES.values())


def check_artefact(folder: Path, external: Path) -> list[Finding]:
    """The catalogue a server of the artefact in ``folder`` serves at its base (before
    any release), as every profile finds it: the build's own catalogue check."""
    store = OxigraphStore.from_dist(folder)
    publication = describe(store, statistics(store))
    triples = catalog_triples(publication, Locations(store.base_iri))
    catalog = Graph().parse(data=serialise(triples, RdfFormat.N_TRIPLES), format="nt")
    return findings(catalog, external)
