"""The vocabulary checks: unknown terms and theme IRIs are named, with "did you mean".

Each case writes one small Turtle file beside a copy of the real sources and checks
what ``check_vocabulary`` says about it; the real sources must give nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from iprkg.build.authorities import Themes, load_authorities
from iprkg.build.sources import Sources, load_sources
from iprkg.build.validation import NodeNames, format_violation
from iprkg.build.vocabulary_check import check_vocabulary
from iprkg.core.settings import Settings
from support.project import MakeProject

PREFIXES = """@prefix ipr: <ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix los: <https://psi.norge.no/los/tema/> .
@prefix ex: <https://example.org/vocabulary#> .
"""
FILE = "data/mistake.ttl"


@pytest.fixture
def themes(external_dir: Path) -> Themes:
    found = load_authorities(external_dir)
    assert found is not None, f"no theme authorities in {external_dir}"
    return found


def sources_with(make_project: MakeProject, turtle: str) -> Sources:
    root = make_project()
    (root / FILE).write_text(PREFIXES + turtle, encoding="utf-8")
    return load_sources(Settings.load(environ={}, root=root))


def lines(
    sources: Sources, themes: Themes | None, external: Path | None, lang: str = "en"
) -> list[str]:
    report = check_vocabulary(sources, lang, themes, external)
    names = NodeNames.of(sources)
    return [format_violation(v, names) for v in report.violations]


def test_the_real_sources_use_only_known_terms_and_themes(
    make_project: MakeProject, themes: Themes, external_dir: Path
) -> None:
    sources = sources_with(make_project, "")
    assert lines(sources, themes, external_dir) == []


CASES = [
    pytest.param(
        "<strategy/x> ipr:emphasizesGoal <http://metadata.un.org/sdg/3> .",
        "data/mistake.ttl:6: <strategy/x> ipr:emphasizesGoal: ipr:emphasizesGoal is not a "
        "property of the ontology (ontology/): did you mean ipr:emphasisesGoal?",
        id="ipr-property",
    ),
    pytest.param(
        "<strategy/x> a ipr:Strateggy .",
        "data/mistake.ttl:6: <strategy/x> rdf:type: ipr:Strateggy is not a class of the "
        "ontology (ontology/): did you mean ipr:Strategy",
        id="ipr-class",
    ),
    pytest.param(
        '<strategy/x> dct:dateAcepted "2024-02-01" .',
        "data/mistake.ttl:6: <strategy/x> dct:dateAcepted: dct:dateAcepted is not a property "
        "of DCMI Metadata Terms (dct:): did you mean dct:dateAccepted",
        id="dct-property",
    ),
    pytest.param(
        "<focus-area/x> skos:closeMatch los:bosetting .",
        "data/mistake.ttl:6: <focus-area/x> skos:closeMatch: los:bosetting is not a theme in "
        "the LOS authority's file: did you mean",
        id="made-up-los-theme",
    ),
    pytest.param(
        "<focus-area/x> skos:closeMatch los:hoyere-utdanning .",
        "data/mistake.ttl:6: <focus-area/x> skos:closeMatch: names the LOS sub-theme "
        "los:hoyere-utdanning (Higher education) but not the theme above it: add "
        "skos:broadMatch los:skole-og-utdanning",
        id="los-sub-theme-without-its-parent",
    ),
]


@pytest.mark.parametrize(("turtle", "expected"), CASES)
def test_a_mistake_is_named_with_what_to_write(
    make_project: MakeProject, themes: Themes, external_dir: Path, turtle: str, expected: str
) -> None:
    found = lines(sources_with(make_project, turtle), themes, external_dir)
    assert any(line.startswith(expected) for line in found), found


def test_a_sub_theme_with_its_parent_passes(
    make_project: MakeProject, themes: Themes, external_dir: Path
) -> None:
    turtle = "<focus-area/x> skos:closeMatch los:hoyere-utdanning ; skos:broadMatch los:skole-og-utdanning ."
    assert lines(sources_with(make_project, turtle), themes, external_dir) == []


def test_unknown_vocabularies_are_left_alone(
    make_project: MakeProject, themes: Themes, external_dir: Path
) -> None:
    turtle = "<strategy/x> ex:anything ex:Whatever ; a ex:Whatever ."
    assert lines(sources_with(make_project, turtle), themes, external_dir) == []


def test_messages_in_norwegian(
    make_project: MakeProject, themes: Themes, external_dir: Path
) -> None:
    turtle = "<strategy/x> ipr:emphasizesGoal <http://metadata.un.org/sdg/3> ."
    found = lines(sources_with(make_project, turtle), themes, external_dir, "nb")
    assert any("er ikke en egenskap i ontologien" in line and "mente du" in line for line in found)


def test_without_the_authorities_the_theme_checks_say_they_were_skipped(
    make_project: MakeProject,
) -> None:
    sources = sources_with(make_project, "<focus-area/x> skos:closeMatch los:bosetting .")
    report = check_vocabulary(sources, "en", None, None)
    assert report.violations == []
    assert report.skipped is not None and "IPRKG_EXTERNAL" in report.skipped
