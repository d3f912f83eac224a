"""The comparison: matrices, the /compare page and its downloads, on fictitious councils.

The fixture dataset (``FIXTURE``) has three clearly fictitious councils, with the real
UN goals vocabulary beside them: Fjordheim, whose strategy's lists are complete; Skogvik,
whose focus-area list is cut off and whose goal list is of unknown completeness, with
focus areas on the strategy itself (no levels); and Dal, with no strategy and a label
holding ``<script>``. The real data's matrices are pinned by the golden answers of
``queries/compare/`` (tests/build/test_queries.py).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph

from iprkg.artefact.artefact import DatasetFile
from iprkg.engine.oxigraph_store import OxigraphStore
from iprkg.engine.results import select
from iprkg.services.comparison import Comparison
from iprkg.services.strategy import SDG_COLOURS
from iprkg.web.app import create_app
from iprkg.web.context import context_of

BASE = "https://w3id.org/iprkg/"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
FJORDHEIM = f"{BASE}council/fjordheim"
SKOGVIK = f"{BASE}council/skogvik"
DAL = f"{BASE}council/dal"
LOS = "https://psi.norge.no/los/tema/"
EU = "http://publications.europa.eu/resource/authority/data-theme/"
SDG = "http://metadata.un.org/sdg/"

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

# The themes' names, as the build publishes them from the authorities.
los:trafikk-og-transport skos:prefLabel "Trafikk og transport"@nb , "Traffic and transport"@en .
los:skole-og-utdanning skos:prefLabel "Skole og utdanning"@nb , "School and education"@en .
los:kultur-idrett-og-fritid skos:prefLabel "Kultur, idrett og fritid"@nb ,
    "Culture, sports and recreation"@en .
theme:TRAN skos:prefLabel "Transport"@nb , "Transport"@en ; skos:notation "TRAN" .
theme:EDUC skos:prefLabel "Utdanning, kultur og sport"@nb ,
    "Education, culture and sport"@en ; skos:notation "EDUC" .
theme:HEAL skos:prefLabel "Helse"@nb , "Health"@en ; skos:notation "HEAL" .

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
THEME_NAMES = {
    "nb": {
        f"{LOS}kultur-idrett-og-fritid": "Kultur, idrett og fritid",
        f"{LOS}skole-og-utdanning": "Skole og utdanning",
        f"{LOS}trafikk-og-transport": "Trafikk og transport",
        f"{EU}EDUC": "Utdanning, kultur og sport",
        f"{EU}HEAL": "Helse",
        f"{EU}TRAN": "Transport",
    },
    "en": {
        f"{LOS}kultur-idrett-og-fritid": "Culture, sports and recreation",
        f"{LOS}skole-og-utdanning": "School and education",
        f"{LOS}trafikk-og-transport": "Traffic and transport",
        f"{EU}EDUC": "Education, culture and sport",
        f"{EU}HEAL": "Health",
        f"{EU}TRAN": "Transport",
    },
}


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
    return context_of(fixture_app).comparison


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
    similarity = comparison.similarity(FJORDHEIM, SKOGVIK)
    assert (similarity.shared, similarity.union) == (3, 8)
    assert similarity.jaccard == pytest.approx(0.375)
    assert comparison.similarity(SKOGVIK, FJORDHEIM) == similarity
    assert comparison.similarity(DAL, SKOGVIK).jaccard == 0
    assert [other for other, _ in comparison.similar_to(SKOGVIK)] == [FJORDHEIM, DAL]


def test_similarity_agrees_with_the_query(
    comparison: Comparison, fixture_store: OxigraphStore
) -> None:
    """The page computes the Jaccard index from the matrices (``similar-councils.rq``
    grows with the square of the councils); it gives the query's answer for every pair."""
    query = (PROJECT_ROOT / "queries/compare/similar-councils.rq").read_text(encoding="utf-8")
    rows = select(fixture_store, query)
    assert len(rows) == 6
    for row in rows:
        found = comparison.similarity(str(row["council"]), str(row["other"]))
        assert (found.shared, found.union) == (int(str(row["shared"])), int(str(row["union"])))
        assert found.jaccard == pytest.approx(float(str(row["jaccard"])))


def test_the_comparison_is_computed_once_per_app(fixture_app: Flask) -> None:
    first = context_of(fixture_app).comparison
    assert fixture_app.test_client().get("/compare").status_code == 200
    assert context_of(fixture_app).comparison is first


# ---------------------------------------------------------------- the page


@dataclass
class GridRow:
    item: str
    label: str
    named_by: str
    cells: list[tuple[str, str, str]]
    """(status, href, title) per council, in column order."""


@dataclass
class Grid:
    columns: list[tuple[str, str]] = field(default_factory=list)
    """(short name, title: the full name) per council."""
    groups: list[str] = field(default_factory=list)
    rows: list[GridRow] = field(default_factory=list)
    totals: dict[str, list[int]] = field(default_factory=dict)


class GridReader(HTMLParser):
    """The page's matrices (``table.grid``), read as a reader would: texts and links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.grids: dict[str, Grid] = {}
        self.grid: Grid | None = None
        self.section = ""
        self.row: dict[str, str] = {}
        self.cell: dict[str, str] | None = None
        self.text: list[str] = []
        self.named_by: list[str] | None = None
        self.link: dict[str, str] = {}
        self.cells: list[tuple[str, str, str]] = []
        self.label = ""
        self.named_by_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "table" and "grid" in found.get("class", "").split():
            self.grid = self.grids[found["id"].removeprefix("grid-")] = Grid()
        if self.grid is None:
            return
        if tag in ("thead", "tbody", "tfoot"):
            self.section = tag
        elif tag == "tr":
            self.row, self.cells, self.label, self.named_by_text = found, [], "", ""
        elif tag in ("th", "td"):
            self.cell, self.text, self.link = found, [], {}
        elif tag == "a" and self.cell is not None and not self.link:
            self.link = found
        elif tag == "span" and found.get("class") == "named-by":
            self.named_by = []
        elif tag == "span" and "title" in found and self.cell is not None and not self.link:
            self.link = found

    def handle_data(self, data: str) -> None:
        if self.named_by is not None:
            self.named_by.append(data)
        elif self.cell is not None:
            self.text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self.grid is None:
            return
        if tag == "span" and self.named_by is not None:
            self.named_by_text, self.named_by = " ".join("".join(self.named_by).split()), None
        elif tag in ("th", "td") and self.cell is not None:
            self.end_cell(" ".join("".join(self.text).split()))
        elif tag == "tr":
            self.end_row()
        elif tag == "table":
            self.grid = None

    def end_cell(self, text: str) -> None:
        assert self.grid is not None and self.cell is not None
        classes = self.cell.get("class", "").split()
        if self.section == "thead" and "council" in classes:
            self.grid.columns.append((text, self.link.get("title", "")))
        elif "label" in classes:
            self.label = text
        elif "cell" in classes:
            self.cells.append(
                (self.cell["data-status"], self.link.get("href", ""), self.link.get("title", ""))
            )
        elif self.section == "tfoot":
            self.cells.append(("total", text, ""))
        self.cell = None

    def end_row(self) -> None:
        assert self.grid is not None
        if "group" in self.row.get("class", "").split():
            self.grid.groups.append(self.label)
        elif self.section == "tbody":
            self.grid.rows.append(
                GridRow(self.row["data-item"], self.label, self.named_by_text, self.cells)
            )
        elif self.section == "tfoot":
            self.grid.totals[self.row["data-status"]] = [int(text) for _, text, _ in self.cells]


def grids(html: str) -> dict[str, Grid]:
    reader = GridReader()
    reader.feed(html)
    reader.close()
    return reader.grids


def page_text(html: str) -> str:
    """The page's words, without markup."""
    return " ".join(re.sub(r"<[^>]+>", " ", html.split("<main", 1)[-1]).split())


def coverage_sentences(html: str) -> dict[str, str]:
    found = re.findall(r'<p class="coverage" data-kind="(\w+)">(.*?)</p>', html, re.S)
    return {kind: " ".join(re.sub(r"<[^>]+>", "", text).split()) for kind, text in found}


NAMED_BY = {
    "nb": re.compile(r"^nevnt av (\d+) av (\d+) regionråd(?: \((\d+) ukjent\))?$"),
    "en": re.compile(r"^named by (\d+) of (\d+) councils?(?: \((\d+) unknown\))?$"),
}


def check_totals(grid: Grid, lang: str) -> None:
    """Each row's "named by N of M (K unknown)" and each column's counts agree with the
    cells."""
    for row in grid.rows:
        match = NAMED_BY[lang].match(row.named_by)
        assert match, row.named_by
        statuses = [status for status, _, _ in row.cells]
        assert int(match[1]) == statuses.count("named")
        assert int(match[2]) == len(grid.columns) == len(statuses)
        assert int(match[3] or 0) == statuses.count("unknown")
    for status in ("named", "absent", "unknown"):
        assert grid.totals[status] == [
            [row.cells[index][0] for row in grid.rows].count(status)
            for index in range(len(grid.columns))
        ]


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_page_has_two_matrices_as_tables(compare_client: FlaskClient, lang: str) -> None:
    response = compare_client.get(f"/compare?lang={lang}")
    assert response.status_code == 200
    found = grids(response.text)
    assert set(found) == {"themes", "goals"}
    themes, goals = found["themes"], found["goals"]
    assert len(themes.columns) == len(goals.columns) == 3
    assert len(themes.rows) == len(THEMES) and len(goals.rows) == 17
    for grid in (themes, goals):
        for row in grid.rows:
            for status, href, title in row.cells:
                assert status in ("named", "absent", "unknown")
                assert href and title, row  # every cell links to its evidence
        check_totals(grid, lang)
    # Named, absent and unknown differ by symbol, not by colour alone.
    html = response.text
    for status, symbol in (("named", "●"), ("absent", "–"), ("unknown", "?")):
        assert re.search(
            rf'data-status="{status}"><a [^>]*><span aria-hidden="true">{re.escape(symbol)}</span>',
            html,
        )
    assert ("Forklaring" if lang == "nb" else "Legend") in html


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_rows_are_named_in_the_page_language(compare_client: FlaskClient, lang: str) -> None:
    html = compare_client.get(f"/compare?lang={lang}").text
    themes, goals = grids(html)["themes"], grids(html)["goals"]
    assert [row.label for row in themes.rows] == [
        THEME_NAMES[lang][iri]
        for iri in sorted(
            THEMES, key=lambda iri: (iri.startswith(EU), THEME_NAMES[lang][iri].casefold())
        )
    ]
    assert themes.groups == (
        ["Tema i LOS (Digdirs felles tema)", "EUs datatema"]
        if lang == "nb"
        else ["Themes in LOS (Digdir's themes)", "EU data themes"]
    )
    assert goals.rows[2].label == (
        "3. God helse og livskvalitet" if lang == "nb" else "3. Good health and well-being"
    )
    text = page_text(html)
    for code in ("trafikk-og-transport", "skole-og-utdanning", "TRAN", "EDUC", "HEAL"):
        assert not re.search(rf"(?<![\w/-]){code}(?![\w-])", text), code
    assert "skos:" not in html and "LOS:" not in text and "EU:" not in text


def test_coverage_sentences(compare_client: FlaskClient) -> None:
    english = coverage_sentences(compare_client.get("/compare?lang=en").text)
    # Dal has no strategy: nothing known. Fjordheim's lists are whole; Skogvik's focus
    # areas are cut off and nothing is said about its goals.
    assert english["themes"] == (
        "2 of 3 councils have data on themes; for the other 1 it is unknown. The list of "
        "focus areas is known to be whole for Fjordheim regional council (fictitious), and "
        "is known to be cut off for Skogvik regional council (fictitious); for the other 1 "
        "it is not known whether it is whole."
    )
    assert english["goals"].startswith("2 of 3 councils have goal data;")
    assert "for the other 2 it is not known whether it is whole" in english["goals"]
    only = coverage_sentences(
        compare_client.get(
            "/compare", query_string={"council": [DAL, FJORDHEIM, SKOGVIK], "lang": "nb"}
        ).text
    )
    assert only["goals"].startswith("2 av 3 regionråd har data om bærekraftsmål;")
    dal = coverage_sentences(
        compare_client.get("/compare", query_string={"council": [DAL], "lang": "en"}).text
    )
    assert dal == {
        "themes": "The council has no data on themes; every cell is unknown. It is not "
        "known whether its list of focus areas is whole.",
        "goals": "The council has no goal data; every cell is unknown. It is not known "
        "whether its list of goals is whole.",
    }
    single = coverage_sentences(
        compare_client.get(
            "/compare", query_string={"council": [DAL, SKOGVIK, FJORDHEIM, DAL], "lang": "nb"}
        ).text
    )
    assert single == only


def test_cells_link_to_their_evidence(compare_client: FlaskClient) -> None:
    found = grids(compare_client.get("/compare?lang=en").text)
    themes, goals = found["themes"], found["goals"]
    named = [cell for row in themes.rows for cell in row.cells if cell[0] == "named"]
    hrefs = {href for _, href, _ in named}
    assert "/focus-area/vegar?lang=en" in hrefs and "/focus-area/helse?lang=en" in hrefs
    goal_hrefs = {
        href for row in goals.rows for status, href, _ in row.cells if status != "unknown"
    }
    assert goal_hrefs == {
        "/strategy/fjordheim-2024-2030?lang=en",
        "/strategy/skogvik-2023-2027?lang=en",
    }
    unknown = {href for row in goals.rows for status, href, _ in row.cells if status == "unknown"}
    assert unknown <= {"/council/dal?lang=en", "/council/skogvik?lang=en"}
    title = next(title for _, href, title in named if href == "/focus-area/vegar?lang=en")
    assert "Roads" in title and "Traffic and transport" in title


def test_choosing_councils(compare_client: FlaskClient) -> None:
    html = compare_client.get("/compare", query_string={"council": [SKOGVIK, DAL]}).text
    found = grids(html)
    assert [full for _, full in found["themes"].columns] == [
        "Dal <script>alert(1)</script> råd (fiktivt)",
        "Skogvik regionråd (fiktivt)",
    ]
    assert all(len(row.cells) == 2 for row in found["goals"].rows)
    check_totals(found["themes"], "nb")
    # Chosen by IRI; the form names councils by key: unticked ones are still offered.
    assert 'name="council" value="fjordheim">' in html
    assert 'name="council" value="skogvik" checked>' in html
    # The downloads carry the same selection.
    assert "/compare/themes.csv?council=" in html
    assert "/compare/themes-grid.csv?council=" in html


def test_sorting_columns_by_similarity(compare_client: FlaskClient) -> None:
    html = compare_client.get("/compare", query_string={"like": SKOGVIK, "lang": "en"}).text
    assert [full for _, full in grids(html)["themes"].columns] == [
        "Skogvik regional council (fictitious)",
        "Fjordheim regional council (fictitious)",
        "Dal & co council (fictitious)",
    ]
    assert "Most similar to" in html and "0.375" in html


def named_count(row: GridRow) -> int:
    return [status for status, _, _ in row.cells].count("named")


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_sorting_rows_by_how_many_name_them(compare_client: FlaskClient, lang: str) -> None:
    by_name = grids(compare_client.get(f"/compare?lang={lang}").text)
    html = compare_client.get(f"/compare?lang={lang}&sort=named").text
    by_named = grids(html)
    assert 'value="named" selected' in html
    for kind in ("themes", "goals"):
        rows = by_named[kind].rows
        assert sorted(row.item for row in rows) == sorted(row.item for row in by_name[kind].rows)
        schemes = [row.item.startswith(EU) for row in rows]
        assert schemes == sorted(schemes)  # still grouped by authority
        for scheme in (False, True):
            counts = [named_count(row) for row in rows if row.item.startswith(EU) == scheme]
            assert counts == sorted(counts, reverse=True)
    goals = [row.item.rsplit("/", 1)[-1] for row in by_named["goals"].rows]
    assert goals[:2] == ["9", "3"]  # named by two, then by one; then by number
    assert [int(goal) for goal in goals[2:]] == sorted(int(goal) for goal in goals[2:])
    # The default is by name (goals by number), and the page links to both orders.
    assert [row.item.rsplit("/", 1)[-1] for row in by_name["goals"].rows] == [
        str(number) for number in range(1, 18)
    ]
    assert "sort=named" in compare_client.get(f"/compare?lang={lang}").text


def test_two_councils_side_by_side(compare_client: FlaskClient) -> None:
    response = compare_client.get(
        "/compare", query_string={"a": FJORDHEIM, "b": SKOGVIK, "lang": "en"}
    )
    assert response.status_code == 200
    html = response.text
    sides: dict[tuple[str, str], list[str]] = {}
    for kind, body in re.findall(r'<div class="pair" data-kind="(\w+)">(.*?)</div>', html, re.S):
        for side, items in re.findall(
            r'<h4 data-side="(\w+)">.*?</h4>\s*(?:<ul class="pair-items">(.*?)</ul>|<p>)',
            body,
            re.S,
        ):
            sides[(kind, side)] = re.findall(r'<li data-item="([^"]+)"', items)
    transport, culture = f"{LOS}trafikk-og-transport", f"{LOS}kultur-idrett-og-fritid"
    assert sorted(sides[("themes", "both")]) == sorted([transport, f"{EU}TRAN"])
    assert sides[("themes", "only_b")] == [culture]  # Fjordheim's list is whole
    assert sorted(sides[("themes", "a_unknown_b")]) == sorted(
        [f"{LOS}skole-og-utdanning", f"{EU}EDUC", f"{EU}HEAL"]
    )
    assert sides[("goals", "both")] == [f"{SDG}9"]
    assert sides[("goals", "a_unknown_b")] == [f"{SDG}3"]
    assert len(sides[("goals", "unknown")]) == 15  # absent for Fjordheim, unknown for Skogvik
    # Each item links to the evidence on both sides.
    item = re.search(rf'<li data-item="{re.escape(transport)}">(.*?)</li>', html, re.S)
    assert item and "/focus-area/vegar?lang=en" in item[1]
    assert "/focus-area/samferdsle?lang=en" in item[1]
    assert "Named by both" in html and "Only Skogvik regional council (fictitious)" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"a": FJORDHEIM, "b": FJORDHEIM}, "Choose two different councils."),
        ({"a": FJORDHEIM}, "Choose two councils."),
        ({"a": FJORDHEIM, "b": "https://example.org/nope"}, "Not a council here:"),
    ],
)
def test_side_by_side_mistakes_say_what_to_do(
    compare_client: FlaskClient, query: dict[str, str], message: str
) -> None:
    response = compare_client.get("/compare", query_string={**query, "lang": "en"})
    assert response.status_code == 200
    assert message in response.text
    assert '<div class="pair"' not in response.text


def test_unknown_councils_and_sorts_are_ignored_with_a_message(
    compare_client: FlaskClient,
) -> None:
    response = compare_client.get(
        "/compare",
        query_string={
            "council": "https://example.org/nope",
            "like": "<x>",
            "sort": "colour",
            "lang": "en",
        },
    )
    assert response.status_code == 200
    assert "Not a council, county or sort here, ignored" in response.text
    assert "https://example.org/nope" in response.text and "sort=colour" in response.text
    assert len(grids(response.text)["themes"].columns) == 3  # all councils, as without a choice
    for bad in ({"council": "nope"}, {"sort": "colour"}):
        download = compare_client.get("/compare/goals-grid.csv", query_string=bad)
        assert download.status_code == 400
    assert compare_client.get("/compare/other.csv").status_code == 404
    assert compare_client.get("/compare/goals.xml").status_code == 404
    assert compare_client.get("/compare/goals-grid.json").status_code == 404


def test_goal_colours_are_the_uns(project_root: Path) -> None:
    """The swatch beside each goal has the UN's colour, by class (no style attribute)."""
    css = (project_root / "server/iprkg/web/static/compare.css").read_text(encoding="utf-8")
    found = dict(re.findall(r"\.swatch\.goal-(\d+) \{ background: (#[0-9A-Fa-f]{6}); \}", css))
    assert {int(number): colour for number, colour in found.items()} == SDG_COLOURS


def test_labels_are_text_never_markup(compare_client: FlaskClient) -> None:
    html = compare_client.get("/compare?lang=nb").text
    assert "<script>alert(1)</script>" not in html
    assert "Dal &lt;script&gt;alert(1)&lt;/script&gt;" in html
    english = compare_client.get("/compare?lang=en").text
    assert "Dal &amp; co council" in english


# ---------------------------------------------------------------- downloads


def read_grid_csv(text: str) -> tuple[list[str], list[str], list[dict[str, str]]]:
    """The grid CSV: its council names, council IRIs and rows (by the names' header)."""
    lines = list(csv.reader(io.StringIO(text)))
    header, iris = lines[0], lines[1]
    assert header[: len(GRID_LEADING)] == list(GRID_LEADING)
    assert iris[: len(GRID_LEADING)] == [""] * len(GRID_LEADING)
    rows = [dict(zip(header, line, strict=True)) for line in lines[2:]]
    return header[len(GRID_LEADING) :], iris[len(GRID_LEADING) :], rows


GRID_LEADING = ("item", "itemName", "scheme", "named", "absent", "unknown")
STATUS_WORDS = {
    "nb": {"named": "nevnt", "absent": "ikke nevnt", "unknown": "ukjent"},
    "en": {"named": "named", "absent": "not named", "unknown": "unknown"},
}


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("kind", ["themes", "goals"])
@pytest.mark.parametrize(
    "query", [{}, {"sort": "named"}, {"council": [SKOGVIK, DAL]}, {"like": FJORDHEIM}]
)
def test_the_grid_csv_is_the_grid_on_the_page(
    compare_client: FlaskClient, lang: str, kind: str, query: dict[str, Any]
) -> None:
    arguments = {**query, "lang": lang}
    response = compare_client.get(f"/compare/{kind}-grid.csv", query_string=arguments)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    names, iris, rows = read_grid_csv(response.text)
    page = grids(compare_client.get("/compare", query_string=arguments).text)[kind]
    assert names == [full for _, full in page.columns]
    assert len(iris) == len(names) and all(iri.startswith(BASE + "council/") for iri in iris)
    assert [row["item"] for row in rows] == [row.item for row in page.rows]
    words = STATUS_WORDS[lang]
    for row, shown in zip(rows, page.rows, strict=True):
        assert row["itemName"] == shown.label
        assert row["scheme"] in ("LOS", "EU", "UN")
        assert [row[name] for name in names] == [words[status] for status, _, _ in shown.cells]
        for status in ("named", "absent", "unknown"):
            assert int(row[status]) == [cell[0] for cell in shown.cells].count(status)


def test_csv_downloads_parse(compare_client: FlaskClient) -> None:
    response = compare_client.get("/compare/themes.csv?lang=en")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == len(THEMES) * 3
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
    assert {r["itemName"] for r in rows} == set(THEME_NAMES["en"].values())
    nb = list(csv.DictReader(io.StringIO(compare_client.get("/compare/themes.csv?lang=nb").text)))
    assert any(r["councilName"] == "Dal <script>alert(1)</script> råd (fiktivt)" for r in nb)
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
    assert len(themes["cells"]) == len(THEMES) * 3


# ---------------------------------------------------------------- the real data


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_real_page_speaks_in_names(client: FlaskClient, lang: str) -> None:
    """The published data: every theme row is named by its label, never its slug or code;
    totals agree with the cells; both coverage sentences are there."""
    html = client.get(f"/compare?lang={lang}").text
    found = grids(html)
    for kind in ("themes", "goals"):
        assert found[kind].rows, kind
        check_totals(found[kind], lang)
    for row in found["themes"].rows:
        code = row.item.rstrip("/").rsplit("/", 1)[-1]
        assert row.label != code and code not in row.label, row
        assert not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+|[A-Z_]{3,}", row.label), row
    for row in found["goals"].rows:
        number = row.item.rsplit("/", 1)[-1]
        assert row.label.startswith(f"{number}. ") and "…" not in row.label
        assert len(row.label) > len(number) + 4
    assert "skos:" not in html and "…pro" not in html
    sentences = coverage_sentences(html)
    assert set(sentences) == {"themes", "goals"}
    councils = len(found["goals"].columns)
    for sentence in sentences.values():
        assert re.search(rf"\b{councils}\b", sentence)


def test_the_real_goal_grid_agrees_with_the_data(client: FlaskClient, dataset: Graph) -> None:
    """Every goal a council's strategy emphasises is "named" in the grid, and nothing else
    is; ``absent`` only where a list is said to be whole."""
    names, iris, rows = read_grid_csv(client.get("/compare/goals-grid.csv?lang=en").text)
    emphasised = {
        (str(council), str(goal))
        for council, goal in dataset.query(
            "SELECT ?council ?goal WHERE { ?s ipr:strategyOf ?council ; ipr:emphasisesGoal ?goal }",
            initNs={"ipr": f"{BASE}ontology#"},
        )
    }
    assert emphasised
    for row in rows:
        for name, iri in zip(names, iris, strict=True):
            assert (row[name] == "named") == ((iri, row["item"]) in emphasised), (iri, row)


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
