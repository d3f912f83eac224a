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

from conftest import DEFAULT_BASE, PROJECT_ROOT, MakeProject, RunIprkg

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
