"""The strategy page: the strategy's IRI, asked for HTML, reads like the strategy."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from urllib.parse import urlencode

import pytest
from flask.testing import FlaskClient
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from iprkg.artefact.artefact import DatasetFile
from iprkg.engine.oxigraph_store import OxigraphStore
from iprkg.services.strategy import SDG_COLOURS, contrast_ratio, text_colour
from iprkg.web.app import create_app

BASE = "https://w3id.org/iprkg/"
STRATEGY = "strategy/nome-midt-telemark-2022-2035"
IPR = f"{BASE}ontology#"
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def page(client: FlaskClient, path: str = STRATEGY, lang: str = "nb") -> str:
    response = client.get(
        f"/{path}", query_string={"lang": lang}, headers=BROWSER, follow_redirects=True
    )
    assert response.status_code == 200, response.text
    assert response.mimetype == "text/html"
    return response.text


def in_order(text: str, items: list[str]) -> bool:
    positions = [text.find(item) for item in items]
    return -1 not in positions and positions == sorted(positions)


def test_the_strategy_iri_answers_the_reading_view(client: FlaskClient) -> None:
    html = page(client)
    assert 'class="strategy"' in html
    assert '<h1 id="strategy-title">Strategi for Nome og Midt-Telemark IPR 2022-2035</h1>' in html
    assert 'href="/council/nome-midt-telemark?lang=nb"' in html  # the chosen language kept
    assert "Nome og Midt-Telemark interkommunale politiske råd" in html
    assert '<time datetime="2022-01-01">2022</time>–<time datetime="2035-12-31">2035</time>' in html
    assert "skal jobbe for å fremme positiv samfunnsutvikling i regionen" in html
    assert "638 kB" in html


def test_english_is_the_translation(client: FlaskClient) -> None:
    html = page(client, lang="en")
    assert "Strategy for Nome and Midt-Telemark IPR 2022–2035" in html
    assert "Whom shall we work towards?" in html
    assert "Partnerships for the goals" in html


def test_levels_in_order_with_stakeholders_and_focus_areas(client: FlaskClient) -> None:
    html = page(client)
    assert in_order(html, ["Nasjonalt nivå", "Regionalt nivå", "Kommunenivå"])
    national, regional, municipal = re.findall(
        r'<li class="level".*?</li>\s*</ul>\s*</section>\s*</div>', html, re.S
    )
    assert "Telemarksbenken" in national and "Mineralutvinning" in national
    assert "Statsforvalteren" in regional and "Sykehuset Telemark" in regional
    assert "andre regionråd" in municipal and "Eierskap" in municipal
    # The compound focus area, with its three parts under it, at both levels it is named.
    for level in (regional, municipal):
        compound = level.index("Næringsutvikling, befolkningsutvikling, barn og unge")
        parts = level.index('<ul class="parts"', compound)
        for part in ("Barn og unge", "Befolkningsutvikling", "Næringsutvikling</a>"):
            assert level.index(part, parts) > parts


def test_premises_and_ambitions_in_their_order(client: FlaskClient, dataset: Graph) -> None:
    html = page(client)
    for kind, link in (("principle", "hasPremise"), ("ambition", "hasAmbition")):
        items = list(dataset.objects(URIRef(BASE + STRATEGY), URIRef(IPR + link)))
        ordered = sorted(items, key=lambda item: int(dataset.value(item, URIRef(IPR + "position"))))
        labels = [
            next(str(name) for name in dataset.objects(item, RDFS.label) if name.language == "nb")
            for item in ordered
        ]
        assert len(labels) == (5 if kind == "principle" else 3)
        assert in_order(html, labels), kind


def test_goals_with_the_uns_colours(client: FlaskClient) -> None:
    html = page(client)
    # The colour is the class's (views.css: li.goal.goal-N, checked against SDG_COLOURS in
    # test_html_safety): the Content-Security-Policy allows no style attribute.
    goals = re.findall(r'<li class="goal goal-(\d+)">\s*<a href="([^"]+)" data-goal="(\d+)"', html)
    assert [int(number) for *_, number in goals] == [3, 4, 8, 9, 11, 17]
    for colour_class, href, number in goals:
        assert colour_class == number
        # the goal's page here: the data describe the UN's IRI
        goal_iri = f"http://metadata.un.org/sdg/{number}"
        assert unescape(href) == "/resource?" + urlencode({"iri": goal_iri, "lang": "nb"})
    assert "God helse og livskvalitet" in html
    assert "Bærekraftsmålene er rammeverket for utviklingen i regionen" in html


def test_sources_are_listed(client: FlaskClient) -> None:
    html = page(client)
    section = html[html.index('id="sources"') :]
    assert "https://www.nome.kommune.no/tjenester/politikk-og-organisasjon/" in section


@pytest.mark.parametrize("number", sorted(SDG_COLOURS))
def test_each_goal_colour_has_readable_text(number: int) -> None:
    colour = SDG_COLOURS[number]
    assert re.fullmatch(r"#[0-9A-F]{6}", colour)
    assert contrast_ratio(colour, text_colour(colour)) >= 4.5


def test_the_colour_table_is_the_uns_seventeen() -> None:
    assert sorted(SDG_COLOURS) == list(range(1, 18))
    assert SDG_COLOURS[1] == "#E5243B" and SDG_COLOURS[17] == "#19486A"
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21)


def test_other_resources_keep_the_resource_page(client: FlaskClient) -> None:
    html = page(client, "council/nome-midt-telemark")
    assert 'class="strategy"' not in html


ANOTHER_COUNCIL = """\
@prefix ipr: <https://w3id.org/iprkg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/iprkg/council/other> a ipr:RegionalCouncil ;
    rdfs:label "Annet råd"@nb , "Other council"@en .
<https://w3id.org/iprkg/strategy/other-2024-2028> a ipr:Strategy ;
    dct:title "Strategi <script>alert(1)</script>"@nb , "Strategy & co"@en ;
    ipr:strategyOf <https://w3id.org/iprkg/council/other> ;
    ipr:hasLevel <https://w3id.org/iprkg/strategy/other-2024-2028/level/b> ,
        <https://w3id.org/iprkg/strategy/other-2024-2028/level/a> ;
    ipr:hasAmbition <https://w3id.org/iprkg/strategy/other-2024-2028/ambition/1> ;
    ipr:emphasisesGoal <http://metadata.un.org/sdg/7> .
<https://w3id.org/iprkg/strategy/other-2024-2028/level/a> ipr:position 1 ;
    rdfs:label "Første nivå"@nb , "First level"@en ;
    ipr:focusArea <https://w3id.org/iprkg/focus-area/x> .
<https://w3id.org/iprkg/strategy/other-2024-2028/level/b> ipr:position 2 ;
    rdfs:label "Andre nivå"@nb , "Second level"@en .
<https://w3id.org/iprkg/focus-area/x> skos:prefLabel "Fokus X"@nb , "Focus X"@en .
<https://w3id.org/iprkg/strategy/other-2024-2028/ambition/1> ipr:position 1 ;
    rdfs:label "Bli best"@nb , "Be the best"@en .
"""


def test_any_councils_strategy_gets_the_page_and_literals_stay_text(tmp_path: Path) -> None:
    data = tmp_path / "other.ttl"
    data.write_text(ANOTHER_COUNCIL, encoding="utf-8")
    store = OxigraphStore.from_files([DatasetFile(data)], BASE)
    client = create_app({"TESTING": True, "IPRKG_STORE": store}).test_client()
    html = page(client, "strategy/other-2024-2028")
    assert "<script>alert(1)</script>" not in html
    assert "Strategi &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert in_order(html, ["Første nivå", "Andre nivå"])
    assert "Fokus X" in html and "Bli best" in html and "Annet råd" in html
    assert '<li class="goal goal-7">' in html and "style=" not in html
    assert "Strategy &amp; co" in page(client, "strategy/other-2024-2028", lang="en")


def test_the_graph_has_one_strategy_typed_so(dataset: Graph) -> None:
    # The page is chosen by type: the real data's strategy must carry it.
    assert (URIRef(BASE + STRATEGY), RDF.type, URIRef(IPR + "Strategy")) in dataset


def linked(html: str, iri: str, lang: str) -> bool:
    return f'href="/{iri[len(BASE) :]}?lang={lang}"' in html


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_focus_areas_and_stakeholders_on_the_strategy_itself_are_shown(
    client: FlaskClient, dataset: Graph, lang: str
) -> None:
    """Sognarådet's plan names its focus areas on the strategy, not on a level; every
    strategy's page links every focus area and stakeholder it or its levels name."""
    sogn = set(dataset.subjects(URIRef(f"{IPR}strategyOf"), URIRef(f"{BASE}council/sogn")))
    sogn_areas = {a for s in sogn for a in dataset.objects(s, URIRef(f"{IPR}focusArea"))}
    assert sogn_areas, "Sognarådet's strategy names no focus area itself"
    for strategy in sogn:
        assert 'id="strategy-focus-areas"' in page(client, str(strategy)[len(BASE) :], lang)
    direct = {
        (strategy, item)
        for strategy in dataset.subjects(RDF.type, URIRef(f"{IPR}Strategy"))
        for link in ("focusArea", "worksTowards")
        for item in dataset.objects(strategy, URIRef(f"{IPR}{link}"))
    }
    for strategy in set(dataset.subjects(RDF.type, URIRef(f"{IPR}Strategy"))):
        html = page(client, str(strategy)[len(BASE) :], lang)
        named = {item for s, item in direct if s == strategy} | {
            item
            for level in dataset.objects(strategy, URIRef(f"{IPR}hasLevel"))
            for link in ("focusArea", "worksTowards")
            for item in dataset.objects(level, URIRef(f"{IPR}{link}"))
        }
        missing = sorted(str(item) for item in named if not linked(html, str(item), lang))
        assert not missing, f"{strategy}: not on its page: {missing}"
