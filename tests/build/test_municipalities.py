"""Every municipality and county of Norway in 2024, from Kartverket's file
(``build.municipalities``, ``build.municipality_facts``).

Expected values are read from the file (``load_division``) and the data, never written
here, but for the IRI rule's examples (docs/model.md) and the two legacy IRIs.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from pathlib import Path

import pyshacl
import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from iprkg.artefact.manifest import read_manifest
from iprkg.build.build import build
from iprkg.build.municipalities import (
    COUNTIES_FILE,
    MUNICIPALITIES_FILE,
    Division,
    load_division,
    slug,
)
from iprkg.build.municipality_facts import DivisionSourceError, municipality_graph
from iprkg.build.sources import SourceError, load_sources
from support.project import (
    DEFAULT_BASE,
    PROJECT_ROOT,
    RunIprkg,
    project_settings,
    write_tiny_project,
)

IPR = f"{DEFAULT_BASE}ontology#"
SOURCE = URIRef(f"{DEFAULT_BASE}source/kartverket-2024")


@pytest.fixture(scope="module")
def division(external_dir: Path) -> Division:
    found = load_division(external_dir)
    assert found is not None, f"{external_dir} lacks {MUNICIPALITIES_FILE}"
    return found


def iri(local: str) -> URIRef:
    return URIRef(f"{DEFAULT_BASE}{local}")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Deatnu - Tana", "deatnu-tana"),
        ("Gáivuotna - Kåfjord - Kaivuono", "gaivuotna-kafjord-kaivuono"),
        ("Aurskog-Høland", "aurskog-holand"),
        ("Evenes - Evenášši", "evenes-evenassi"),
        ("Nore og Uvdal", "nore-og-uvdal"),
        ("Hægebostad", "hagebostad"),
        ("Ŋđ", "nd"),
    ],
)
def test_a_name_makes_its_slug_by_the_rule(name: str, expected: str) -> None:
    assert slug(name) == expected


def test_the_file_has_357_municipalities_in_15_counties(division: Division) -> None:
    assert len(division.municipalities) == 357
    assert len(division.counties) == 15
    slugs = [m.slug for m in division.municipalities]
    assert len(set(slugs)) == len(slugs)
    for twice in ("heroy-nordland", "heroy-more-og-romsdal", "valer-innlandet", "valer-ostfold"):
        assert twice in slugs


def test_every_municipality_of_2024_is_in_the_build(dataset: Graph, division: Division) -> None:
    numbers = {m.number: m for m in division.municipalities}
    found: dict[str, URIRef] = {}
    for municipality, number in dataset.subject_objects(URIRef(f"{IPR}municipalityNumber")):
        if (number, DCTERMS.source, SOURCE) in dataset:
            found[str(dataset.value(number, SKOS.notation))] = municipality  # type: ignore[assignment]
    assert set(found) == set(numbers)
    assert found["5007"] == iri("municipality/namsos")
    assert found["5043"] == iri("municipality/royrvik")
    for number, municipality in found.items():
        expected = numbers[number]
        if number not in ("5007", "5043"):
            assert municipality == iri(f"municipality/{expected.slug}")
        assert (municipality, RDF.type, URIRef(f"{IPR}Municipality")) in dataset
        assert (municipality, DCTERMS.source, SOURCE) in dataset
        county = dataset.value(municipality, URIRef(f"{IPR}inCounty"))
        assert county == iri(f"county/{expected.county.slug}")
        assert str(dataset.value(county, SKOS.notation)) == expected.county.number
        labels = sorted(
            (label.language, str(label)) for label in dataset.objects(municipality, RDFS.label)
        )
        assert [lang for lang, _ in labels] == ["en", "nb"], (municipality, labels)
    assert (iri("municipality/nome"), RDFS.label, Literal("Nome kommune", lang="nb")) in dataset
    oslo = found["0301"]
    assert (oslo, RDFS.label, Literal("Oslo kommune", lang="nb")) in dataset
    assert (oslo, RDFS.label, Literal("Oslo Municipality", lang="en")) in dataset


def test_every_county_is_a_county_with_its_names(dataset: Graph, division: Division) -> None:
    for county in division.counties:
        subject = iri(f"county/{county.slug}")
        assert (subject, RDF.type, URIRef(f"{IPR}County")) in dataset
        assert (subject, RDFS.label, Literal(county.official_name, lang="nb")) in dataset
        assert (subject, RDFS.label, Literal(county.official_name, lang="en")) in dataset


def test_the_municipalities_are_a_graph_of_their_own(built_dist: Path) -> None:
    manifest = read_manifest(built_dist)
    graphs = {g["source"]: g for g in manifest["graphs"]["graphs"]}
    assert graphs["municipalities"]["iri"] == f"{DEFAULT_BASE}graph/municipalities"
    assert {entry["path"] for entry in manifest["municipalities"]} == {
        MUNICIPALITIES_FILE,
        COUNTIES_FILE,
    }
    quads = (built_dist / "iprkg.nq").read_text(encoding="utf-8")
    assert f"<{DEFAULT_BASE}graph/municipalities> ." in quads


def test_the_numbers_made_from_the_file_conform_to_the_shapes(
    division: Division, external_dir: Path
) -> None:
    sources = load_sources(project_settings(PROJECT_ROOT, external=external_dir))
    data = sources.dataset()
    sample = dataclasses.replace(
        division,
        municipalities=tuple(
            m for m in division.municipalities if m.number in ("0301", "4018", "5007", "5401")
        ),
    )
    graph = municipality_graph(data, sample, DEFAULT_BASE)
    conforms, _, text = pyshacl.validate(
        data + graph, shacl_graph=sources.shapes, inference="none", advanced=True
    )
    assert conforms, text
    number = iri("municipality/oslo/number/0301")
    assert (number, SKOS.notation, Literal("0301")) in graph
    assert (number, RDFS.label, Literal("kommunenummer 0301 (2024)", lang="nb")) in graph
    nome_number = iri("municipality/nome/number/4018")  # the data describe it: source only
    assert set(graph.predicate_objects(nome_number)) == {(DCTERMS.source, SOURCE)}


def test_without_the_folder_the_build_goes_on_and_says_so(tmp_path: Path) -> None:
    root = write_tiny_project(tmp_path / "tiny")
    said: list[str] = []
    settings = project_settings(root, external=tmp_path / "nowhere")
    build(settings, progress=said.append)
    lines = [line for line in said if "municipalities of 2024" in line]
    assert len(lines) == 1, said
    manifest = read_manifest(settings.dist)
    assert "municipalities" not in manifest
    assert not [g for g in manifest["graphs"]["graphs"] if g["source"] == "municipalities"]


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],
        lambda text: json.dumps({"type": "FeatureCollection", "features": [{"geometry": None}]}),
        lambda text: text.replace('"kommunenummer":"0301"', '"kommunenummer":"301"', 1),
    ],
    ids=["truncated", "no-properties", "bad-number"],
)
def test_a_broken_file_fails_the_build_naming_it(
    tmp_path: Path, external_dir: Path, run_iprkg: RunIprkg, damage: object
) -> None:
    root = write_tiny_project(tmp_path / "tiny")
    broken = tmp_path / "broken"
    shutil.copytree(external_dir / "kommuner-2024", broken / "kommuner-2024")
    path = broken / MUNICIPALITIES_FILE
    text = path.read_text(encoding="utf-8")
    changed = damage(text)  # type: ignore[operator]
    assert changed != text
    path.write_text(changed, encoding="utf-8")
    with pytest.raises(SourceError, match=re.escape(MUNICIPALITIES_FILE)):
        build(project_settings(root, external=broken))
    result = run_iprkg("build", root=root, env={"IPRKG_EXTERNAL": str(broken)})
    assert result.returncode == 2, result.stderr
    assert MUNICIPALITIES_FILE in result.stderr and "Traceback" not in result.stderr
    assert issubclass(DivisionSourceError, SourceError)
