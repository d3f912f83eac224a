"""The east group's councils from ``../shared/sources/more-councils.md`` (issue 19).

One case per council. Each expectation below was written by reading the council's section
of more-councils.md, not the data: the member municipalities as the section names them, the
focus areas in the section's wording (with the concept that carries them, where a wording
reuses an existing concept), the legal form and the phrase that decides it, the strategy
titles, the completeness line, and the memberships the section makes uncertain. Each case
checks the expectation twice: (a) every wording occurs verbatim in the council's section, so
the table cannot drift from the source; (b) the built dataset says the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS

from iprkg.core.settings import Settings
from support.project import PROJECT_ROOT

BASE = "https://w3id.org/iprkg/"
IPR = f"{BASE}ontology#"
ORG = "http://www.w3.org/ns/org#"
IPR_FORM = "interkommunalt-politisk-rad"
NOT_STATED = "regionrad"


@dataclass(frozen=True)
class FocusArea:
    """A focus area as the section words it, the concept carrying it and its label there."""

    wording: str
    concept: str
    label: str = ""  # the concept's label when it is not the wording (a reused concept)


@dataclass(frozen=True)
class Council:
    slug: str
    heading: str  # the start of the section's "## " heading
    member_list: str  # "slug=Name, …": municipality slug, name as the section writes it
    form: str  # cooperation-form slug
    form_evidence: str  # the section's words that decide the form
    lists: str  # the section's completeness line
    focus: str  # "complete", "partial" or "unknown"
    focus_areas: tuple[FocusArea, ...] = ()
    titles: tuple[str, ...] = ()
    uncertain: tuple[str, ...] = ()  # members whose membership the section puts in doubt
    participants: tuple[str, ...] = ()  # organisation slugs
    weak_sources: dict[str, str] = field(default_factory=dict)  # URL -> source-kind slug

    @property
    def members(self) -> dict[str, str]:
        return dict(pair.split("=") for pair in self.member_list.split(", "))


A = FocusArea
COUNCILS = [
    Council(
        "hallingdal",
        "Regionrådet for Hallingdal",
        "fla=Flå, nesbyen=Nesbyen, gol=Gol, hemsedal=Hemsedal, al=Ål, hol=Hol",
        NOT_STATED,
        "the pages cited here do not say whether the council is organised as an IPR",
        "Lists: members complete; focus areas partial",
        "partial",
        (
            A("transportation", "transport", "Transport"),
            A(
                "applying for state funds for infrastructure development such as fiber networks",
                "statlige-midler-til-infrastruktur",
            ),
            A("business development", "naringsutvikling", "Business development"),
            A("climate", "klima"),
            A("circular economy", "sirkularokonomi"),
            A("living and staying", "bo-og-bli"),
            A("Bulyst", "bulyst"),
        ),
        titles=("strategisk plan for Hallingdal 2017 – 2020",),
        weak_sources={"https://www.regionraadet.no/aktuelt/regionreforma/": "news-item"},
    ),
    Council(
        "gjovikregionen",
        "Gjøvikregionen interkommunale politiske råd",
        "gjovik=Gjøvik, nordre-land=Nordre Land, sondre-land=Søndre Land, "
        "vestre-toten=Vestre Toten, ostre-toten=Østre Toten",
        IPR_FORM,
        "Gjøvikregionen interkommunalt politiske råd (IPR)",
        "Lists: members complete; focus areas partial",
        "partial",
        (
            A(
                "kompetanse, industri, teknologi og landbruk",
                "kompetanse-industri-teknologi-og-landbruk",
            ),
            A(
                "Videreføre satsingen på industri, ikt/cyber, helsefag og bionæringer",
                "industri-ikt-cyber-helsefag-og-bionaeringer",
            ),
        ),
        titles=(
            "Strategisk Plan for Gjøvikregionen 2021-2025",
            "Strategisk plan for Gjøvikregionen 2018-2020",
        ),
        participants=("innlandet-fylkeskommune",),
        weak_sources={
            "http://www.gjovikregionen.no/blog/aktuelt/strategisk-forum-2/": "news-item",
            "https://www.byenvargjovik.no/invekst": "third-party-copy",
        },
    ),
    Council(
        "hadeland",
        "Regionrådet for Hadeland",
        "gran=Gran, lunner=Lunner, jevnaker=Jevnaker",
        IPR_FORM,
        "Regionrådet for Hadeland - Interkommunalt politisk råd er et politisk samarbeidsorgan",
        "Lists: members complete; focus areas partial",
        "partial",
        (
            A("Hadeland nært og naturlig", "hadeland-naert-og-naturlig"),
            A(
                "infrastruktur (samferdsel, kraft / nett-tilgang)",
                "infrastruktur-samferdsel-kraft-nett-tilgang",
            ),
            A("kompetanse / skole", "kompetanse-skole"),
            A("bærekraft", "baerekraft"),
            A("næringsutvikling", "naringsutvikling"),
        ),
        uncertain=("jevnaker",),
        participants=("akershus-fylkeskommune", "innlandet-fylkeskommune"),
    ),
    Council(
        "ringeriksregionen",
        "Interkommunalt politisk råd for Ringeriksregionen",
        "ringerike=Ringerike, hole=Hole, jevnaker=Jevnaker, krodsherad=Krødsherad, modum=Modum",
        IPR_FORM,
        "Interkommunalt politisk råd for Ringeriksregionen ble etablert 1. januar 2021",
        "Lists: members complete (five, from 2021, per the Hole and Modum pages); "
        "focus areas complete (the central tasks on the Modum page)",
        "complete",
        (
            A("Areal- og transportplanlegging", "areal-og-transportplanlegging"),
            A("By- og tettstedsutvikling", "by-og-tettstedsutvikling"),
            A("Næringsutvikling", "naringsutvikling"),
            A(
                "Avgi høringer og innspill i saker av betydning for regionen",
                "horinger-og-innspill",
            ),
            A(
                "Gi støtte til felles utviklingstiltak i tråd med formålet",
                "felles-utviklingstiltak",
            ),
        ),
        weak_sources={
            "https://www.modum.kommune.no/formelt-samarbeid-med-ringeriksregionen-fra-1-januar"
            "-2021.6353452-483132.html": "news-item"
        },
    ),
    Council(
        "lillehammer-regionen",
        "Interkommunalt politisk råd for Lillehammer-regionen",
        "gausdal=Gausdal, lillehammer=Lillehammer, oyer=Øyer",
        IPR_FORM,
        "Interkommunalt politisk råd for Lillehammer-regionen",
        "Lists: members complete; focus areas unknown",
        "unknown",
        participants=("innlandet-fylkeskommune",),
    ),
    Council(
        "sor-osterdal",
        "Sør-Østerdal interkommunale politiske råd",
        "amot=Åmot, engerdal=Engerdal, trysil=Trysil, valer-innlandet=Våler, elverum=Elverum",
        IPR_FORM,
        "Sør-Østerdal interkommunale politiske råd er et politisk samarbeidsorgan",
        "Lists: members complete; focus areas unknown",
        "unknown",
    ),
    Council(
        "kongsvingerregionen",
        "Kongsvingerregionen interkommunale politiske råd",
        "eidskog=Eidskog, grue=Grue, kongsvinger=Kongsvinger, "
        "nord-odal=Nord-Odal, sor-odal=Sør-Odal, asnes=Åsnes",
        IPR_FORM,
        "Kongsvingerregionen interkommunale politiske råd (KIPR)",
        "Lists: members complete; focus areas complete",
        "complete",
        (
            A("Bærekraftig vekst", "baerekraftig-vekst"),
            A("Handlekraftige og effektive kommuner", "handlekraftige-og-effektive-kommuner"),
            A(
                "Infrastruktur og markedstilpassede næringsarealer",
                "infrastruktur-og-markedstilpassede-naringsarealer",
            ),
            A("Kompetanse og FOU", "kompetanse-og-fou"),
            A(
                "Kompetanserekruttering og omdømmebygging",
                "kompetanserekruttering-og-omdommebygging",
            ),
            A("Sterke allianser og samarbeid om felles mål", "sterke-allianser-og-samarbeid"),
            A("Effektiv utnyttelse av digitale løsninger og KI", "digitale-losninger-og-ki"),
        ),
        titles=("Næringsstrategi 2016-2028",),
        participants=("hedmark-fylkeskommune",),
    ),
    Council(
        "nord-osterdal",
        "Interkommunalt politisk råd Nord-Østerdal",
        "os=Os, tolga=Tolga, tynset=Tynset, folldal=Folldal, alvdal=Alvdal, rendalen=Rendalen",
        IPR_FORM,
        "Interkommunalt politisk råd (IPRNØ)",
        "Lists: members complete; focus areas partial",
        "partial",
        (A("Sysselsetting og verdiskaping", "sysselsetting-og-verdiskaping"),),
        titles=("Regional nærings- og energistrategi",),
        uncertain=("os", "tolga", "tynset", "folldal", "alvdal", "rendalen"),
        participants=("hedmark-fylkeskommune", "trondelag-fylkeskommune"),
        weak_sources={
            "https://www.nord-osterdal.no/aktuelt/regional-naerings-og-energistrategi-ute-pa"
            "-horing": "news-item"
        },
    ),
    Council(
        "folloregionen",
        "Folloregionen interkommunalt politisk råd",
        "enebakk=Enebakk, frogn=Frogn, nesodden=Nesodden, "
        "nordre-follo=Nordre Follo, vestby=Vestby, as=Ås",
        IPR_FORM,
        "organisert som et interkommunalt politisk råd etter kommunelovens kapittel 18",
        "Lists: members complete; focus areas unknown",
        "unknown",
    ),
    Council(
        "ostre-agder",
        "Østre Agder interkommunalt politisk råd",
        "arendal=Arendal, froland=Froland, gjerstad=Gjerstad, grimstad=Grimstad, "
        "risor=Risør, tvedestrand=Tvedestrand, vegarshei=Vegårshei, amli=Åmli",
        IPR_FORM,
        "Samarbeidet bygger på kommunelovens §18",
        "Lists: members complete; focus areas unknown",
        "unknown",
    ),
]


@pytest.fixture(scope="module")
def sections() -> dict[str, str]:
    """more-councils.md split into its "## " sections, keyed by heading."""
    path = Settings.load(root=PROJECT_ROOT).external.parent / "sources" / "more-councils.md"
    if not path.is_file():
        pytest.skip(
            f"more-councils.md not found (looked for {path}); it sits beside IPRKG_EXTERNAL"
        )
    parts = re.split(r"^## ", path.read_text(encoding="utf-8"), flags=re.MULTILINE)[1:]
    return {part.splitlines()[0]: part for part in parts}


def section_of(sections: dict[str, str], council: Council) -> str:
    found = [text for heading, text in sections.items() if heading.startswith(council.heading)]
    assert len(found) == 1, f"no single section headed {council.heading!r} in more-councils.md"
    return found[0]


def iri(path: str) -> URIRef:
    return URIRef(BASE + path)


def texts(graph: Graph, subject: URIRef, predicate: URIRef) -> set[str]:
    return {str(value) for value in graph.objects(subject, predicate) if isinstance(value, Literal)}


IDS = [council.slug for council in COUNCILS]


@pytest.mark.parametrize("council", COUNCILS, ids=IDS)
def test_the_expectation_is_worded_as_in_the_source(
    sections: dict[str, str], council: Council
) -> None:
    text = section_of(sections, council)
    for name in council.members.values():
        assert re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text), f"{name} not in the section"
    wordings = [area.wording for area in council.focus_areas] + list(council.titles)
    for wording in wordings:
        assert wording in text, f"{wording!r} not in the section"
    assert council.form_evidence in text
    assert council.lists in text
    assert f"focus areas {council.focus}" in council.lists
    for url in council.weak_sources:
        assert url in text
    for slug in council.uncertain:
        assert council.members[slug] in text


@pytest.mark.parametrize("council", COUNCILS, ids=IDS)
def test_the_dataset_says_what_the_source_says(dataset: Graph, council: Council) -> None:
    node = iri(f"council/{council.slug}")
    has_member, complete, incomplete = (
        URIRef(ORG + "hasMember"),
        URIRef(IPR + "completeList"),
        URIRef(IPR + "incompleteList"),
    )

    members = set(dataset.objects(node, has_member))
    assert members == {iri(f"municipality/{slug}") for slug in council.members}
    for slug, name in council.members.items():
        labels = {
            str(label)
            for label in dataset.objects(iri(f"municipality/{slug}"), RDFS.label)
            if isinstance(label, Literal) and label.language == "nb"
        }
        assert f"{name} kommune" in labels, f"{slug}: {labels}"
    assert (node, complete, has_member) in dataset

    assert (node, DCTERMS.type, iri(f"cooperation-form/{council.form}")) in dataset
    legal = set(dataset.objects(node, URIRef(IPR + "legalBasis")))
    assert legal == ({iri("law/kommuneloven/18-1")} if council.form == IPR_FORM else set())

    participants = set(dataset.objects(node, URIRef(IPR + "hasParticipant")))
    assert participants == {iri(f"organisation/{slug}") for slug in council.participants}

    memberships = {
        dataset.value(membership, URIRef(ORG + "member")): membership
        for membership in dataset.subjects(URIRef(ORG + "organization"), node)
    }
    uncertain = {
        slug
        for slug in council.members
        if dataset.value(memberships[iri(f"municipality/{slug}")], URIRef(IPR + "uncertain"))
        == Literal(True)
    }
    assert uncertain == set(council.uncertain)

    strategies = set(dataset.subjects(URIRef(IPR + "strategyOf"), node))
    titles = {title for s in strategies for title in texts(dataset, s, DCTERMS.title)}
    assert set(council.titles) <= titles
    focus = URIRef(IPR + "focusArea")
    named = {area for strategy in strategies for area in dataset.objects(strategy, focus)}
    assert named == {iri(f"focus-area/{area.concept}") for area in council.focus_areas}
    for area in council.focus_areas:
        labels = texts(dataset, iri(f"focus-area/{area.concept}"), SKOS.prefLabel)
        expected = area.label or area.wording
        assert expected in labels or expected[:1].upper() + expected[1:] in labels, labels
    says = {
        (kind, strategy)
        for strategy in strategies
        for kind, predicate in (("complete", complete), ("partial", incomplete))
        if (strategy, predicate, focus) in dataset
    }
    if council.focus == "unknown":
        assert not named and not says
    else:
        assert {kind for kind, _ in says} == {council.focus}
        assert all(set(dataset.objects(strategy, focus)) for _, strategy in says)

    for url, kind in council.weak_sources.items():
        assert (URIRef(url), DCTERMS.type, iri(f"source-kind/{kind}")) in dataset
