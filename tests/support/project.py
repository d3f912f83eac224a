"""The project under test: its root, the default base, a tiny self-contained project,
settings that ignore the developer's IPRKG_* variables, and the ``iprkg`` command's
environment. Plain helpers; the fixtures that use them are in tests/conftest.py.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

from iprkg.core.settings import SETTINGS, Settings

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BASE = "https://w3id.org/iprkg/"

RunIprkg = Callable[..., "subprocess.CompletedProcess[str]"]
MakeProject = Callable[..., Path]

TINY_ONTOLOGY = """\
@prefix ipr: <ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

ipr:Organisation a owl:Class .
ipr:Council a owl:Class ;
    rdfs:subClassOf ipr:Organisation ,
        [ a owl:Restriction ; owl:onProperty rdfs:label ; owl:minCardinality 1 ] .
"""

TINY_DATA = """\
@prefix ipr: <ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

<council/tiny> a ipr:Council ;
    rdfs:label "Tiny regionråd"@nb , "Tiny regional council"@en .
"""

TINY_SHAPES = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ipr: <ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

<shapes#OrganisationShape> a sh:NodeShape ;
    sh:targetClass ipr:Organisation ;
    sh:property [
        sh:path rdfs:label ;
        sh:minCount 1 ;
        sh:message "Mangler navn"@nb , "Missing a label"@en ;
    ] .
"""
"""The shape targets ipr:Organisation, so it reaches councils only via rdfs:subClassOf."""


def write_tiny_project(root: Path) -> Path:
    """Write the tiny project into ``root`` and return ``root``.

    Both the ontology and the data declare ``@prefix ipr: <ontology#>``, relative to the
    base IRI; the data file sits in data/councils/, so it is found only recursively.
    """
    files = {
        "ontology/tiny.ttl": TINY_ONTOLOGY,
        "data/councils/tiny.ttl": TINY_DATA,
        "shapes/tiny.ttl": TINY_SHAPES,
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def project_settings(root: Path, **overrides: str | Path | None) -> Settings:
    """Default settings for the project at ``root`` (ignores the developer's IPRKG_*)."""
    return Settings.load(environ={}, root=root, **overrides)


def iprkg_environment(root: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment without any setting, plus IPRKG_ROOT and ``extra``."""
    settings = {setting.env for setting in SETTINGS}
    environment = {k: v for k, v in os.environ.items() if k not in settings}
    environment["IPRKG_ROOT"] = str(root)
    environment.update(extra or {})
    return environment
