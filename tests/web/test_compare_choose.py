"""/compare at country scale: choosing councils by county, by search and by name, on 40
fictitious councils in four fictitious counties (``support.compare_data``); the coverage
summary, the downloads of every council, and every bad argument answered in words."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from iprkg.artefact.artefact import DatasetFile
from iprkg.engine.oxigraph_store import OxigraphStore
from iprkg.services.comparison import read_comparison
from iprkg.web.app import create_app
from support.compare_data import BASE, COUNTIES, Facts, council_slug, synthetic_councils

PROJECT_ROOT = Path(__file__).resolve().parents[2]
COUNCILS = 40


def store_of(folder: Path, count: int) -> tuple[OxigraphStore, Facts]:
    turtle, facts = synthetic_councils(count)
    data = folder / "councils.ttl"
    data.write_text(turtle, encoding="utf-8")
    goals = PROJECT_ROOT / "data" / "vocabularies" / "sdg.ttl"
    return OxigraphStore.from_files([DatasetFile(data), DatasetFile(goals)], BASE), facts


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory) -> tuple[OxigraphStore, Facts]:
    return store_of(tmp_path_factory.mktemp("country"), COUNCILS)


@pytest.fixture
def facts(country: tuple[OxigraphStore, Facts]) -> Facts:
    return country[1]


@pytest.fixture
def country_app(country: tuple[OxigraphStore, Facts]) -> Flask:
    return create_app({"TESTING": True, "IPRKG_STORE": country[0]})


@pytest.fixture
def country_client(country_app: Flask) -> FlaskClient:
    return country_app.test_client()


def columns(html: str, kind: str = "goals") -> list[str]:
    """The council of each column of a matrix, by the link in its head."""
    table = re.search(rf'<table class="grid" id="grid-{kind}">(.*?)</thead>', html, re.S)
    if table is None:
        return []
    return [
        BASE + path.split("?")[0].lstrip("/")
        for path in re.findall(r'<th scope="col" class="council">.*?href="([^"]+)"', table[1])
    ]


def text_of(html: str, pattern: str) -> str:
    found = re.search(pattern, html, re.S)
    assert found, pattern
    return " ".join(re.sub(r"<[^>]+>", " ", found[1]).split())


def council(number: int) -> str:
    return f"{BASE}council/{council_slug(number)}"


# ---------------------------------------------------------------- by county


@pytest.mark.parametrize(
    ("lang", "several", "unknown"),
    [("nb", "Flere fylker", "Fylke ikke kjent"), ("en", "Several counties", "County not known")],
)
def test_the_form_lists_councils_by_county(
    country_client: FlaskClient, facts: Facts, lang: str, several: str, unknown: str
) -> None:
    html = country_client.get(f"/compare?lang={lang}").text
    groups = re.findall(
        r'<fieldset data-group="([^"]+)">\s*<legend>([^<]+)</legend>(.*?)</fieldset>', html, re.S
    )
    names = {key: name for key, name, _ in groups}
    assert names == {
        **{slug: nb if lang == "nb" else en for slug, _, nb, en in COUNTIES},
        "several": several,
        "none": unknown,
    }
    # Each council once: a council spanning two counties is under "several", named with them.
    listed = [value for _, _, body in groups for value in re.findall(r'value="([^"]+)"', body)]
    assert sorted(listed) == sorted(council_slug(n) for n in range(1, COUNCILS + 1))
    spanning = dict((key, body) for key, _, body in groups)["several"]
    assert re.findall(r'value="([^"]+)"', spanning) == [council_slug(n) for n in (10, 20, 30)]
    assert "Testråd 010" in spanning or "Test council 010" in spanning
    assert ("Sørfylket (fiktivt)" if lang == "nb" else "South County (fictitious)") in spanning
    assert re.findall(r'value="([^"]+)"', dict((k, b) for k, _, b in groups)["none"]) == [
        council_slug(COUNCILS)
    ]
    # The county select names each county with how many councils have members there.
    for slug, _, nb, en in COUNTIES:
        count = len(facts.in_county(slug))
        assert f'<option value="{slug}">{nb if lang == "nb" else en} ({count})</option>' in html


@pytest.mark.parametrize("slug", [county[0] for county in COUNTIES])
def test_a_county_shows_its_councils_spanning_ones_included(
    country_client: FlaskClient, facts: Facts, slug: str
) -> None:
    html = country_client.get(f"/compare?county={slug}&lang=en").text
    assert columns(html) == facts.in_county(slug) == columns(html, "themes")
    assert f'<option value="{slug}" selected>' in html
    assert f"Showing {len(facts.in_county(slug))} of {COUNCILS} councils with members in" in html
    # By IRI too, and two counties add up.
    by_iri = country_client.get("/compare", query_string={"county": f"{BASE}county/{slug}"})
    assert columns(by_iri.text) == facts.in_county(slug)
    both = country_client.get(f"/compare?county={slug}&county=vestfylket").text
    assert columns(both) == sorted(set(facts.in_county(slug)) | set(facts.in_county("vestfylket")))


# ---------------------------------------------------------------- search and pick


def test_picking_councils_by_key_or_iri(country_client: FlaskClient) -> None:
    html = country_client.get(f"/compare?council={council_slug(3)}&council={council(12)}").text
    assert columns(html) == [council(3), council(12)]
    assert f'value="{council_slug(3)}" checked>' in html
    assert f'value="{council_slug(12)}" checked>' in html
    assert f'value="{council_slug(4)}">' in html
    # Ticks and a county add up.
    mixed = country_client.get(f"/compare?council={council_slug(3)}&county=nordfylket").text
    assert set(columns(mixed)) == {council(3), *columns(mixed)} and council(4) in columns(mixed)


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("Testråd 007", [7]),
        ("test council 007", [7]),  # either language, any case
        ("TESTRAD 01", [1, *range(10, 20)]),  # å as a; every word somewhere in the name
        ("testby 021b", [21]),  # a member's name finds its council
        ("testby 030c", [30]),
    ],
)
def test_search_finds_councils_by_their_names_and_their_members(
    country_client: FlaskClient, search: str, expected: list[int]
) -> None:
    html = country_client.get("/compare", query_string={"q": search, "lang": "en"}).text
    assert columns(html) == [council(number) for number in expected]
    assert f'name="q" value="{search}"' in html


@pytest.mark.parametrize(
    ("lang", "words"),
    [("nb", "Ingen regionråd valgt."), ("en", "No council chosen.")],
)
def test_nothing_found_says_so(country_client: FlaskClient, lang: str, words: str) -> None:
    html = country_client.get("/compare", query_string={"q": "Atlantis", "lang": lang}).text
    assert words in text_of(html, r'<p class="shown"[^>]*>(.*?)</p>')
    assert "«Atlantis»" in html
    assert '<table class="grid"' not in html
    coverage = re.findall(r'<p class="coverage" data-kind="(?:themes|goals)">(.*?)</p>', html)
    assert coverage == (
        ["Ingen regionråd er valgt."] * 2 if lang == "nb" else ["No council is chosen."] * 2
    )


def test_side_by_side_by_key(country_client: FlaskClient) -> None:
    html = country_client.get(
        "/compare", query_string={"a": council_slug(2), "b": council(4), "lang": "en"}
    ).text
    assert html.count('<div class="pair"') == 2
    assert f'<option value="{council_slug(2)}" selected>' in html
    assert f'<option value="{council_slug(4)}" selected>' in html
    # The side-by-side form keeps the filter of the page.
    kept = country_client.get(f"/compare?county=nordfylket&a={council_slug(2)}").text
    assert '<input type="hidden" name="county" value="nordfylket">' in kept


# ---------------------------------------------------------------- how far the data go


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_summary_counts_from_the_data(
    country_client: FlaskClient, facts: Facts, lang: str
) -> None:
    for query in ("", "&county=nordfylket"):  # the same whatever the filter
        html = country_client.get(f"/compare?lang={lang}{query}").text
        summary = text_of(html, r'<p class="coverage overall" data-kind="overall">(.*?)</p>')
        numbers = [int(number) for number in re.findall(r"\d+", summary)]
        assert numbers == [
            COUNCILS,
            len(COUNTIES),
            facts.naming_themes,
            facts.naming_goals,
            facts.complete_themes,
            facts.complete_goals,
        ], summary


def test_long_lists_of_names_are_folded(country_client: FlaskClient, facts: Facts) -> None:
    html = country_client.get("/compare?lang=en").text
    sentence = text_of(html, r'<p class="coverage" data-kind="themes">(.*?)</p>')
    assert f"is known to be whole for {facts.complete_themes} councils which" in sentence
    assert '<details class="names">' in html


# ---------------------------------------------------------------- downloads


def test_downloads_have_every_council_unless_filtered_on_request(
    country_client: FlaskClient, facts: Facts
) -> None:
    html = country_client.get("/compare?county=nordfylket&lang=en").text
    every = re.search(r'href="(/compare/goals-grid\.csv[^"]*)"', html)
    assert every and "county" not in every[1]
    shown = re.search(r'Download, the councils shown:\s*<a href="([^"]+)"', html)
    assert shown and "county=nordfylket" in shown[1]
    lines = list(csv.reader(io.StringIO(country_client.get(every[1]).text)))
    assert lines[1][6:] == facts.councils
    filtered = list(csv.reader(io.StringIO(country_client.get(shown[1]).text)))
    assert filtered[1][6:] == facts.in_county("nordfylket")
    long = country_client.get("/compare/goals.csv?county=nordfylket").text
    assert len(long.splitlines()) == 1 + 17 * len(facts.in_county("nordfylket"))


# ---------------------------------------------------------------- bad arguments


@pytest.mark.parametrize(
    ("query", "nb", "en"),
    [
        ({"county": "atlantis"}, "Ukjent regionråd, fylke", "Not a council, county"),
        ({"council": "x" * 5000}, "Ukjent regionråd, fylke", "Not a council, county"),
        ({"council": "\x00<b>"}, "Ukjent regionråd, fylke", "Not a council, county"),
        ({"like": "%zz"}, "Ukjent regionråd, fylke", "Not a council, county"),
    ],
)
def test_unknown_values_are_named_on_the_page(
    country_client: FlaskClient, query: dict[str, str], nb: str, en: str
) -> None:
    for lang, words in (("nb", nb), ("en", en)):
        response = country_client.get("/compare", query_string={**query, "lang": lang})
        assert response.status_code == 200
        assert words in response.text
        message = text_of(response.text, r'<p class="message" role="status">(.*?)</p>')
        assert "x" * 100 not in message  # a long value is quoted cut short
        assert len(columns(response.text)) == COUNCILS
        download = country_client.get(
            "/compare/themes-grid.csv", query_string={**query, "lang": lang}
        )
        assert download.status_code == 400


@pytest.mark.parametrize(
    ("query", "nb", "en"),
    [
        ({"council": ["testrad-001"] * 401}, "For mange verdier", "Too many values"),
        ({"county": ["nordfylket"] * 401}, "For mange verdier", "Too many values"),
        ({"q": "a" * 101}, "Søket er for langt", "The search is too long"),
    ],
)
@pytest.mark.parametrize("path", ["/compare", "/compare/goals.json"])
def test_too_much_is_a_400_in_the_page_language(
    country_client: FlaskClient, query: dict[str, Any], nb: str, en: str, path: str
) -> None:
    for lang, words in (("nb", nb), ("en", en)):
        response = country_client.get(path, query_string={**query, "lang": lang})
        assert response.status_code == 400
        assert words in response.text


# ---------------------------------------------------------------- at scale


class CountingStore:
    """A store that counts the queries it is asked."""

    def __init__(self, store: OxigraphStore) -> None:
        self.store, self.queries = store, 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    def query(self, *arguments: Any, **options: Any) -> Any:
        self.queries += 1
        return self.store.query(*arguments, **options)


@pytest.mark.parametrize("count", [3, COUNCILS, 600])
def test_the_comparison_costs_four_queries_however_many_councils(
    tmp_path: Path, count: int
) -> None:
    store, facts = store_of(tmp_path, count)
    counting = CountingStore(store)
    comparison = read_comparison(counting, PROJECT_ROOT / "queries" / "compare")  # type: ignore[arg-type]
    assert counting.queries == 4
    assert comparison.councils == facts.councils
    assert comparison.in_counties([f"{BASE}county/nordfylket"]) == facts.in_county("nordfylket")
    if count == 600:
        app = create_app({"TESTING": True, "IPRKG_STORE": store})
        chosen = facts.in_county("vestfylket")[:40]
        picked = "&".join(f"council={iri.rsplit('/', 1)[-1]}" for iri in chosen)
        page = app.test_client().get(f"/compare?{picked}")
        assert page.status_code == 200
        assert columns(page.text) == chosen
        everyone = app.test_client().get("/compare?lang=en")
        assert columns(everyone.text) == [], "600 columns are no grid to read"
        assert "600 councils are too many to show side by side" in everyone.text


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_more_councils_than_a_grid_holds_show_how_many_name_each_row(
    country_client: FlaskClient, facts: Facts, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    from iprkg.web import compare_page

    monkeypatch.setattr(compare_page, "MAX_COLUMNS", 12)
    page = country_client.get(f"/compare?lang={lang}")
    assert page.status_code == 200
    assert columns(page.text) == [] and columns(page.text, "themes") == []
    told = text_of(page.text, r'<p class="too-many">(.*?)</p>')
    assert told.startswith(f"{COUNCILS} ") and "12" in told
    named = re.findall(r'<span class="named-by">([^<]*)</span>', page.text)
    assert named and all(f"{COUNCILS}" in text for text in named), "counted over all"
    chosen = country_client.get(f"/compare?lang={lang}&county=vestfylket")
    assert len(columns(chosen.text)) == len(facts.in_county("vestfylket")) <= 12
    assert '<p class="too-many">' not in chosen.text


def test_the_docs_give_the_limits() -> None:
    """docs/comparison.md states the limits the code has."""
    from iprkg.web.compare_page import MAX_COLUMNS
    from iprkg.web.compare_selection import MAX_SEARCH, MAX_VALUES, SHOWN_VALUE

    text = " ".join((PROJECT_ROOT / "docs" / "comparison.md").read_text(encoding="utf-8").split())
    assert f"More than {MAX_VALUES} values of `council` or of `county`" in text
    assert f"a search longer than {MAX_SEARCH} characters" in text
    assert f"(cut to {SHOWN_VALUE} characters)" in text
    assert f"more than {MAX_COLUMNS} councils" in text
