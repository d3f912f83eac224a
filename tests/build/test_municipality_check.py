"""The municipality checks (``build.municipality_check``): bad input about municipalities
and memberships is a validation message naming the file and the resource."""

from __future__ import annotations

from pathlib import Path

import pytest

from iprkg.build.build import ValidationFailed, build
from iprkg.build.municipalities import Division, load_division
from iprkg.build.municipality_check import check_municipalities
from iprkg.build.sources import load_sources
from iprkg.build.validation import NodeNames, Violation, format_violation
from support.project import MakeProject, project_settings

PREFIXES = """\
@prefix ipr: <ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
NAME = "data/councils/zz-bad.ttl"


@pytest.fixture(scope="module")
def division(external_dir: Path) -> Division:
    found = load_division(external_dir)
    assert found is not None
    return found


def council(slug: str, members: str, complete: bool = True, extra: str = "") -> str:
    listed = "    ipr:completeList org:hasMember ;\n" if complete else ""
    return f"""
<council/{slug}> a ipr:RegionalCouncil ;
    rdfs:label "{slug} råd"@nb , "{slug} council"@en ;
{listed}    org:hasMember {members} ;
    dct:source <https://example.org/{slug}> .
{extra}"""


def membership(council: str, member: str, period: str = "", uncertain: bool = False) -> str:
    during = f"    org:memberDuring [ {period} ] ;\n" if period else ""
    doubt = "    ipr:uncertain true ;\n" if uncertain else ""
    return f"""
<council/{council}/membership/{member}/deltakerkommune> a org:Membership ;
    org:organization <council/{council}> ; org:member <municipality/{member}> ;
{during}{doubt}    org:role <role/deltakerkommune> .
"""


@pytest.fixture
def project(make_project: MakeProject) -> Path:
    return make_project()


def findings(root: Path, division: Division, text: str) -> list[str]:
    """The lines of the municipality checks on the real data plus ``text`` in NAME."""
    (root / NAME).write_text(PREFIXES + text, encoding="utf-8")
    sources = load_sources(project_settings(root))
    names = NodeNames.of(sources)
    found: list[Violation] = check_municipalities(sources, division, "en")
    return [format_violation(v, names) for v in found if NAME in ",".join(v.files)]


def test_the_real_data_pass(project: Path, division: Division) -> None:
    assert findings(project, division, "") == []


def test_a_2024_number_not_in_the_list(project: Path, division: Division) -> None:
    lines = findings(
        project,
        division,
        """
<municipality/nome> ipr:municipalityNumber <municipality/nome/number/4099> .
<municipality/nome/number/4099> a ipr:MunicipalityNumber ; skos:notation "4099" ;
    dcat:startDate "2024-01-01"^^xsd:date .
""",
    )
    assert any(
        "<municipality/nome> ipr:municipalityNumber" in line and "4099" in line for line in lines
    ), lines


def test_a_municipality_not_of_2024_gets_the_nearest(project: Path, division: Division) -> None:
    lines = findings(
        project,
        division,
        council("a", "<municipality/notoddn> , <municipality/skien>", complete=False)
        + membership("a", "notoddn")
        + membership("a", "skien"),
    )
    assert [line for line in lines if "<municipality/notoddn>" in line] == [
        f"{NAME}: <municipality/notoddn>: is not a municipality of 2024 in Kartverket's list: "
        "did you mean <municipality/notodden>? If it no longer exists, give it a dcat:endDate "
        "before 2024-01-01 (and dct:isReplacedBy its successor, where a source names one)"
    ]


def test_an_ended_municipality_is_no_finding_but_a_membership_past_its_end_is(
    project: Path, division: Division
) -> None:
    members = "<municipality/fosnes> , <municipality/skien>"
    ok = council("a", members, complete=False) + membership(
        "a", "fosnes", 'dcat:startDate "2017-11-24"^^xsd:date ; dcat:endDate "2019-12-31"^^xsd:date'
    )
    assert findings(project, division, ok + membership("a", "skien")) == []
    for period in ('dcat:startDate "2017-11-24"^^xsd:date', ""):
        late = council("a", members, complete=False) + membership("a", "fosnes", period)
        lines = findings(project, division, late + membership("a", "skien"))
        assert len(lines) == 1, lines
        assert "<council/a/membership/fosnes/deltakerkommune> org:memberDuring" in lines[0]
        assert "ended on 2019-12-31" in lines[0]


def test_one_member_in_two_complete_lists_at_once(project: Path, division: Division) -> None:
    both = council("a", "<municipality/skien> , <municipality/siljan>") + council(
        "b", "<municipality/skien> , <municipality/bamble>"
    )
    lines = findings(project, division, both)
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{NAME}, {NAME}: <municipality/skien>: is in the complete")
    assert "<council/a> and <council/b>" in lines[0]
    one_after_the_other = (
        both
        + membership(
            "a",
            "skien",
            'dcat:startDate "2015-01-01"^^xsd:date ; dcat:endDate "2022-12-31"^^xsd:date',
        )
        + membership("b", "skien", 'dcat:startDate "2023-01-01"^^xsd:date')
    )
    assert findings(project, division, one_after_the_other) == []
    disputed = both + membership("b", "skien", uncertain=True)
    assert findings(project, division, disputed) == []  # said in the data; in the report


def test_validation_blocks_and_names_file_and_resource(
    make_project: MakeProject, external_dir: Path
) -> None:
    root = make_project()
    (root / NAME).write_text(
        PREFIXES + council("a", "<municipality/notoddn> , <municipality/skien>", complete=False),
        encoding="utf-8",
    )
    with pytest.raises(ValidationFailed) as failure:
        build(project_settings(root, external=external_dir, dist=root / "dist"))
    lines = [format_violation(v, failure.value.names) for v in failure.value.violations]
    assert any(
        line.startswith(f"{NAME}: <municipality/notoddn>: is not a municipality of 2024")
        for line in lines
    ), lines
    assert not (root / "dist").exists()
