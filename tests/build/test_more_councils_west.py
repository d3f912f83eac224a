"""The west group's councils from ``../shared/sources/more-councils.md`` (issue 19).

One case per council. Each expectation below was written by reading the council's section
of more-councils.md, not the data: the member municipalities as the section names them
(and those that are not municipalities of 2024), the focus areas in the section's wording
(with the concept that carries them, where a wording reuses a concept), the legal form and
the words that decide it, the strategy titles, ambitions and stakeholders the section
names, the completeness line, the memberships put in doubt and Træna's move in 2023. Each
case checks the expectation twice: (a) every wording occurs verbatim in the council's
section, so the table cannot drift from the source; (b) the built dataset says the same.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDFS, SKOS

from support.more_councils import (
    IPR,
    ORG,
    Council,
    FocusArea,
    focus_areas,
    iri,
    says,
    section_of,
    sections_in,
    texts,
)

IPR_FORM, IKS, PARAGRAPH_27, NOT_STATED = (
    "interkommunalt-politisk-rad",
    "interkommunalt-selskap",
    "kommuneloven-1992-paragraf-27",
    "regionrad",
)
MERGED_END = "2019-12-31"  # the assumed last day of the members that are not of 2024

A = FocusArea
COUNCILS = [
    Council(
        "region-kristiansand",
        "Region Kristiansand",
        "birkenes=Birkenes, iveland=Iveland, kristiansand=Kristiansand, lillesand=Lillesand, "
        "songdalen=Songdalen, sogne=Søgne, vennesla=Vennesla, mandal=Mandal, "
        "lindesnes=Lindesnes, marnadal=Marnadal",
        PARAGRAPH_27,
        "organisert med hjemmel i kommunelovens § 27",
        "Lists: members complete; focus areas unknown",
        ended=("songdalen", "sogne", "mandal", "marnadal"),
        weak_sources={
            "https://www.venneslatidende.no/nyheter/i/jleMOo/blir-leder-for-region-kristiansand": (
                "news-item"
            )
        },
    ),
    Council(
        "haugalandet",
        "Regionrådet for Haugalandet",
        "haugesund=Haugesund, tysvar=Tysvær, karmoy=Karmøy, utsira=Utsira, sveio=Sveio, "
        "bokn=Bokn, vindafjord=Vindafjord, etne=Etne, suldal=Suldal, sauda=Sauda",
        NOT_STATED,
        "the pages cited here do not describe the council as an IPR",
        "Lists: members complete; focus areas complete",
        (
            A("Grønn energi og industri", "gronn-energi-og-industri"),
            A("Havnæringene", "havnaeringene"),
            A("Havbruk og landbruk", "havbruk-og-landbruk"),
            A("Reiseliv og opplevelse", "reiseliv-og-opplevelse"),
            A("Infrastruktur og areal", "infrastruktur-og-areal"),
            A("Kompetanse", "kompetanse"),
            A("Nyskaping og internasjonalisering", "nyskaping-og-internasjonalisering"),
            A("Næringsaktiv offentlig sektor", "naringsaktiv-offentlig-sektor"),
            A("Samhandling og profilering", "samhandling-og-profilering"),
        ),
        titles=(
            "Veikart for Haugalandet 2021-2025",
            "Regional utviklingsplan for Haugesundregionen",
        ),
        ambitions=(
            "økt bærekraftig verdiskaping og vekst i antall arbeidsplasser, med delmål om økt "
            "nærings- og bostedsattraktivitet",
        ),
        stakeholders=("kommunene", "naringslivet", "akademia", "fylkeskommunen"),
        stakeholder_evidence="andre sentrale aktører fra næringsliv, akademia, fylkeskommuner",
        uncertain=("etne", "sveio"),  # also members of Sunnhordlandsrådet
        participants=("organisation/rogaland-fylkeskommune",),
        weak_sources={
            "https://haugalandvekst.no/regionradet-vedtok-havvindstrategi-og-reiselivsstrategi/": (
                "news-item"
            )
        },
    ),
    Council(
        "sunnhordland",
        "Sunnhordlandsrådet",
        "austevoll=Austevoll, bomlo=Bømlo, etne=Etne, fitjar=Fitjar, kvinnherad=Kvinnherad, "
        "stord=Stord, sveio=Sveio, tysnes=Tysnes",
        IKS,
        "Samarbeidsrådet for Sunnhordland er eit interkommunalt selskap",
        "Lists: members complete; focus areas complete",
        focus_areas(
            "Fremja Sunnhordland sine interesser = fremja-sunnhordland-sine-interesser;"
            "Fremja og samordna tiltaksarbeid i Sunnhordland med særleg vekt på regional "
            "utvikling, næringsutvikling og infrastruktur = tiltaksarbeid-i-sunnhordland;"
            "Vera pådrivar for betring av kommunikasjonstilhøva i Sunnhordland"
            " = betring-av-kommunikasjonstilhova;"
            "Utvikla ei samordna og effektiv marknadsføring for Sunnhordland"
            " = marknadsforing-av-sunnhordland;"
            "Vera pådrivar for kultur- og identitetsskapande tiltaksarbeid"
            " = kultur-og-identitetsskapande-tiltak;"
            "Arbeida for kommunane sine rammevilkår = kommunane-sine-rammevilkar;"
            "Saman er me sterke = saman-er-me-sterke;"
            "Den tette byen = den-tette-byen;"
            "Kraftsenter for klyngeutvikling = kraftsenter-for-klyngeutvikling;"
            "Kompetanseregionen = kompetanseregionen"
        ),
        titles=("Samarbeidsrådet for Sunnhordland sin strategiplan for 2018-2021",),
        uncertain=("etne", "sveio"),  # also members of Regionrådet for Haugalandet
        participants=("municipality/haugesund", "municipality/vindafjord"),  # observers
        weak_sources={
            "http://docplayer.me/4605171-Overordna-mal-fa-realisert-oppstart-av-ferjefri-"
            "kyststamveg-mellom-aksdal-bergen-innan-2018.html": "third-party-copy"
        },
    ),
    Council(
        "sunnmore",
        "Sunnmøre regionråd",
        "",  # "17 medlemskommunar", none named
        IKS,
        "founded as an inter-municipal company (IKS)",
        "Lists: members unknown; focus areas partial",
        (
            A("Fremjing av sunnmørske politiske interesser", "sunnmorske-politiske-interesser"),
            A("samferdsel", "samferdsel"),
            A("helse", "helse"),
            A("utdanning", "utdanning"),
            A("kraftutbygging", "kraftutbygging"),
            A("næringsliv", "naringsliv"),
            A("berekraft", "baerekraft"),
        ),
        titles=("Strategi 2019 Sunnmøre Regionråd",),
        weak_sources={
            "https://www.vikebladet.no/nyhende/i/x4z49X/stiftar-sunnmoere-regionraad-iks": (
                "news-item"
            )
        },
    ),
    Council(
        "romsdal",
        "Romsdal interkommunalt politisk råd",
        "aukra=Aukra, hustadvika=Hustadvika, molde=Molde, rauma=Rauma, vestnes=Vestnes",
        IPR_FORM,
        "i samsvar med Kommunelovens kapittel 18",
        "Lists: members complete; focus areas complete",
        focus_areas(
            "Fremme medlemskommunene sine interesser i regional- og nasjonal sammenheng"
            " = medlemskommunenes-interesser;"
            "Ta opp saker av felles interesse for medlemskommunene = saker-av-felles-interesse;"
            "attraktiv bo- og arbeidsregion som lykkes med økt tilflytting og rekruttering"
            " = attraktiv-bo-og-arbeidsregion;"
            "samferdselsløsninger som utvikler større felles bo- og arbeidsregioner i fylket"
            " = samferdselslosninger-for-bo-og-arbeidsregioner;"
            "bedre rammevilkårene for næringslivet i regionen = rammevilkar-for-naringslivet;"
            "et godt regionalt sjukehustilbud = regionalt-sjukehustilbud;"
            "sette klima og bærekraft på dagorden i medlemskommunene"
            " = klima-og-baerekraft-pa-dagorden;"
            "Initiere og følge opp ulike interkommunale prosjektsamarbeid"
            " = interkommunale-prosjektsamarbeid;"
            "fremme det kulturelle fellesskapet i medlemskommunene = det-kulturelle-fellesskapet"
        ),
        titles=("Samarbeidsavtale Romsdal IPR",),
        weak_sources={
            "https://www.romsdalipr.no/aktuelt/trygve-grydeland-ny-leder-av-romsdal-"
            "interkommunalt-politisk-rad.41206.aspx": "news-item"
        },
    ),
    Council(
        "nordfjord",
        "Nordfjordrådet",
        "eid=Eid, gloppen=Gloppen, hornindal=Hornindal, selje=Selje, stryn=Stryn, vagsoy=Vågsøy",
        PARAGRAPH_27,
        "oppretta med heimel i kommunelova sin § 27, nr. 1",
        "Lists: members complete; focus areas unknown",
        ended=("eid", "hornindal", "selje", "vagsoy"),
    ),
    Council(
        "innherred",
        "Innherred regionråd",
        "snaase-snasa=Snåsa, steinkjer=Steinkjer, inderoy=Inderøy, verdal=Verdal, "
        "levanger=Levanger",
        IPR_FORM,
        "Innherred regionråd (Innherred interkommunalt politisk råd)",
        "Lists: members complete; focus areas complete",
        (
            A("samferdsel og transport", "samferdsel-og-transport"),
            A("næringsutvikling", "naringsutvikling"),
            A("internasjonalisering", "internasjonalisering"),
            A("kompetanse", "kompetanse"),
            A("FoU og innovasjon", "fou-og-innovasjon"),
            A("by- og tettstedsutvikling", "by-og-tettstedsutvikling"),
            A("samferdsel, transport og areal", "samferdsel-transport-og-areal"),
        ),
        titles=(
            "Innherredsstrategi for perioden 2021-2023",
            "regional næringsstrategi for Innherred",
            "Innherredsbyen",
        ),
        stakeholders=(
            "fylkeskommunen",
            "statsforvalteren",
            "jernbanedirektoratet",
            "atb",
            "nye-veier",
            "statens-vegvesen",
        ),
        stakeholder_evidence="Trøndelag fylkeskommune, Statsforvalteren i Trøndelag, "
        "Jernbanedirektoratet, AtB, Nye Veier og Statens Vegvesen",
        weak_sources={
            "https://www.innherredregionrad.no/?id=6546173&cat=571207": "news-item",
            "https://www.innherredregionrad.no/innherredsbyen.6634729-571207.html": "news-item",
        },
    ),
    Council(
        "fosen",
        "Fosenregionen interkommunalt politisk råd",
        "indre-fosen=Indre Fosen, osen=Osen, orland=Ørland, afjord=Åfjord",
        IPR_FORM,
        "i henhold til kommunelovens § 18-1",
        "Lists: members complete; focus areas unknown",
        (A("Samferdsel", "samferdsel"),),  # "sentralt tema"; whether there are more is unknown
    ),
    Council(
        "helgeland",
        "Helgelandsrådet",
        "alstahaug=Alstahaug, bindal=Bindal, bronnoy=Brønnøy, donna=Dønna, grane=Grane, "
        "heroy-nordland=Herøy, leirfjord=Leirfjord, somna=Sømna, trana=Træna, vefsn=Vefsn, "
        "vega=Vega, vevelstad=Vevelstad",
        IPR_FORM,
        "Helgelandsrådet er et interkommunalt politisk råd",
        "Lists: members complete; focus areas partial",
        (
            A("Helse", "helse"),
            A("samferdsel", "samferdsel"),
            A("næring", "naring"),
            A("utdanning & kultur", "utdanning-og-kultur"),
        ),
        titles=("Overordnet strategi",),
        ambitions=(
            "Vi skal opptre samlende slik at vi kan utvikle og samle Helgeland til en "
            "slagkraftig region",
            "Vi skal aktivt jobbe for å drive fram samhold, kunnskap og forståelse for "
            "mulighetene i hele regionen",
            "Vi skal sette den politiske agendaen og gjennom den utøve vår rolle som pådriver "
            "og samfunnsaktør",
        ),
        weak_sources={
            "https://www.banett.no/nyheter/2020/09/14/Historiens-f%C3%B8rste-Helgelandsting-"
            "holdes-denne-uken-22661075.ece": "news-item",
            "https://avisahemnes.no/2023/09/nytt-regionrad-utvider-geografisk-2": "news-item",
        },
    ),
    Council(
        "polarsirkelen",
        "Polarsirkelrådet",
        "aarborte-hattfjelldal=Hattfjelldal, hemnes=Hemnes, luroy=Lurøy, nesna=Nesna, "
        "rana=Rana, trana=Træna",
        IPR_FORM,
        "Samarbeidet er etablert i henhold til kommunelovens kapittel 18",
        "Lists: members complete; focus areas unknown",
        weak_sources={
            "https://avisahemnes.no/2023/09/nytt-regionrad-utvider-geografisk-2": "news-item"
        },
    ),
]
IDS = [council.slug for council in COUNCILS]
# Træna's move (design §7): the words of each section, and the membership period in the data.
TRAENA = {
    "helgeland": (
        "Træna moved from Helgelandsrådet to the Indre Helgeland council in 2023",
        None,
        "2023-11-30",
    ),
    "polarsirkelen": ('("fra 1. des 23")', "2023-12-01", None),
}


@pytest.fixture(scope="module")
def sections(external_dir: Path) -> dict[str, str]:
    """more-councils.md (beside the external folder) split into its sections."""
    path = Path(external_dir).parent / "sources" / "more-councils.md"
    if not path.is_file():
        pytest.skip(f"more-councils.md not found (looked for {path}); it sits beside external/")
    return sections_in(path)


@pytest.mark.parametrize("council", COUNCILS, ids=IDS)
def test_the_expectation_is_worded_as_in_the_source(
    sections: dict[str, str], council: Council
) -> None:
    text = section_of(sections, council)
    for name in council.members.values():
        assert re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text), f"{name} not in the section"
    if not council.members:
        assert "17 medlemskommunar" in text and "members unknown" in council.lists
    wordings = [area.wording for area in council.focus_areas]
    for wording in wordings + list(council.titles) + list(council.ambitions):
        assert wording in text, f"{wording!r} not in the section"
    assert council.form_evidence in text
    assert council.lists in text
    assert council.stakeholder_evidence in text
    for url in council.weak_sources:
        assert url in text
    for slug in council.uncertain:
        assert council.members[slug] in text
    if council.slug in TRAENA:
        assert TRAENA[council.slug][0] in text


@pytest.mark.parametrize("council", COUNCILS, ids=IDS)
def test_the_dataset_says_what_the_source_says(dataset: Graph, council: Council) -> None:
    node = iri(f"council/{council.slug}")
    has_member = URIRef(ORG + "hasMember")
    complete, incomplete = URIRef(IPR + "completeList"), URIRef(IPR + "incompleteList")

    assert set(dataset.objects(node, has_member)) == {
        iri(f"municipality/{slug}") for slug in council.members
    }
    for slug, name in council.members.items():
        labels = texts(dataset, iri(f"municipality/{slug}"), RDFS.label)
        assert f"{name} kommune" in labels, f"{slug}: {labels}"
    # members named: the list is complete; none named (Sunnmøre): the data's list is cut off
    assert (node, complete if council.members else incomplete, has_member) in dataset

    assert (node, DCTERMS.type, iri(f"cooperation-form/{council.form}")) in dataset
    legal = set(dataset.objects(node, URIRef(IPR + "legalBasis")))
    assert legal == ({iri("law/kommuneloven/18-1")} if council.form == IPR_FORM else set())
    participants = set(dataset.objects(node, URIRef(IPR + "hasParticipant")))
    assert participants == {iri(path) for path in council.participants}

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
    for slug in council.ended:
        municipality = iri(f"municipality/{slug}")
        assert str(dataset.value(municipality, DCAT.endDate)) == MERGED_END
        period = dataset.value(memberships[municipality], URIRef(ORG + "memberDuring"))
        assert str(dataset.value(period, DCAT.endDate)) <= MERGED_END
    if council.slug in TRAENA:
        _, start, end = TRAENA[council.slug]
        period = dataset.value(memberships[iri("municipality/trana")], URIRef(ORG + "memberDuring"))
        found_end = dataset.value(period, DCAT.endDate)
        assert (None if found_end is None else str(found_end)) == end
        if start is not None:
            assert str(dataset.value(period, DCAT.startDate)) == start

    strategies = set(dataset.subjects(URIRef(IPR + "strategyOf"), node))
    titles = {title for s in strategies for title in texts(dataset, s, DCTERMS.title)}
    assert all(says(titles, title) for title in council.titles), titles
    ambitions = {
        label
        for s in strategies
        for ambition in dataset.objects(s, URIRef(IPR + "hasAmbition"))
        for label in texts(dataset, ambition, RDFS.label)
    }
    assert all(says(ambitions, ambition) for ambition in council.ambitions), ambitions
    stakeholders = {a for s in strategies for a in dataset.objects(s, URIRef(IPR + "worksTowards"))}
    assert stakeholders == {iri(f"stakeholder/{slug}") for slug in council.stakeholders}

    focus = URIRef(IPR + "focusArea")
    named = {area for strategy in strategies for area in dataset.objects(strategy, focus)}
    assert named == {iri(f"focus-area/{area.concept}") for area in council.focus_areas}
    for area in council.focus_areas:
        labels = texts(dataset, iri(f"focus-area/{area.concept}"), SKOS.prefLabel)
        assert says(labels, area.label or area.wording), labels
    stated = {
        kind
        for strategy in strategies
        for kind, predicate in (("complete", complete), ("partial", incomplete))
        if (strategy, predicate, focus) in dataset
    }
    assert stated == (set() if council.focus == "unknown" else {council.focus})

    for url, kind in council.weak_sources.items():
        assert (URIRef(url), DCTERMS.type, iri(f"source-kind/{kind}")) in dataset
