"""The map of the municipalities on pages: its colours agree with the comparison matrix for
every row and with each council's members; each municipality links to its page with a
title; legend, attribution and table are there in nb and en; without a map, no map."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from iprkg.artefact.artefact import DatasetFile
from iprkg.core.formats import N_TRIPLES
from iprkg.engine.oxigraph_store import OxigraphStore
from iprkg.engine.results import Text
from iprkg.engine.store import ReadOnlyStore
from iprkg.services import municipality_map as service
from iprkg.services.comparison import ABSENT, NAMED, UNKNOWN, Cell, Item, Matrix, read_comparison
from iprkg.web.app import create_app
from iprkg.web.municipality_map import item_map, map_data
from support.html import BROWSER
from support.project import PROJECT_ROOT

IPR = "https://w3id.org/iprkg/ontology#"
ORG = "http://www.w3.org/ns/org#"
BASE = "https://w3id.org/iprkg/"
LINKED_AREA = re.compile(r'<a href="/([^"?]+)[^"]*" class="map-([a-z-]+)"><title>([^<]*)</title>')


def coloured(html: str) -> dict[str, str]:
    """Municipality IRI -> the status its link on the map is drawn in."""
    return {BASE + path: status for path, status, _ in LINKED_AREA.findall(html)}


def current_councils(dataset: Graph) -> dict[str, set[str]]:
    """Each municipality -> the councils that state it as a current member (org:hasMember),
    read from the built dataset, not through the service."""
    found: dict[str, set[str]] = {}
    for council, member in dataset.subject_objects(URIRef(ORG + "hasMember")):
        if (council, RDF.type, URIRef(IPR + "RegionalCouncil")) in dataset:
            found.setdefault(str(member), set()).add(str(council))
    return found


def expected(matrix: Matrix, item: str, councils: set[str]) -> str:
    """docs/map.md: named if any council names it; not named if all its councils' complete
    lists leave it out; unknown otherwise; no council if it is in none."""
    statuses = {matrix.cell(item, council).status for council in councils}
    if not statuses:
        return "no-council"
    if NAMED in statuses:
        return "named"
    return "not-named" if statuses == {ABSENT} else "unknown"


@pytest.mark.parametrize("kind", ["themes", "goals"])
def test_the_map_agrees_with_the_matrix_for_every_row(
    app: Flask, store: OxigraphStore, dataset: Graph, kind: str
) -> None:
    comparison = read_comparison(store, PROJECT_ROOT / "queries" / "compare")
    matrix = comparison.themes if kind == "themes" else comparison.goals
    assert matrix.items, f"the comparison has no {kind}"
    councils = current_councils(dataset)
    with app.test_request_context("/compare"):
        data = map_data()
        assert data is not None, "the build has no map (is ../shared/external there?)"
        on_map = set(data.iris.values())
        seen: set[str] = set()
        for item in matrix.items:
            drawn = coloured(str(item_map(matrix, item.iri, Text("x", "x"))))
            assert set(drawn) == on_map
            for municipality, status in drawn.items():
                want = expected(matrix, item.iri, councils.get(municipality, set()))
                assert status == want, f"{municipality} for {item.iri}: {status}, not {want}"
            seen |= set(drawn.values())
    assert "named" in seen and "no-council" in seen


def test_a_municipality_in_two_councils_is_named_if_either_names_it() -> None:
    items = [Item("theme/a", "LOS")]
    cells = {
        ("theme/a", "council/one"): Cell(NAMED),
        ("theme/a", "council/two"): Cell(ABSENT),
        ("theme/a", "council/three"): Cell(ABSENT),
    }
    matrix = Matrix("themes", items, ["council/one", "council/two", "council/three", "c/4"], cells)
    assert service.item_status(matrix, "theme/a", ["council/one", "council/two"]) == "named"
    assert service.item_status(matrix, "theme/a", ["council/two", "council/three"]) == "not-named"
    assert service.item_status(matrix, "theme/a", ["council/two", "c/4"]) == "unknown"
    assert matrix.cell("theme/a", "c/4").status == UNKNOWN
    assert service.item_status(matrix, "theme/a", []) == "no-council"
    assert service.item_status(matrix, "theme/a", ["council/not-compared"]) == "no-council"


def test_members_uncertain_and_former_members() -> None:
    memberships = [
        service.Membership("c", "m/now", current=True, ended="", uncertain=False),
        service.Membership("c", "m/doubt", current=True, ended="", uncertain=True),
        service.Membership("c", "m/gone", current=False, ended="2023-12-31", uncertain=False),
        service.Membership("other", "m/else", current=True, ended="", uncertain=False),
    ]
    assert service.council_statuses(memberships, "c") == {
        "m/now": "member",
        "m/doubt": "uncertain",
        "m/gone": "former",
    }
    assert service.councils_of(memberships) == {
        "m/now": ["c"],
        "m/doubt": ["c"],
        "m/else": ["other"],
    }


def councils(dataset: Graph) -> list[str]:
    return sorted(str(c) for c in dataset.subjects(RDF.type, URIRef(IPR + "RegionalCouncil")))


def membership_facts(dataset: Graph, council: str) -> tuple[set[str], set[str]]:
    """The members of ``council`` with a membership that has no end, and with one that has."""
    open_, ended = set(), set()
    end = URIRef("http://www.w3.org/ns/dcat#endDate")
    for membership in dataset.subjects(URIRef(ORG + "organization"), URIRef(council)):
        for member in dataset.objects(membership, URIRef(ORG + "member")):
            periods = list(dataset.objects(membership, URIRef(ORG + "memberDuring")))
            if any((period, end, None) in dataset for period in periods):
                ended.add(str(member))
            else:
                open_.add(str(member))
    return open_, ended


def test_each_council_page_colours_its_members(client: FlaskClient, dataset: Graph) -> None:
    members = current_councils(dataset)
    for council in councils(dataset):
        page = client.get(
            council.removeprefix(BASE[:-1]), headers={"Accept": BROWSER}, follow_redirects=True
        )
        html = page.get_data(as_text=True)
        assert page.status_code == 200, council
        drawn = coloured(html)
        assert drawn, f"{council}: no map"
        open_, ended = membership_facts(dataset, council)
        for municipality, status in drawn.items():
            current = council in members.get(municipality, set()) or municipality in open_
            if current:
                assert status in ("member", "uncertain"), f"{council}: {municipality} {status}"
            elif municipality in ended:
                assert status == "former", f"{council}: {municipality} {status}"
            else:
                assert status == "other", f"{council}: {municipality} {status}"
        assert "© Kartverket" in html


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("nb", ["Medlem", "Andre kommuner", "Kartet som tabell", ": medlem</title>"]),
        ("en", ["Member", "Other municipalities", "The map as a table", ": member</title>"]),
    ],
)
def test_the_council_map_speaks_the_page_language(
    client: FlaskClient, dataset: Graph, lang: str, words: list[str]
) -> None:
    members = current_councils(dataset)
    council = next(c for c in councils(dataset) if any(c in found for found in members.values()))
    path = f"{council.removeprefix(BASE[:-1])}?lang={lang}"
    page = client.get(path, headers={"Accept": BROWSER}, follow_redirects=True)
    html = page.get_data(as_text=True)
    for said in words:
        assert said in html, f"{said!r} not on {council} in {lang}"
    assert 'role="group"' in html and "map.css" in html
    table = html[html.index('<details class="map-table"') :]
    assert table.count("<tr class=") == 357


def test_without_a_map_a_council_page_has_none(built_dist: Path, dataset: Graph) -> None:
    store: ReadOnlyStore = OxigraphStore.from_files(
        [DatasetFile(built_dist / f"iprkg.{N_TRIPLES.extension}")], BASE
    )
    app = create_app({"TESTING": True, "IPRKG_STORE": store})
    council = councils(dataset)[0]
    page = app.test_client().get(
        council.removeprefix(BASE[:-1]), headers={"Accept": BROWSER}, follow_redirects=True
    )
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "municipality-map" not in html and "map.css" not in html


def test_compare_draws_the_map_of_the_row_asked_for(client: FlaskClient) -> None:
    """/compare?map=IRI draws the map of that theme; the picker offers every row; a row
    that is not in the tables is a 400 in the page's language, never a 500."""
    page = client.get("/compare?lang=en", headers={"Accept": BROWSER})
    assert page.status_code == 200
    offered = re.findall(r'<option value="([^"]+)"', page.text)
    theme = next(iri for iri in offered if "/data-theme/" in iri)
    assert 'id="map-item"' in page.text and "<svg" not in page.text
    drawn = client.get(f"/compare?lang=en&map={theme}", headers={"Accept": BROWSER})
    assert drawn.status_code == 200
    assert "<svg" in drawn.text and "© Kartverket" in drawn.text
    assert f'<option value="{theme}" selected' in drawn.text
    for lang, words in (("nb", "Kartet kan bare vise"), ("en", "The map can show only")):
        wrong = client.get(
            f"/compare?lang={lang}&map=https://example.org/x", headers={"Accept": BROWSER}
        )
        assert wrong.status_code == 400 and words in wrong.text
