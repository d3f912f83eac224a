"""The comparison: matrices, the /compare page and its downloads, on fictitious councils.

The fixture dataset (``FIXTURE``) has three clearly fictitious councils, with the real
UN goals vocabulary beside them: Fjordheim, whose strategy's lists are complete; Skogvik,
whose focus-area list is cut off and whose goal list is of unknown completeness, with
focus areas on the strategy itself (no levels); and Dal, with no strategy and a label
holding ``<script>``. The real data's matrices are pinned by the golden answers of
``queries/compare/`` (tests/test_queries.py).
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from iprkg.app import create_app
from iprkg.artefact import DatasetFile
from iprkg.comparison import COMPARISON_KEY, Comparison, current_comparison
from iprkg.results import select
from iprkg.store import OxigraphStore

BASE = "https://w3id.org/iprkg/"
PROJECT_ROOT = Path(__file__).resolve().parents[1]
FJORDHEIM = f"{BASE}council/fjordheim"
SKOGVIK = f"{BASE}council/skogvik"
DAL = f"{BASE}council/dal"
LOS = "https://psi.norge.no/los/tema/"
EU = "http://publications.europa.eu/resource/authority/data-theme/"
SDG = "http://metadata.un.org/sdg/"
SVG = "{http://www.w3.org/2000/svg}"

FIXTURE = """\
@base <https://w3id.org/iprkg/> .
@prefix ipr: <ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix sdg: <http://metadata.un.org/sdg/> .
@prefix los: <https://psi.norge.no/los/tema/> .
@prefix theme: <http://publications.europa.eu/resource/authority/data-theme/> .

# Fictitious councils, for the comparison tests only.
<council/fjordheim> a ipr:RegionalCouncil ;
    rdfs:label "Fjordheim regionråd (fiktivt)"@nb , "Fjordheim regional council (fictitious)"@en ;
    org:hasMember <municipality/aa> , <municipality/bb> .
<strategy/fjordheim-2024-2030> a ipr:Strategy ;
    dct:title "Strategi for Fjordheim (fiktiv)"@nb , "Strategy for Fjordheim (fictitious)"@en ;
    ipr:strategyOf <council/fjordheim> ;
    ipr:completeList ipr:focusArea , ipr:emphasisesGoal , ipr:worksTowards ;
    ipr:hasLevel <strategy/fjordheim-2024-2030/level/regional> ;
    ipr:emphasisesGoal sdg:3 , sdg:9 .
<strategy/fjordheim-2024-2030/level/regional> a ipr:StrategyLevel ;
    rdfs:label "Regionalt nivå"@nb , "Regional level"@en ;
    ipr:position 1 ;
    ipr:worksTowards <stakeholder/fylket> ;
    ipr:focusArea <focus-area/vegar> , <focus-area/skule-og-helse> .
<focus-area/vegar> a ipr:FocusArea , skos:Concept ;
    skos:prefLabel "Vegar"@nb , "Roads"@en ;
    skos:closeMatch los:trafikk-og-transport , theme:TRAN .
<focus-area/skule-og-helse> a ipr:CompoundFocusArea , skos:Concept ;
    skos:prefLabel "Skule, helse"@nb , "School, health"@en ;
    dct:hasPart <focus-area/skule> , <focus-area/helse> .
<focus-area/skule> a ipr:FocusArea , skos:Concept ;
    skos:prefLabel "Skule"@nb , "School"@en ;
    skos:broadMatch los:skole-og-utdanning , theme:EDUC .
<focus-area/helse> a ipr:FocusArea , skos:Concept ;
    skos:prefLabel "Helse"@nb , "Health"@en ;
    skos:closeMatch theme:HEAL .

<council/skogvik> a ipr:RegionalCouncil ;
    rdfs:label "Skogvik regionråd (fiktivt)"@nb , "Skogvik regional council (fictitious)"@en ;
    org:hasMember <municipality/bb> , <municipality/cc> .
<strategy/skogvik-2023-2027> a ipr:Strategy ;
    dct:title "Plan for Skogvik (fiktiv)"@nb , "Plan for Skogvik (fictitious)"@en ;
    ipr:strategyOf <council/skogvik> ;
    ipr:incompleteList ipr:focusArea ;
    ipr:focusArea <focus-area/samferdsle> , <focus-area/kultur> ;
    ipr:worksTowards <stakeholder/fylket> ;
    ipr:emphasisesGoal sdg:9 .
<focus-area/samferdsle> a ipr:FocusArea , skos:Concept ;
    skos:prefLabel "Samferdsle"@nn , "Transport"@en ;
    skos:closeMatch los:trafikk-og-transport ;
    skos:broadMatch theme:TRAN .
<focus-area/kultur> a ipr:FocusArea , skos:Concept ;
    skos:prefLabel "Kultur"@nb , "Culture"@en ;
    skos:closeMatch los:kultur-idrett-og-fritid ;
    skos:relatedMatch theme:EDUC .

<council/dal> a ipr:RegionalCouncil ;
    rdfs:label "Dal <script>alert(1)</script> råd (fiktivt)"@nb , "Dal & co council (fictitious)"@en ;
    org:hasMember <municipality/cc> .

<municipality/aa> a ipr:Municipality ; rdfs:label "Aa (fiktiv)"@nb , "Aa (fictitious)"@en .
<municipality/bb> a ipr:Municipality ; rdfs:label "Bb (fiktiv)"@nb , "Bb (fictitious)"@en .
<municipality/cc> a ipr:Municipality ; rdfs:label "Cc (fiktiv)"@nb , "Cc (fictitious)"@en .
<stakeholder/fylket> a ipr:Stakeholder ;
    rdfs:label "Fylket (fiktivt)"@nb , "The county (fictitious)"@en .
"""
THEMES = [  # LOS first, then EU, each by IRI
    f"{LOS}kultur-idrett-og-fritid",
    f"{LOS}skole-og-utdanning",
    f"{LOS}trafikk-og-transport",
    f"{EU}EDUC",
    f"{EU}HEAL",
    f"{EU}TRAN",
]


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory: pytest.TempPathFactory) -> OxigraphStore:
    data = tmp_path_factory.mktemp("compare") / "councils.ttl"
    data.write_text(FIXTURE, encoding="utf-8")
    goals = PROJECT_ROOT / "data" / "vocabularies" / "sdg.ttl"
    return OxigraphStore.from_files([DatasetFile(data), DatasetFile(goals)], BASE)


@pytest.fixture
def fixture_app(fixture_store: OxigraphStore) -> Flask:
    return create_app({"TESTING": True, "IPRKG_STORE": fixture_store})


@pytest.fixture
def compare_client(fixture_app: Flask) -> FlaskClient:
    return fixture_app.test_client()


@pytest.fixture
def comparison(fixture_app: Flask) -> Comparison:
    with fixture_app.app_context():
        return current_comparison()


# ---------------------------------------------------------------- the matrices


def test_the_councils_are_the_columns(comparison: Comparison) -> None:
    assert comparison.councils == [DAL, FJORDHEIM, SKOGVIK]


def test_goal_matrix_named_absent_unknown(comparison: Comparison) -> None:
    goals = comparison.goals
    assert [item.number for item in goals.items] == list(range(1, 18))
    named = goals.cell(f"{SDG}3", FJORDHEIM)
    assert named.status == "named"
    assert named.evidence == (f"{BASE}strategy/fjordheim-2024-2030",)
    # Fjordheim's goal list is complete: goal 1 is known not to be named.
    absent = goals.cell(f"{SDG}1", FJORDHEIM)
    assert absent.status == "absent"
    assert absent.evidence == (f"{BASE}strategy/fjordheim-2024-2030",)
    # Skogvik names goal 9; nothing says its goal list is complete: the rest is unknown.
    assert goals.cell(f"{SDG}9", SKOGVIK).status == "named"
    assert goals.cell(f"{SDG}3", SKOGVIK).status == "unknown"
    assert goals.cell(f"{SDG}3", SKOGVIK).evidence == ()
    # Dal has no strategy: everything unknown.
    assert {goals.cell(item.iri, DAL).status for item in goals.items} == {"unknown"}
    assert goals.counts(f"{SDG}9") == {"named": 2, "absent": 0, "unknown": 1}


def test_theme_matrix_meets_through_the_mappings(comparison: Comparison) -> None:
    themes = comparison.themes
    assert [item.iri for item in themes.items] == THEMES
    transport = f"{LOS}trafikk-og-transport"
    # "Vegar" and "Samferdsle" meet at the same LOS theme.
    assert themes.cell(transport, FJORDHEIM).evidence == (f"{BASE}focus-area/vegar",)
    assert themes.cell(transport, SKOGVIK).evidence == (f"{BASE}focus-area/samferdsle",)
    # A part of a compound focus area is evidence (reached by dct:hasPart).
    assert themes.cell(f"{EU}HEAL", FJORDHEIM).evidence == (f"{BASE}focus-area/helse",)
    # relatedMatch does not count: Skogvik's "Kultur" does not name EDUC; its list is cut
    # off, so EDUC is unknown there, not absent.
    assert themes.cell(f"{EU}EDUC", SKOGVIK).status == "unknown"
    assert themes.cell(f"{EU}HEAL", SKOGVIK).status == "unknown"
    assert themes.cell(f"{EU}HEAL", DAL).status == "unknown"


def test_absent_only_where_the_list_is_complete(comparison: Comparison) -> None:
    # Only Skogvik names culture. Fjordheim's focus-area list is complete: absent, with
    # the strategy saying so as evidence; Dal has no strategy: unknown.
    culture = f"{LOS}kultur-idrett-og-fritid"
    assert comparison.themes.cell(culture, SKOGVIK).status == "named"
    absent = comparison.themes.cell(culture, FJORDHEIM)
    assert absent.status == "absent"
    assert absent.evidence == (f"{BASE}strategy/fjordheim-2024-2030",)
    assert comparison.themes.cell(culture, DAL).status == "unknown"


def test_similarity_is_jaccard_over_themes_and_goals(comparison: Comparison) -> None:
    # Fjordheim: 5 themes + goals 3, 9 = 7; Skogvik: LOS culture and transport, EU TRAN,
    # goal 9 = 4; shared: LOS transport, EU TRAN, goal 9 = 3; union 8.
    similarity = comparison.similarity[(FJORDHEIM, SKOGVIK)]
    assert (similarity.shared, similarity.union) == (3, 8)
    assert similarity.jaccard == pytest.approx(0.375)
    assert comparison.similarity[(SKOGVIK, FJORDHEIM)] == similarity
    assert comparison.similarity[(DAL, SKOGVIK)].jaccard == 0
    assert [other for other, _ in comparison.similar_to(SKOGVIK)] == [FJORDHEIM, DAL]


def test_the_comparison_is_computed_once_per_app(fixture_app: Flask) -> None:
    with fixture_app.app_context():
        first = current_comparison()
        assert fixture_app.extensions[COMPARISON_KEY] is first
        assert current_comparison() is first


# ---------------------------------------------------------------- the page


def svgs(html: str) -> list[ET.Element]:
    """Every inline SVG of the page, parsed as XML (it must be well-formed)."""
    return [ET.fromstring(text) for text in re.findall(r"<svg\b.*?</svg>", html, re.S)]


def cells(svg: ET.Element) -> list[ET.Element]:
    return [a for a in svg.iter(f"{SVG}a") if "cell" in (a.get("class") or "").split()]


def test_the_page_has_two_heatmaps_as_svg(compare_client: FlaskClient) -> None:
    response = compare_client.get("/compare?lang=nb")
    assert response.status_code == 200
    themes, goals = svgs(response.text)
    assert themes.get("id") == "heatmap-themes" and goals.get("id") == "heatmap-goals"
    assert len(cells(themes)) == 6 * 3
    assert len(cells(goals)) == 17 * 3
    for svg in (themes, goals):
        assert svg.get("role") == "group" and svg.get("aria-labelledby")
        for cell in cells(svg):
            assert cell.find(f"{SVG}title") is not None
            assert cell.get("href")
            assert cell.get("data-status") in ("named", "absent", "unknown")
    # Named, absent and unknown differ by symbol, not by colour alone.
    symbols = {
        cell.get("data-status"): cell.find(f"{SVG}text").text  # type: ignore[union-attr]
        for cell in cells(goals)
    }
    assert symbols == {"named": "●", "absent": "–", "unknown": "?"}
    assert "Forklaring" in response.text  # the text legend


def test_cells_link_to_their_evidence(compare_client: FlaskClient) -> None:
    html = compare_client.get("/compare?lang=en").text
    (themes, goals) = svgs(html)
    named = [c for c in cells(themes) if c.get("data-status") == "named"]
    hrefs = {c.get("href") for c in named}
    assert "/focus-area/vegar?lang=en" in hrefs and "/focus-area/helse?lang=en" in hrefs
    goal_hrefs = {c.get("href") for c in cells(goals) if c.get("data-status") != "unknown"}
    assert goal_hrefs == {
        "/strategy/fjordheim-2024-2030?lang=en",
        "/strategy/skogvik-2023-2027?lang=en",
    }
    unknown = [c for c in cells(goals) if c.get("data-status") == "unknown"]
    assert {c.get("href") for c in unknown} <= {
        "/council/dal?lang=en",
        "/council/skogvik?lang=en",
    }
    title = next(c for c in named if c.get("href") == "/focus-area/vegar?lang=en")
    assert "Roads" in (title.findtext(f"{SVG}title") or "")


def test_choosing_councils(compare_client: FlaskClient) -> None:
    html = compare_client.get("/compare", query_string={"council": [SKOGVIK, DAL]}).text
    themes, goals = svgs(html)
    assert len(cells(themes)) == 6 * 2 and len(cells(goals)) == 17 * 2
    assert "Fjordheim" not in "".join(themes.itertext())
    assert f'value="{FJORDHEIM}">' in html  # unchecked, still offered
    assert f'value="{SKOGVIK}" checked>' in html
    # The downloads carry the same selection.
    assert "/compare/themes.csv?council=" in html


def test_sorting_by_similarity(compare_client: FlaskClient) -> None:
    html = compare_client.get("/compare", query_string={"like": SKOGVIK, "lang": "en"}).text
    themes, _ = svgs(html)
    columns = [a.findtext(f"{SVG}title") for a in themes.find(f"{SVG}g[@class='columns']")]  # type: ignore[union-attr]
    assert columns == [
        "Skogvik regional council (fictitious)",
        "Fjordheim regional council (fictitious)",
        "Dal & co council (fictitious)",
    ]
    assert "Most similar to" in html and "0.375" in html


def test_unknown_councils_are_ignored_with_a_message(compare_client: FlaskClient) -> None:
    response = compare_client.get(
        "/compare",
        query_string={"council": "https://example.org/nope", "like": "<x>", "lang": "en"},
    )
    assert response.status_code == 200
    assert "Not a council here, ignored" in response.text
    assert "https://example.org/nope" in response.text
    assert len(cells(svgs(response.text)[0])) == 6 * 3  # all councils, as without a choice
    download = compare_client.get("/compare/goals.csv", query_string={"council": "nope"})
    assert download.status_code == 400
    assert compare_client.get("/compare/other.csv").status_code == 404
    assert compare_client.get("/compare/goals.xml").status_code == 404


def test_labels_are_text_never_markup(compare_client: FlaskClient) -> None:
    html = compare_client.get("/compare?lang=nb").text
    assert "<script>alert(1)</script>" not in html
    assert "Dal &lt;script&gt;alert(1)&lt;/script&gt;" in html
    english = compare_client.get("/compare?lang=en").text
    assert "Dal &amp; co council" in english
    svgs(english)  # still well-formed XML


# ---------------------------------------------------------------- downloads


def test_csv_downloads_parse(compare_client: FlaskClient) -> None:
    response = compare_client.get("/compare/themes.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 6 * 3
    assert set(rows[0]) == {
        "council",
        "councilName",
        "item",
        "itemName",
        "scheme",
        "status",
        "evidence",
    }
    transport = [r for r in rows if r["item"] == f"{LOS}trafikk-og-transport"]
    assert {r["council"]: r["status"] for r in transport} == {
        DAL: "unknown",
        FJORDHEIM: "named",
        SKOGVIK: "named",
    }
    assert any(r["councilName"] == "Dal <script>alert(1)</script> råd (fiktivt)" for r in rows)
    goals = list(csv.DictReader(io.StringIO(compare_client.get("/compare/goals.csv").text)))
    assert len(goals) == 17 * 3


def test_json_downloads_parse_with_the_selection(compare_client: FlaskClient) -> None:
    response = compare_client.get(
        "/compare/goals.json", query_string={"council": FJORDHEIM, "lang": "en"}
    )
    assert response.status_code == 200 and response.mimetype == "application/json"
    document = json.loads(response.text)
    assert document["matrix"] == "goals"
    assert document["councils"] == [
        {"council": FJORDHEIM, "name": "Fjordheim regional council (fictitious)"}
    ]
    statuses = {cell["item"]: cell["status"] for cell in document["cells"]}
    assert statuses[f"{SDG}3"] == "named" and statuses[f"{SDG}1"] == "absent"
    themes = json.loads(compare_client.get("/compare/themes.json").text)
    assert len(themes["cells"]) == 6 * 3


def test_the_real_data_compare(client: FlaskClient) -> None:
    """The published data: Nome og Midt-Telemark's six goals named, the others absent
    (its strategy's goal list is complete) or unknown (not yet marked complete)."""
    response = client.get("/compare?lang=nb")
    assert response.status_code == 200
    _, goals = svgs(response.text)
    assert len(cells(goals)) % 17 == 0
    nome = client.get(
        "/compare/goals.json", query_string={"council": f"{BASE}council/nome-midt-telemark"}
    ).json
    assert nome is not None
    named = sorted(
        int(c["item"].rsplit("/", 1)[-1]) for c in nome["cells"] if c["status"] == "named"
    )
    assert named == [3, 4, 8, 9, 11, 17]


def test_shared_municipalities_and_partners(fixture_store: OxigraphStore) -> None:
    folder = PROJECT_ROOT / "queries" / "compare"

    def pairs(name: str, key: str) -> set[tuple[str, str]]:
        rows = select(fixture_store, (folder / f"{name}.rq").read_text(encoding="utf-8"))
        return {(str(row[key]).removeprefix(BASE), str(row["council"])) for row in rows}

    assert pairs("shared-municipalities", "municipality") == {
        ("municipality/bb", FJORDHEIM),
        ("municipality/bb", SKOGVIK),
        ("municipality/cc", SKOGVIK),
        ("municipality/cc", DAL),
    }
    # Named at a level (Fjordheim) and on the strategy itself (Skogvik).
    assert pairs("shared-partners", "stakeholder") == {
        ("stakeholder/fylket", FJORDHEIM),
        ("stakeholder/fylket", SKOGVIK),
    }
