"""Adding a council is a data task: copy the template, fill it in, validate, build.

The template (``templates/council.ttl``) is filled with clearly fictitious example values
("EKSEMPEL regionråd", members taken from the existing data), copied into a temporary
copy of the project as ``data/councils/eksempel.ttl`` and built with the real ``iprkg``
command. The council must then be in the built dataset and, through the comparison
query, in the theme matrix. Four kinds of bad input must fail validation with a message
naming the file and the field.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest

from support.project import DEFAULT_BASE, PROJECT_ROOT, MakeProject, RunIprkg

TEMPLATE = PROJECT_ROOT / "templates" / "council.ttl"
THEME_MATRIX = PROJECT_ROOT / "queries" / "compare" / "theme-matrix.rq"
COUNCIL_FILE = "data/councils/eksempel.ttl"
COUNCIL = DEFAULT_BASE + "council/eksempel"


def add_council(root: Path, *edits: tuple[str, str]) -> Path:
    """Write the template, with each ``(old, new)`` edit applied once, as a council file."""
    text = TEMPLATE.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, f"the template should contain {old!r} once"
        text = text.replace(old, new)
    path = root / COUNCIL_FILE
    path.write_text(text, encoding="utf-8")
    return path


def built_store(root: Path) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.load(path=str(root / "dist" / "iprkg.nt"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return store


def test_the_template_marks_every_example_value() -> None:
    text = TEMPLATE.read_text(encoding="utf-8")
    assert "EKSEMPEL" in text and "<council/eksempel>" in text
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert sum("nb:" in line for line in comments) >= 10
    assert sum("en:" in line for line in comments) >= 10


def test_a_council_from_the_template_builds_and_is_found(
    make_project: MakeProject, run_iprkg: RunIprkg
) -> None:
    root = make_project()
    add_council(root)
    result = run_iprkg("build", root=root)
    assert result.returncode == 0, result.stdout + result.stderr

    store = built_store(root)
    ask = f"""
        PREFIX ipr: <{DEFAULT_BASE}ontology#>
        PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        ASK {{
            <{COUNCIL}> a ipr:RegionalCouncil ;
                rdfs:label "EKSEMPEL regionråd"@nb ;
                org:hasMember <{DEFAULT_BASE}municipality/nome> .
            ?strategy ipr:strategyOf <{COUNCIL}> ;
                ipr:focusArea <{DEFAULT_BASE}focus-area/samferdsel> .
        }}"""
    assert store.query(ask)

    if not THEME_MATRIX.is_file():
        pytest.skip("queries/compare/theme-matrix.rq does not exist yet")
    rows = store.query(THEME_MATRIX.read_text(encoding="utf-8"), base_iri=DEFAULT_BASE)
    named = {
        (row["council"].value, row["status"].value)
        for row in rows  # type: ignore[union-attr]
        if row["council"] is not None and row["status"] is not None
    }
    assert (COUNCIL, "named") in named


BAD_INPUT = [
    pytest.param(
        ("org:hasMember <municipality/nome> ,", "org:hasMember <municipality/finnes-ikke> ,"),
        "org:hasMember",
        "municipalities.ttl",
        id="unknown-municipality",
    ),
    pytest.param(
        (
            "    ipr:hasAmbition <strategy/eksempel-2024-2027/ambition/1> ;",
            "    ipr:hasAmbition <strategy/eksempel-2024-2027/ambition/1> ;\n"
            "    ipr:focusArea <focus-area/eksempel-tema> ;",
        ),
        "skos:closeMatch",
        "outside the schemes",
        id="theme-outside-the-schemes",
    ),
    pytest.param(
        ("ipr:emphasisesGoal sdg:3 , sdg:11 ;", "ipr:emphasisesGoal sdg:3 , sdg:18 ;"),
        "ipr:emphasisesGoal",
        "1 … /17",
        id="goal-outside-1-17",
    ),
    pytest.param(
        ('dcat:endDate "2027-12-31"^^xsd:date', 'dcat:endDate "2023-12-31"^^xsd:date'),
        "dcat:startDate",
        "before its end date",
        id="period-ending-before-it-starts",
    ),
]

# A focus area outside the shared scheme's rules: mapped to a theme that is neither LOS
# nor an EU data theme. Appended to the council file by the theme case.
OUTSIDE_THEME = """
<focus-area/eksempel-tema> a ipr:FocusArea ;
    skos:inScheme <focus-area> ;
    skos:prefLabel "EKSEMPEL tema"@nb , "EXAMPLE theme"@en ;
    skos:closeMatch <https://example.org/tema/eksempel> ;
    dct:source <https://example.org/eksempel-regionrad/strategi> .
"""


@pytest.mark.parametrize(("edit", "field", "says"), BAD_INPUT)
def test_bad_input_names_the_file_and_the_field(
    make_project: MakeProject,
    run_iprkg: RunIprkg,
    edit: tuple[str, str],
    field: str,
    says: str,
) -> None:
    root = make_project()
    path = add_council(root, edit)
    if "eksempel-tema" in edit[1]:
        with path.open("a", encoding="utf-8") as file:
            file.write(OUTSIDE_THEME)
    result = run_iprkg("validate", root=root)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = [
        line
        for line in result.stdout.splitlines()
        if line.startswith(COUNCIL_FILE) and field in line and says in line
    ]
    assert lines, f"no line names {COUNCIL_FILE} and {field}:\n{result.stdout}"


def test_bad_input_in_norwegian(make_project: MakeProject, run_iprkg: RunIprkg) -> None:
    root = make_project()
    add_council(root, ("ipr:emphasisesGoal sdg:3 , sdg:11 ;", "ipr:emphasisesGoal sdg:18 ;"))
    result = run_iprkg("validate", "--lang", "nb", root=root)
    assert result.returncode == 1
    assert any(
        line.startswith(COUNCIL_FILE) and "bærekraftsmål" in line
        for line in result.stdout.splitlines()
    ), result.stdout


# ---------------------------------------------------------------- the mistakes of a new user
# Each is one mistake a person adding a council made (issue 15): the build must refuse
# it with a message naming the file, the resource and what to write instead, and the
# last good build in dist must stay published, byte for byte.

TEMA = "<focus-area/eksempel-tema>"
USE_TEMA = (
    "    ipr:hasAmbition <strategy/eksempel-2024-2027/ambition/1> ;",
    "    ipr:hasAmbition <strategy/eksempel-2024-2027/ambition/1> ;\n"
    "    ipr:focusArea <focus-area/eksempel-tema> ;",
)


def focus_area(mapping: str) -> str:
    """A new focus area for the council file, mapped by ``mapping``."""
    return f"""
<focus-area/eksempel-tema> a ipr:FocusArea , skos:Concept ;
    skos:inScheme <focus-area> ;
    skos:prefLabel "EKSEMPEL tema"@nb , "EXAMPLE theme"@en ;
    {mapping} ;
    dct:source <https://example.org/eksempel-regionrad/strategi> .
"""


MISTAKES = [
    pytest.param(
        [("ipr:emphasisesGoal sdg:3 , sdg:11 ;", "ipr:emphasizesGoal sdg:3 , sdg:11 ;")],
        "",
        ["<strategy/eksempel-2024-2027>", "ipr:emphasizesGoal", "did you mean ipr:emphasisesGoal"],
        id="misspelt-ipr-property",
    ),
    pytest.param(
        [('dct:dateAccepted "2024-02-01"', 'dct:dateAcepted "2024-02-01"')],
        "",
        ["<strategy/eksempel-2024-2027>", "dct:dateAcepted", "did you mean dct:dateAccepted"],
        id="misspelt-dct-property",
    ),
    pytest.param(
        [USE_TEMA],
        focus_area(
            "skos:closeMatch <https://psi.norge.no/los/tema/bosetting> , "
            "<http://publications.europa.eu/resource/authority/data-theme/SOCI>"
        ),
        [TEMA, "los:bosetting", "not a theme in the LOS authority's file", "did you mean los:"],
        id="made-up-los-theme",
    ),
    pytest.param(
        [USE_TEMA],
        focus_area("skos:relatedMatch <https://psi.norge.no/los/tema/trafikk-og-transport>"),
        [TEMA, "names no theme", "skos:closeMatch", "relatedMatch and skos:narrowMatch alone"],
        id="related-match-only",
    ),
    pytest.param(
        [("ipr:incompleteList org:hasMember ;", "ipr:completeList org:hasMember ;")],
        "",
        ["<municipality/nome>", "in the complete member lists of <council/eksempel>"],
        id="member-of-two-complete-lists",
    ),
]


def dist_files(root: Path) -> dict[str, bytes]:
    """What is published: where dist points, and every file of the build it points to."""
    dist = root / "dist"
    files = {"->": str(dist.resolve()).encode()}
    for path in sorted(dist.resolve().rglob("*")):
        if path.is_file():
            files[path.relative_to(dist.resolve()).as_posix()] = path.read_bytes()
    return files


def good_build(make_project: MakeProject, run_iprkg: RunIprkg, env: dict[str, str]) -> Path:
    """A project with the template filled in well, built: the last good build."""
    root = make_project()
    add_council(root)
    result = run_iprkg("build", root=root, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


@pytest.mark.parametrize(("edits", "appended", "says"), MISTAKES)
def test_a_mistake_is_named_and_the_last_good_build_stays(
    make_project: MakeProject,
    run_iprkg: RunIprkg,
    external_dir: Path,
    edits: list[tuple[str, str]],
    appended: str,
    says: list[str],
) -> None:
    env = {"IPRKG_EXTERNAL": str(external_dir)}
    root = good_build(make_project, run_iprkg, env)
    before = dist_files(root)
    path = add_council(root, *edits)
    with path.open("a", encoding="utf-8") as file:
        file.write(appended)

    result = run_iprkg("build", root=root, env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = [
        line
        for line in result.stdout.splitlines()
        if line.startswith(COUNCIL_FILE) and all(fragment in line for fragment in says)
    ]
    assert lines, f"no line of {COUNCIL_FILE} says {says}:\n{result.stdout}"
    assert dist_files(root) == before


def test_a_missing_semicolon_is_named_at_its_line(
    make_project: MakeProject, run_iprkg: RunIprkg
) -> None:
    root = good_build(make_project, run_iprkg, {})
    before = dist_files(root)
    line = '    dct:dateAccepted "2024-02-01"^^xsd:date ;'
    path = add_council(root, (line, line.removesuffix(" ;")))
    number = path.read_text(encoding="utf-8").splitlines().index(line.removesuffix(" ;")) + 1

    result = run_iprkg("build", root=root)
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"error: {COUNCIL_FILE}:" in result.stderr
    assert f"most likely line {number}, which ends without ';'" in result.stderr
    assert dist_files(root) == before


def test_theme_checks_say_when_they_are_skipped(
    make_project: MakeProject, run_iprkg: RunIprkg, tmp_path: Path
) -> None:
    root = make_project()
    result = run_iprkg("validate", root=root, env={"IPRKG_EXTERNAL": str(tmp_path / "none")})
    skipped = [line for line in result.stderr.splitlines() if "checks skipped" in line]
    assert len(skipped) == 1 and "IPRKG_EXTERNAL" in skipped[0], result.stderr
