"""The north group's councils from ``../shared/sources/more-councils.md`` (issue 19).

One case per council. Each expectation was written by reading the council's section of
more-councils.md, not the data: members as the section names them (with the 2024 IRI of a
multi-language name), focus areas in its wording, legal form and the words deciding it, titles
and periods, the completeness line, founding date, office municipality, the membership in doubt
(Lavangen in Midt-Troms) and each cited page's kind. Checked twice: (a) every wording occurs
verbatim in the section; (b) the built dataset says the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS, XSD

BASE = "https://w3id.org/iprkg/"
IPR = f"{BASE}ontology#"
ORG = "http://www.w3.org/ns/org#"
DCAT = "http://www.w3.org/ns/dcat#"
IPR_FORM = "interkommunalt-politisk-rad"
NOT_STATED = "regionrad"
DA = "ansvarlig-selskap"
SITE, MUNICIPAL, NEWS, COPY = "council-site", "municipal-site", "news-item", "third-party-copy"
# Words that would make a section state the IPR form; a "not stated" section has none of them.
IPR_WORDS = ("interkommunalt politisk", "interkommunale politisk", "kapittel 18", "kap. 18")


@dataclass(frozen=True)
class FocusArea:
    """A focus area as the section words it, the concept carrying it and its label there."""

    wording: str
    concept: str
    label: str = ""  # the concept's @nb label when it is not the wording (a reused concept)


@dataclass(frozen=True)
class Council:
    slug: str
    heading: str  # the start of the section's "## " heading
    member_list: str  # "slug=Name, …": 2024 municipality IRI slug, name as the section writes it
    form: str  # cooperation-form slug
    form_evidence: str  # the section's words that decide the form ("" where it is not stated)
    lists: str  # the section's completeness line
    focus: str  # "complete", "partial" or "unknown"
    focus_areas: tuple[FocusArea, ...] = ()
    titles: dict[str, str] = field(default_factory=dict)  # title -> "YYYY-YYYY" or ""
    untitled: int = 0  # strategies the section gives no title (the data's title is ours)
    uncertain: tuple[str, ...] = ()  # members whose membership the section puts in doubt
    evidence: tuple[str, ...] = ()  # further words of the section a judgement rests on
    created: tuple[str, str] = ("", "")  # founding date, and the section's words for it
    office: tuple[str, str] = ("", "")  # office municipality slug, and the section's words
    sources: dict[str, str] = field(default_factory=dict)  # URL -> source-kind slug

    @property
    def members(self) -> dict[str, str]:
        if not self.member_list:
            return {}
        return dict(pair.split("=") for pair in self.member_list.split(", "))

    @property
    def members_said(self) -> str:
        return self.lists.removeprefix("Lists: members ").split(";")[0]


A = FocusArea
COUNCILS = [
    Council(
        "salten",
        "Salten Regionråd",
        "",  # no page names the members: an attendance list is not a member list
        NOT_STATED,
        "",
        "Lists: members partial; focus areas unknown",
        "unknown",
        titles={
            "Saltenstrategier 2020 - 2024": "2020-2024",
            "Slagkraftige Salten, sært og nært": "",
        },
        evidence=("attendance list, not a membership list", "de ni kommunene"),
        sources={
            "https://beiarn.custompublish.com/salten-regionraad.483302.no.html": MUNICIPAL,
            "https://salten.no/nyheter/?News=107": NEWS,
            "https://docslib.org/doc/3433953/referat-fra-m%C3%B8tet": COPY,
            "https://salten.no/forside/?News=179&template=news": NEWS,
            "https://salten.no/forside/?News=185&template=news": NEWS,
            "http://www.sorfold.kommune.no/saltenstrategier": MUNICIPAL,
        },
    ),
    Council(
        "lofoten",
        "Lofotrådet",
        "rost=Røst, varoy=Værøy, moskenes=Moskenes, flakstad=Flakstad, "
        "vestvagoy=Vestvågøy, vagan=Vågan",
        IPR_FORM,
        "viser et svært aktivt interkommunalt politisk råd",
        "Lists: members complete; focus areas complete",
        "complete",
        (
            A("grønn vekst", "gronn-vekst"),
            A("samferdsel", "samferdsel", "Samferdsel"),
            A("samarbeid", "samarbeid"),
        ),
        titles={"ETT LOFOTEN": "2019-2031", "Lofoten – De grønne øyene 2030": ""},
        evidence=("Lofotrådet er et regionråd",),
        sources={
            "https://www.lofotradet.no/om-lofotradet": SITE,
            "https://www.lofotradet.no/aktuelt": SITE,
            "https://www.lofotradet.no/": SITE,
        },
    ),
    Council(
        "vesteralen",
        "Vesterålen regionråd",
        "andoy=Andøy, bo=Bø, hadsel=Hadsel, lodingen=Lødingen, sortland-suorta=Sortland, "
        "oksnes=Øksnes",
        IPR_FORM,
        "Vesterålen interkommunale politiske råd",
        "Lists: members complete; focus areas partial",
        "partial",
        (
            A(
                "strategisk politisk samarbeid (ordførersamarbeidet)",
                "strategisk-politisk-samarbeid",
            ),
            A("cultural cooperation", "kultur", "Kultur"),
            A("kulturskolesamarbeidet (MUSAM)", "kulturskolesamarbeid"),
            A("Vesterålen friluftsråd", "vesteralen-friluftsrad"),
            A("regional seneinstruktør", "regional-seneinstruktor"),
            A("regional kompetanseutvikling (RKK)", "regional-kompetanseutvikling"),
        ),
        untitled=1,
        evidence=("Her kan nevnes", "samarbeidsorgan"),
        sources={
            "https://vestreg.no/Aktuelt/om-regionradet": SITE,
            "https://vestreg.no/omvr/?Article=30": SITE,
            "https://www.vol.no/tema/Vester%C3%A5len_regionr%C3%A5d/": NEWS,
        },
    ),
    Council(
        "halogaland",
        "Hålogalandsrådet",
        "kvafjord=Kvæfjord, harstad-harsttak=Harstad, ibestad=Ibestad, "
        "dielddanuorri-tjeldsund=Tjeldsund, evenes-evenassi=Evenes, gratangen=Gratangen, "
        "loabak-lavangen=Lavangen, narvik=Narvik",
        IPR_FORM,
        "interkommunalt politisk råd opprettet med hjemmel i kommunelovens kap. 18",
        "Lists: members complete; focus areas complete",
        "complete",
        (
            A("Ung", "ung"),
            A(
                "Forsvar, samfunnssikkerhet- og beredskap",
                "forsvar-samfunnssikkerhet-og-beredskap",
            ),
            A("Reiseliv", "reiseliv"),
            A("Sjømat", "sjomat"),
            A("Infrastruktur og samferdsel", "infrastruktur-og-samferdsel"),
            A("Energi", "energi"),
            A("Utdanning", "utdanning"),
            A("Offentlige arbeidsplasser", "offentlige-arbeidsplasser"),
            A("Helse", "helse"),
        ),
        titles={"STRATEGISK PLAN FOR VEKST OG UTVIKLING 2020 - 2023": "2020-2023"},
        created=("2020-01-01", "1. januar 2020"),
        sources={
            "https://www.halogalandsradet.no/atte-kommuner-sammen-gir-en-sterkere-stemme/": (SITE),
            "https://docslib.org/doc/5129716/strategisk-plan-h%C3%A5logalandsr%C3%A5det-2020-2023": COPY,
        },
    ),
    Council(
        "midt-troms",
        "Midt-Tromsrådet",
        "bardu=Bardu, dyroy=Dyrøy, loabak-lavangen=Lavangen, malselv=Målselv, "
        "salangen=Salangen, sorreisa=Sørreisa, senja=Senja",
        IPR_FORM,
        "opprettet med hjemmel i kommunelovens kapittel18",
        "Lists: members complete; focus areas unknown",
        "unknown",
        uncertain=("loabak-lavangen",),
        evidence=("Lavangen (deputy)", "six, no Lavangen", "kommunelovens § 27"),
        sources={
            "https://www.senja.kommune.no/aktuelt/midt-tromsradet.18918.aspx": MUNICIPAL,
            "https://www.midt-troms.no/midt-tromsradet/": SITE,
            "http://www.midt-troms.no/organisasjon.75082.no.html": SITE,
            "http://nye-troms.no/nyheter/tidenes-storste-kommunestyremote-i-bardu/19.5915": (NEWS),
        },
    ),
    Council(
        "tromso-omradet",
        "Tromsø-områdets regionråd",
        "",  # no page names the members
        NOT_STATED,
        "",
        "Lists: members unknown; focus areas partial",
        "partial",
        (
            A("infrastruktur/samferdsel", "infrastruktur-samferdsel"),
            A("næringsutvikling", "naringsutvikling", "Næringsutvikling"),
            A("interkommunalt samarbeid", "interkommunalt-samarbeid"),
            A("barn og unge", "barn-og-unge", "Barn og unge"),
        ),
        titles={"Handlingsprogram for 2018-2019": "2018-2019"},
        evidence=("områder som", "does not say whether it is the same body"),
        sources={
            "https://www.tromso-omradet.no/2018/06/29/regionradets-handlingsprogram-for-2018-2019/": (
                SITE
            ),
            "https://vfrr.no/2024/01/": NEWS,
        },
    ),
    Council(
        "nord-troms",
        "Nord-Troms Regionråd DA",
        "kvanangen=Kvænangen, nordreisa-raisa-raisi=Nordreisa, "
        "gaivuotna-kafjord-kaivuono=Kåfjord, skjervoy=Skjervøy, "
        "storfjord-omasvuotna-omasvuono=Storfjord, lyngen=Lyngen",
        DA,
        "a company (DA), not described as an IPR on this page",
        "Lists: members complete; focus areas unknown",
        "unknown",
        evidence=("Gáivuona suohkan/Kåfjord", "1/6 each"),
        created=("1997-11-13", "founded 13 November 1997"),
        sources={
            "https://www.nordtromsportalen.no/om-oss.504561.no.html": SITE,
            "https://www.framtidinord.no/nyheter/i/BWxqBE/naa-er-nord-tromsraadet-etablert-med"
            "-mevik-som-leder": NEWS,
        },
    ),
    Council(
        "vest-finnmark",
        "Vest-Finnmark Rådet",
        "alta=Alta, hammerfest-hammerfeasta=Hammerfest, hasvik=Hasvik, loppa=Loppa, "
        "masoy=Måsøy, nordkapp=Nordkapp, porsanger-porsangu-porsanki=Porsanger",
        IPR_FORM,
        "opprettet med hjemmel i Kommunelovens kapittel 18",
        "Lists: members complete; focus areas unknown",
        "unknown",
        titles={"Strategiplan 2020-2023": "2020-2023"},
        office=("hasvik", "har kontorsted i Hasvik kommune"),
        sources={
            "https://vfrr.no/medlemmskommuner.html": SITE,
            "https://vfrr.no/1-januar-2020-fra-regionrad-til-interkommunalt-politisk-rad/": (NEWS),
            "https://vfrr.no/organisasjon.html": SITE,
            "https://vfrr.no/2024/01/": NEWS,
        },
    ),
    Council(
        "ost-finnmark",
        "Øst-Finnmarkrådet IPR",
        "lebesby=Lebesby, gamvik=Gamvik, deatnu-tana=Tana, berlevag=Berlevåg, "
        "batsfjord=Båtsfjord, vardo=Vardø, vadso=Vadsø, unjarga-nesseby=Nesseby, "
        "sor-varanger=Sør-Varanger",
        IPR_FORM,
        "interkommunalt politisk råd opprettet med hjemmel i kommunelovens kap. 18",
        "Lists: members complete; focus areas unknown",
        "unknown",
        (
            A(
                "utvikling av energi - olje- og gassutbygging og overføringslinjer for vindkraft",
                "utvikling-av-energi",
            ),
            A("reiseliv", "reiseliv"),
            A("Kirkenes sykehus", "kirkenes-sykehus"),
            A("kommunikasjon", "kommunikasjon"),
            A("kompetanseutvikling", "kompetanseutvikling"),
        ),
        untitled=1,
        evidence=("i første rekke",),
        sources={
            "https://ofr.no/om-oss/": SITE,
            "https://www.sor-varanger.kommune.no/cppage.566275-17830.html": MUNICIPAL,
            "https://www.ofr.no/regionraadsmoete-i-tana-9-april.6107672-477069.html": NEWS,
        },
    ),
]
IDS = [council.slug for council in COUNCILS]


@pytest.fixture(scope="module")
def sections(external_dir: Path) -> dict[str, str]:
    """more-councils.md (beside the external folder) split into its "## " sections."""
    path = Path(external_dir).parent / "sources" / "more-councils.md"
    if not path.is_file():
        pytest.skip(f"more-councils.md not found (looked for {path}); it sits in ../shared/sources")
    parts = re.split(r"^## ", path.read_text(encoding="utf-8"), flags=re.MULTILINE)[1:]
    return {part.splitlines()[0]: part for part in parts}


def section_of(sections: dict[str, str], council: Council) -> str:
    found = [text for heading, text in sections.items() if heading.startswith(council.heading)]
    assert len(found) == 1, f"no single section headed {council.heading!r} in more-councils.md"
    return found[0]


def iri(path: str) -> URIRef:
    return URIRef(BASE + path)


def texts(graph: Graph, subject: URIRef, predicate: URIRef, lang: str | None = None) -> set[str]:
    values = graph.objects(subject, predicate)
    return {str(v) for v in values if isinstance(v, Literal) and lang in (None, v.language)}


@pytest.mark.parametrize("council", COUNCILS, ids=IDS)
def test_the_expectation_is_worded_as_in_the_source(
    sections: dict[str, str], council: Council
) -> None:
    text = section_of(sections, council)
    for name in council.members.values():
        assert re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text), f"{name} not in the section"
    wordings = [area.wording for area in council.focus_areas] + list(council.titles)
    wordings += list(council.evidence) + list(council.sources)
    wordings += [words for words in (council.form_evidence, council.created[1], council.office[1])]
    for wording in filter(None, wordings):
        assert wording in text, f"{wording!r} not in the section"
    if council.form == NOT_STATED:
        assert not any(word in text for word in IPR_WORDS)
    assert council.lists in text
    assert f"focus areas {council.focus}" in council.lists
    for slug in council.uncertain:
        assert text.count(council.members[slug]) >= 2  # named on one page, missing on another


@pytest.mark.parametrize("council", COUNCILS, ids=IDS)
def test_the_dataset_says_what_the_source_says(dataset: Graph, council: Council) -> None:
    node = iri(f"council/{council.slug}")
    has_member = URIRef(ORG + "hasMember")
    complete, incomplete = URIRef(IPR + "completeList"), URIRef(IPR + "incompleteList")

    members = {iri(f"municipality/{slug}") for slug in council.members}
    assert set(dataset.objects(node, has_member)) == members
    for slug, name in council.members.items():
        labels = texts(dataset, iri(f"municipality/{slug}"), RDFS.label, "nb")
        assert f"{name} kommune" in labels, f"{slug}: {labels}"
    # members unknown and no member named: the data can only say that their (empty) list is
    # incomplete, as the shapes ask of a council with fewer than two members.
    said = complete if council.members_said == "complete" else incomplete
    assert (node, said, has_member) in dataset

    assert (node, DCTERMS.type, iri(f"cooperation-form/{council.form}")) in dataset
    legal = set(dataset.objects(node, URIRef(IPR + "legalBasis")))
    assert legal == ({iri("law/kommuneloven/18-1")} if council.form == IPR_FORM else set())
    assert not set(dataset.objects(node, URIRef(IPR + "hasParticipant")))
    founded = Literal(council.created[0], datatype=XSD.date) if council.created[0] else None
    assert dataset.value(node, DCTERMS.created) == founded

    memberships = {
        (dataset.value(m, URIRef(ORG + "member")), dataset.value(m, URIRef(ORG + "role"))): m
        for m in dataset.subjects(URIRef(ORG + "organization"), node)
    }
    role = iri("role/deltakerkommune")
    assert {member for member, r in memberships if r == role} == members
    offices = {member for member, r in memberships if r == iri("role/kontorkommune")}
    assert offices == ({iri(f"municipality/{council.office[0]}")} if council.office[0] else set())
    for slug in council.members:
        membership = memberships[iri(f"municipality/{slug}"), role]
        uncertain = dataset.value(membership, URIRef(IPR + "uncertain")) == Literal(True)
        assert uncertain == (slug in council.uncertain), slug
        if uncertain:  # both sides cited and explained
            assert len(set(dataset.objects(membership, DCTERMS.source))) >= 2
            assert texts(dataset, membership, SKOS.note, "nb")
            assert texts(dataset, membership, SKOS.note, "en")

    strategies = set(dataset.subjects(URIRef(IPR + "strategyOf"), node))
    by_title = {title: s for s in strategies for title in texts(dataset, s, DCTERMS.title, "nb")}
    assert set(council.titles) <= set(by_title)
    assert len(strategies) == len(council.titles) + council.untitled
    for title, years in council.titles.items():
        period = dataset.value(by_title[title], DCTERMS.temporal)
        if not years:
            assert period is None
            continue
        start, end = (dataset.value(period, URIRef(DCAT + p)) for p in ("startDate", "endDate"))
        assert f"{str(start)[:4]}-{str(end)[:4]}" == years

    focus = URIRef(IPR + "focusArea")
    named = {area for strategy in strategies for area in dataset.objects(strategy, focus)}
    assert named == {iri(f"focus-area/{area.concept}") for area in council.focus_areas}
    for area in council.focus_areas:
        labels = texts(dataset, iri(f"focus-area/{area.concept}"), SKOS.prefLabel, "nb")
        expected_label = area.label or area.wording[:1].upper() + area.wording[1:]
        assert expected_label in labels, labels
    says = {
        kind
        for strategy in strategies
        for kind, predicate in (("complete", complete), ("partial", incomplete))
        if (strategy, predicate, focus) in dataset
    }
    assert says == (set() if council.focus == "unknown" else {council.focus})

    for url, kind in council.sources.items():
        assert (URIRef(url), DCTERMS.type, iri(f"source-kind/{kind}")) in dataset, url
