"""Themes are resources with names (``theme_facts``, ``theme_page``, ``labels``), and retired
IRIs redirect to what replaces them (``resources``).

The build publishes, for every LOS theme and EU data theme the data map to (and the LOS
themes above them), what the authority's file says; the dumps hold them and ``iprkg.nq``
has them in ``graph/authorities``. Every theme IRI then answers at ``/resource?iri=…`` in
HTML (named in the page's language) and RDF. Expected values are read from the authority
files (``authorities.load_authorities``) and the data, never written here.
"""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path

import pyoxigraph
import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from iprkg.artefact.manifest import read_manifest
from iprkg.build.authorities import AUTHORITIES, Themes, load_authorities
from iprkg.build.build import build
from iprkg.build.sources import SourceError
from iprkg.build.theme_facts import MAPPINGS, ThemeAuthorityError, load_theme_facts, theme_graph
from iprkg.engine.oxigraph_store import OxigraphStore
from iprkg.services.comparison import NAMED, UNKNOWN
from iprkg.services.labels import Labels
from iprkg.web.app import create_app
from iprkg.web.context import context_of
from support.project import DEFAULT_BASE, RunIprkg, project_settings, write_tiny_project

LOS_NARING = "https://psi.norge.no/los/tema/naring"
LOS_BUSINESS_DEVELOPMENT = "https://psi.norge.no/los/tema/naringsutvikling"
EU_GOVE = "http://publications.europa.eu/resource/authority/data-theme/GOVE"
EU_TRAN = "http://publications.europa.eu/resource/authority/data-theme/TRAN"


@pytest.fixture(scope="module")
def themes(external_dir: Path) -> Themes:
    found = load_authorities(external_dir)
    assert found is not None, f"{external_dir} lacks the theme authorities"
    return found


def used(dataset: Graph, themes: Themes) -> set[str]:
    """The authorities' themes the data map to, from the dataset itself."""
    return {
        str(o) for p in MAPPINGS for o in dataset.objects(None, p) if themes.get(str(o)) is not None
    }


# ---------------------------------------------------------------- the build


def test_every_theme_the_data_use_is_published_as_the_authority_has_it(
    dataset: Graph, themes: Themes
) -> None:
    mapped = used(dataset, themes)
    assert mapped, "the data map focus areas to no theme of LOS or the EU table"
    expected = mapped | {b for iri in mapped for b in themes.broader_chain(iri)}
    for iri in sorted(expected):
        theme, subject = themes.themes[iri], URIRef(iri)
        assert (subject, RDF.type, SKOS.Concept) in dataset, iri
        labels = {(o.language, str(o)) for o in dataset.objects(subject, SKOS.prefLabel)}
        assert labels == set(theme.labels), iri
        assert {str(n) for n in dataset.objects(subject, SKOS.notation)} == (
            {theme.notation} if theme.notation else set()
        )
        assert set(dataset.objects(subject, SKOS.inScheme)) == {URIRef(theme.authority.scheme)}
        assert set(dataset.objects(subject, SKOS.broader)) == (
            {URIRef(theme.broader)} if theme.broader else set()
        )
        assert set(dataset.objects(subject, DCTERMS.source)) == {URIRef(theme.authority.source)}
    for authority in {themes.themes[iri].authority for iri in expected}:
        scheme = URIRef(authority.scheme)
        named_in_norwegian = {"nb", "nn"} & {
            lang for lang, _ in themes.scheme_labels[authority.scheme]
        }
        typed = (scheme, RDF.type, SKOS.ConceptScheme) in dataset
        assert typed == bool(named_in_norwegian), "a scheme is typed only with a Norwegian name"
        assert (scheme, DCTERMS.source, URIRef(authority.source)) in dataset
        assert {(o.language, str(o)) for o in dataset.objects(scheme, SKOS.prefLabel)} == set(
            themes.scheme_labels[authority.scheme]
        )
    # and no theme the data do not use
    published = {
        str(s) for s in dataset.subjects(RDF.type, SKOS.Concept) if themes.get(str(s)) is not None
    }
    assert published == expected


def test_the_authorities_graph_is_named_and_listed(
    built_dist: Path, dataset: Graph, themes: Themes, external_dir: Path
) -> None:
    manifest = read_manifest(built_dist)
    listed = {g["iri"]: g for g in manifest["graphs"]["graphs"]}
    iri = f"{DEFAULT_BASE}graph/authorities"
    assert listed[iri]["source"] == "authorities"
    quads = pyoxigraph.parse(
        (built_dist / "iprkg.nq").read_bytes(), format=pyoxigraph.RdfFormat.N_QUADS
    )
    in_graph = Graph()
    for quad in quads:
        if isinstance(quad.graph_name, pyoxigraph.NamedNode) and quad.graph_name.value == iri:
            in_graph.parse(data=str(quad.triple) + " .", format="nt")
    assert len(in_graph) == listed[iri]["triples"] > 0
    assert set(in_graph) == set(theme_graph(dataset, themes))
    assert [a["path"] for a in manifest["authorities"]] == [a.path for a in AUTHORITIES]
    for entry in manifest["authorities"]:
        assert (external_dir / entry["path"]).is_file()


THEMED_DATA = """\
@prefix ipr: <ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .

<focus-area/samferdsel> rdfs:label "Samferdsel"@nb , "Transport"@en ;
    skos:closeMatch <http://publications.europa.eu/resource/authority/data-theme/TRAN> ;
    skos:closeMatch <https://psi.norge.no/los/tema/naringsutvikling> ;
    skos:broadMatch <https://psi.norge.no/los/tema/naring> .
<focus-area/samferdsle> rdfs:label "Samferdsle"@nn ;
    dct:isReplacedBy <focus-area/samferdsel> .
<focus-area/old> rdfs:label "Old"@en ; dct:isReplacedBy <focus-area/samferdsle> .
<focus-area/ring-a> rdfs:label "A"@en ; dct:isReplacedBy <focus-area/ring-b> .
<focus-area/ring-b> rdfs:label "B"@en ; dct:isReplacedBy <focus-area/ring-a> .
<ontology#Principle> rdfs:label "principle"@en ; dct:isReplacedBy <ontology#Premise> .
<ontology#Premise> rdfs:label "premise"@en .
"""
"""A focus area mapped to two themes; a retired one (and a chain, and a circle)."""


def themed_project(root: Path, external: Path) -> Path:
    """The tiny project with THEMED_DATA, built against ``external``; returns ``dist``."""
    write_tiny_project(root)
    (root / "data" / "themed.ttl").write_text(THEMED_DATA, encoding="utf-8")
    settings = project_settings(root, external=external, source_date_epoch="1700000000")
    build(settings)
    return settings.dist


@pytest.fixture(scope="module")
def themed_client(tmp_path_factory: pytest.TempPathFactory, external_dir: Path) -> FlaskClient:
    dist = themed_project(tmp_path_factory.mktemp("themed"), external_dir)
    app = create_app({"TESTING": True, "IPRKG_STORE": OxigraphStore.from_dist(dist)})
    return app.test_client()


def test_the_build_publishes_the_themes_used(
    tmp_path: Path, external_dir: Path, themes: Themes
) -> None:
    dataset = Graph().parse(themed_project(tmp_path, external_dir) / "iprkg.nt", format="nt")
    published = {str(s) for s in dataset.subjects(RDF.type, SKOS.Concept)}
    assert published == {EU_TRAN, LOS_BUSINESS_DEVELOPMENT, LOS_NARING}


def test_the_los_themes_above_a_used_one_are_published_too(themes: Themes) -> None:
    data = Graph()
    data.add((URIRef("urn:x:area"), SKOS.relatedMatch, URIRef(LOS_BUSINESS_DEVELOPMENT)))
    facts = theme_graph(data, themes)
    above = themes.broader_chain(LOS_BUSINESS_DEVELOPMENT)
    assert LOS_NARING in above
    assert {str(s) for s in facts.subjects(RDF.type, SKOS.Concept)} == {
        LOS_BUSINESS_DEVELOPMENT,
        *above,
    }
    assert (URIRef(LOS_BUSINESS_DEVELOPMENT), SKOS.broader, URIRef(LOS_NARING)) in facts


def test_without_the_authorities_the_build_goes_on_and_says_so(tmp_path: Path) -> None:
    root = write_tiny_project(tmp_path / "tiny")
    (root / "data" / "themed.ttl").write_text(THEMED_DATA, encoding="utf-8")
    said: list[str] = []
    settings = project_settings(root, external=tmp_path / "nowhere")
    build(settings, progress=said.append)
    lines = [line for line in said if "theme authorities" in line]
    assert len(lines) == 1 and "without theme names" in lines[0]
    manifest = read_manifest(settings.dist)
    assert "authorities" not in manifest
    assert not [g for g in manifest["graphs"]["graphs"] if g["source"] == "authorities"]


def test_a_broken_authority_file_fails_the_build_and_keeps_the_last_good_dist(
    tmp_path: Path, external_dir: Path, run_iprkg: RunIprkg
) -> None:
    root = write_tiny_project(tmp_path / "tiny")
    (root / "data" / "themed.ttl").write_text(THEMED_DATA, encoding="utf-8")
    settings = project_settings(root, external=external_dir)
    build(settings)
    before = {p.name: p.read_bytes() for p in settings.dist.iterdir()}
    broken = tmp_path / "broken"
    for authority in AUTHORITIES:
        (broken / authority.path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(external_dir / authority.path, broken / authority.path)
    (broken / "los" / "los.rdf").write_text("<rdf:RDF this is not XML", encoding="utf-8")
    with pytest.raises(SourceError, match=re.escape("los/los.rdf")):  # validation or theme_facts
        build(project_settings(root, external=broken))
    with pytest.raises(ThemeAuthorityError, match=re.escape("los/los.rdf")):
        load_theme_facts(broken, Graph(), print)  # the build's own check, after validation's
    result = run_iprkg("build", root=root, env={"IPRKG_EXTERNAL": str(broken)})
    assert result.returncode != 0
    assert "los/los.rdf" in result.stderr and "Traceback" not in result.stderr
    assert {p.name: p.read_bytes() for p in settings.dist.iterdir()} == before


# ---------------------------------------------------------------- labels


def test_a_bokmal_page_takes_nb_then_nn_and_an_english_page_en() -> None:
    pref = str(SKOS.prefLabel)
    labels = Labels(
        [
            (EU_GOVE, pref, "Forvaltning og offentleg sektor", "nn"),
            (EU_GOVE, pref, "Government and public sector", "en"),
            (EU_GOVE, pref, "Forvaltning og offentlig sektor", "nb"),
            (EU_GOVE, str(SKOS.notation), "GOVE", ""),
            ("urn:x:nynorsk-only", pref, "Samferdsle", "nn"),
            ("urn:x:nynorsk-only", pref, "Transport", "en"),
        ]
    )
    assert labels.label(EU_GOVE, "nb") == "Forvaltning og offentlig sektor"
    assert labels.label(EU_GOVE, "en") == "Government and public sector"
    assert labels.label("urn:x:nynorsk-only", "nb") == "Samferdsle"
    assert labels.label("urn:x:nynorsk-only", "en") == "Transport"


# ---------------------------------------------------------------- theme pages


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_theme_page_names_the_theme_in_the_page_language(
    client: FlaskClient, dataset: Graph, themes: Themes, lang: str
) -> None:
    for iri in sorted(used(dataset, themes)):
        response = client.get("/resource", query_string={"iri": iri, "lang": lang})
        assert response.status_code == 200, iri
        page = response.get_data(as_text=True)
        theme = themes.themes[iri]
        name = theme.label(lang) or theme.label("nn" if lang == "nb" else "nb")
        assert name is not None
        escaped = name.replace("&", "&amp;").replace("'", "&#39;")
        assert f'<h1 id="theme-title">{escaped}</h1>' in page, iri
        areas = sorted({str(s) for p in MAPPINGS for s in dataset.subjects(p, URIRef(iri))})
        for area in areas:  # each focus area mapped to it is linked from the page
            assert area[len(DEFAULT_BASE) :] in page, (iri, area)


def test_a_theme_page_says_which_focus_areas_name_it(themed_client: FlaskClient) -> None:
    for lang, heading in (
        ("nb", "Fokusområder som omfatter temaet"),
        ("en", "Focus areas that name this theme"),
    ):
        response = themed_client.get("/resource", query_string={"iri": EU_TRAN, "lang": lang})
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert heading in page
        assert 'href="/focus-area/samferdsel' in page
    english = themed_client.get("/resource", query_string={"iri": LOS_NARING, "lang": "en"})
    assert '<h1 id="theme-title">Business</h1>' in english.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_theme_page_leads_with_the_councils_that_name_it_and_where_it_sits(
    app: Flask, dataset: Graph, themes: Themes, lang: str
) -> None:
    """The summary names the councils the comparison counts as naming the theme, says for
    how many it is unknown, and says in words which theme it is part of."""
    client = app.test_client()
    context = context_of(app)
    with app.app_context():
        matrix, labels = context.comparison.themes, context.labels
    part_of = "The theme is part of" if lang == "en" else "Temaet hører under"
    compared = {item.iri for item in matrix.items}
    checked = 0
    for iri in sorted(used(dataset, themes) & compared):
        page = client.get("/resource", query_string={"iri": iri, "lang": lang}).text
        text = " ".join(unescape(re.sub(r"<[^>]+>", " ", page)).split())
        lead = text[: text.index("Fokusområder som" if lang == "nb" else "Focus areas that")]
        counts = matrix.counts(iri)
        for council in matrix.councils:
            if matrix.cell(iri, council).status == NAMED:
                assert labels.label(council, lang) in lead, (iri, council)
        if counts[UNKNOWN] > 1:
            assert f"For {counts[UNKNOWN]} " in lead, iri
        for broader in dataset.objects(URIRef(iri), SKOS.broader):
            assert part_of in lead and labels.label(str(broader), lang) in lead, iri
        checked += 1
    assert checked


@pytest.mark.parametrize(
    ("ask", "media_type"),
    [
        ({"headers": {"Accept": "text/turtle"}}, "text/turtle"),
        ({"query_string": {"format": "ttl"}}, "text/turtle"),
        ({"headers": {"Accept": "application/ld+json"}}, "application/ld+json"),
        ({"query_string": {"format": "nt"}}, "application/n-triples"),
    ],
)
def test_a_theme_is_rdf_by_content_negotiation(
    themed_client: FlaskClient, themes: Themes, ask: dict[str, dict[str, str]], media_type: str
) -> None:
    query = {"iri": EU_TRAN, **ask.get("query_string", {})}
    response = themed_client.get("/resource", query_string=query, headers=ask.get("headers", {}))
    assert response.status_code == 200
    assert response.mimetype == media_type
    graph = Graph().parse(data=response.get_data(), format=media_type)
    subject = URIRef(EU_TRAN)
    assert {(o.language, str(o)) for o in graph.objects(subject, SKOS.prefLabel)} == set(
        themes.themes[EU_TRAN].labels
    )
    assert (subject, SKOS.notation, Literal("TRAN")) in graph
    assert (URIRef(f"{DEFAULT_BASE}focus-area/samferdsel"), SKOS.closeMatch, subject) in graph


# ---------------------------------------------------------------- retired IRIs


@pytest.mark.parametrize(
    ("url", "accept", "location"),
    [
        ("/focus-area/samferdsle", "text/html", "/focus-area/samferdsel"),
        ("/focus-area/samferdsle?lang=en", "text/html", "/focus-area/samferdsel?lang=en"),
        ("/focus-area/samferdsle", "text/turtle", "/focus-area/samferdsel"),
        ("/focus-area/samferdsle.ttl", "text/html", "/focus-area/samferdsel.ttl"),
        ("/focus-area/samferdsle.html?lang=en", "*/*", "/focus-area/samferdsel.html?lang=en"),
        ("/focus-area/old", "text/html", "/focus-area/samferdsel"),  # a chain, to its end
        (
            f"/resource?iri={DEFAULT_BASE}ontology%23Principle&lang=en",
            "text/html",
            "/ontology?lang=en#Premise",
        ),
    ],
)
def test_a_retired_iri_redirects_permanently_to_its_replacement(
    themed_client: FlaskClient, url: str, accept: str, location: str
) -> None:
    response = themed_client.get(url, headers={"Accept": accept})
    assert response.status_code == 301
    assert response.headers["Location"] == location


@pytest.mark.parametrize(
    ("url", "accept", "media_type"),
    [
        ("/focus-area/samferdsle", "text/turtle", "text/turtle"),
        ("/focus-area/samferdsle.ttl", "text/html", "text/turtle"),
        ("/focus-area/samferdsle?lang=en", "text/html", "text/html"),
    ],
)
def test_following_the_redirect_keeps_the_format_and_language(
    themed_client: FlaskClient, url: str, accept: str, media_type: str
) -> None:
    response = themed_client.get(url, headers={"Accept": accept}, follow_redirects=True)
    assert response.status_code == 200
    assert response.mimetype == media_type
    new = URIRef(f"{DEFAULT_BASE}focus-area/samferdsel")
    if media_type == "text/turtle":
        graph = Graph().parse(data=response.get_data(), format="turtle")
        assert (new, URIRef(str(SKOS.closeMatch)), URIRef(EU_TRAN)) in graph
        assert (URIRef(f"{DEFAULT_BASE}focus-area/samferdsle"), DCTERMS.isReplacedBy, new) in graph
    else:
        assert 'lang="en"' in response.get_data(as_text=True)
        assert response.request.path == "/focus-area/samferdsel.html"


def test_replacements_that_go_round_in_a_circle_do_not_redirect(
    themed_client: FlaskClient,
) -> None:
    response = themed_client.get("/focus-area/ring-a", headers={"Accept": "text/html"})
    assert response.status_code == 303  # the ordinary answer of a slash IRI


def test_every_retired_iri_in_the_real_data_redirects(client: FlaskClient, dataset: Graph) -> None:
    for old, new in dataset.subject_objects(DCTERMS.isReplacedBy):
        if not str(old).startswith(DEFAULT_BASE):
            continue
        if "#" in str(old):  # an ontology term: its IRI is seen whole only at /resource?iri=
            response = client.get("/resource", query_string={"iri": str(old)})
            path, _, term = str(new)[len(DEFAULT_BASE) :].partition("#")
            assert response.status_code == 301, old
            assert response.headers["Location"] == f"/{path}#{term}"
            continue
        response = client.get(f"/{str(old)[len(DEFAULT_BASE) :]}.ttl")
        assert response.status_code == 301, old
        assert response.headers["Location"] == f"/{str(new)[len(DEFAULT_BASE) :]}.ttl"


def test_the_ontology_page_links_a_retired_term_to_its_replacement(
    client: FlaskClient, dataset: Graph
) -> None:
    """A hash IRI cannot be redirected (the fragment stays in the client): the retired
    term keeps its section on /ontology, linking the term that replaces it."""
    html = client.get("/ontology", headers={"Accept": "text/html"}).get_data(as_text=True)
    ontology = f"{DEFAULT_BASE}ontology#"
    for old, new in dataset.subject_objects(DCTERMS.isReplacedBy):
        if str(old).startswith(ontology) and str(new).startswith(ontology):
            name, replacement = str(old)[len(ontology) :], str(new)[len(ontology) :]
            section = html.split(f'id="{name}"', 1)[1].split("</section>", 1)[0]
            assert f'href="#{replacement}"' in section, name
