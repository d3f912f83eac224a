"""The comparison agrees with the sources: each council names the themes its source names.

For every council, ``SOURCES`` lists the items of its source
(``../shared/sources/other-councils.md`` and the Nome og Midt-Telemark strategy text),
each with the LOS and EU data themes it names under the alignment policy
(docs/model.md, "Aligning focus areas with themes"): the themes that contain the item,
LOS's broader theme included; a compound item names what each of its parts names. The
table was written by reading the sources, not the data. Each case runs the theme matrix
(queries/compare/theme-matrix.rq) on the built dataset and compares the themes it marks
"named" for that one council with the union of its items' themes, so adding a council
adds a row here and breaks no other case.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import NamedNode, QuerySolutions, RdfFormat, Store
from rdflib import Graph

ROOT = Path(__file__).resolve().parents[2]
MATRIX = ROOT / "queries" / "compare" / "theme-matrix.rq"
BASE = "https://w3id.org/iprkg/"
LOS = "https://psi.norge.no/los/tema/"
EU = "http://publications.europa.eu/resource/authority/data-theme/"


def los(*slugs: str) -> set[str]:
    return {LOS + slug for slug in slugs}


def eu(*codes: str) -> set[str]:
    return {EU + code for code in codes}


SCHOOL = los("skole-og-utdanning") | eu("EDUC")
BUSINESS_DEVELOPMENT = los("naringsutvikling", "naring") | eu("ECON")
TRANSPORT = los("trafikk-og-transport") | eu("TRAN")
GOVERNMENT = eu("GOVE")
REGION = eu("REGI")

SOURCES: dict[str, dict[str, set[str]]] = {
    "nome-midt-telemark": {
        "Samferdsel": TRANSPORT,
        "Mineralutvinning": los("naring") | eu("ECON"),
        "Utvikling av distriktskommuner": REGION,
        "Forskning og høyere utdanning": eu("TECH") | los("hoyere-utdanning") | SCHOOL,
        "Næringsutvikling, befolkningsutvikling, barn og unge": BUSINESS_DEVELOPMENT | eu("SOCI"),
        "Videregående opplæring": los("videregaende-skole") | SCHOOL,
        "Tjenesteutvikling og tjenestesamarbeid": GOVERNMENT,
        "Eierskap": GOVERNMENT,
    },
    "vest-telemark": {
        "sustainable community and service development": REGION | GOVERNMENT,
        "political advocacy": GOVERNMENT,
        "cooperation between administrative levels": GOVERNMENT,
        "professional networks between the municipalities": GOVERNMENT,
        "profiling the region": REGION,
        "a yearly regional gathering for the municipal youth councils": los(
            "medvirkning", "demokrati-og-innbyggerrettigheter"
        )
        | GOVERNMENT,
        "close cooperation with other regional councils": GOVERNMENT,
        "the Vest-Telemark conference": REGION,
        "one common housing and labour market": REGION,
        "a business start-up service (etablerarteneste)": BUSINESS_DEVELOPMENT,
        "strengthening Vest-Telemark upper secondary school": los("videregaende-skole") | SCHOOL,
        "more decentralised further education": SCHOOL,
        "recruiting labour and apprentices": los("arbeid") | eu("ECON"),
        "culture": los("kultur", "kultur-idrett-og-fritid") | eu("EDUC"),
    },
    "lister": {},  # six overall aims, no focus areas
    "nord-gudbrandsdal": {
        "innovation in the public sector": GOVERNMENT,
        "business development": BUSINESS_DEVELOPMENT,
        "political advocacy on rural (distrikts-) policy": REGION,
        "inter-municipal service cooperation": GOVERNMENT,
        "profiling the region to attract new residents": REGION,
    },
    "midt-gudbrandsdal": {
        "more value creation": los("naring") | eu("ECON"),
        "keep and create jobs": los("arbeid") | eu("ECON"),
        "education": SCHOOL,
        "infrastructure": REGION,  # which infrastructure is not said: not transport
        "an attractive region": REGION,
        "a climate-neutral society": los("natur-klima-og-miljo") | eu("ENVI"),
    },
    "namdal": {
        "Rekruttering og kompetanse": los("arbeid") | eu("ECON") | SCHOOL,
        "Gode naturgitte vilkår for vekst og verdiskapning": los("naring") | eu("ECON"),
        "Gode og framtidsrettede helse- og beredskapstjenester": los(
            "helsetjenester", "helse-og-omsorg", "samfunnssikkerhet-og-beredskap"
        )
        | eu("HEAL", "JUST"),
    },
    "sogn": {
        "Attraktiv buregion": REGION,
        "Kompetanse": SCHOOL,
        "Næringsutvikling": BUSINESS_DEVELOPMENT,
        "Samferdsle": TRANSPORT,
    },
    "kongsberg": {
        "service-development strategy": GOVERNMENT,
        "community-development strategy": REGION,
    },
    "grenland": {
        "development of municipal services": GOVERNMENT,
        "land use and transport": los("planer", "bygg-og-eiendom") | REGION | TRANSPORT,
        "business-development cooperation": BUSINESS_DEVELOPMENT,
        "growth with the environment as the core idea": los("natur-klima-og-miljo") | eu("ENVI"),
    },
}


@pytest.fixture(scope="module")
def named(dataset: Graph) -> dict[str, set[str]]:
    """Council IRI -> the themes the theme matrix marks "named" for it."""
    store = Store()
    store.load(dataset.serialize(format="nt", encoding="utf-8"), format=RdfFormat.N_TRIPLES)
    results = store.query(MATRIX.read_text(encoding="utf-8"), base_iri=BASE)
    assert isinstance(results, QuerySolutions)
    themes: dict[str, set[str]] = {}
    for row in results:
        council, theme, status = row["council"], row["theme"], row["status"]
        assert isinstance(council, NamedNode) and isinstance(theme, NamedNode)
        themes.setdefault(council.value, set())
        if status is not None and status.value == "named":
            themes[council.value].add(theme.value)
    return themes


@pytest.mark.parametrize("slug", sorted(SOURCES))
def test_the_matrix_names_what_the_source_names(named: dict[str, set[str]], slug: str) -> None:
    council = f"{BASE}council/{slug}"
    assert council in named, f"{council} is not in the theme matrix"
    expected = set().union(*SOURCES[slug].values())
    actual = named[council]
    assert actual == expected, (
        f"{slug}: named by the matrix but not by the source: {sorted(actual - expected)}; "
        f"named by the source but not by the matrix: {sorted(expected - actual)}"
    )
