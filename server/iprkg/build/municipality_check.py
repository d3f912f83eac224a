"""Municipality checks: the data's municipalities and memberships against the 2024 division.

SHACL sees one resource at a time and knows nothing of Kartverket's list; these checks
read the data beside the division (``municipalities.load_division``) and block like a
SHACL violation (docs/validation.md, "Municipalities and memberships"):

1. a municipality number valid in 2024 or later that is not in the 2024 list, or one
   that two municipalities state, or a municipality that states the numbers of two;
2. a municipality (described as one, or named as a member) that has not ended
   (``dcat:endDate`` before 2024-01-01, or ``dct:isReplacedBy``) and is not a
   municipality of 2024: "did you mean …", the nearest by name;
3. a membership of a municipality that ended, lasting past its end (a membership without
   a period counts as current);
4. a municipality in the complete member lists (``ipr:completeList org:hasMember``) of two
   councils for periods that overlap (a member without a period counts as current:
   current overlaps any period without an end). Where one of the memberships is marked
   ``ipr:uncertain`` (sources disagree, docs/model.md), the data already say so, and the
   data-quality report lists it: no message.

Checks 1 and 2 need the external folder; check 3 and 4 run on the data alone.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from itertools import combinations

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, ORG
from rdflib.term import Node

from iprkg.build.municipalities import (
    YEAR_START,
    Division,
    Municipality,
    current_numbers,
    municipality_iris,
)
from iprkg.build.sources import Sources
from iprkg.build.validation import NodeNames, Violation

Period = tuple[str, str | None] | None
"""``(start, end)`` of a membership ('' for no start, None for no end); None: current."""


def check_municipalities(sources: Sources, division: Division | None, lang: str) -> list[Violation]:
    """Every finding of the municipality checks (1 and 2 only with a ``division``)."""
    data = sources.dataset()
    names = NodeNames.of(sources)
    ipr = f"{sources.base}ontology#"
    found: list[Violation] = []
    if division is not None:
        found += unknown_numbers(data, division, ipr, sources, names, lang)
        found += not_of_2024(data, division, sources, names, lang)
    found += memberships_after_end(data, sources, names, lang)
    found += overlapping_complete_lists(data, ipr, sources, names, lang)
    return found


def finding(
    sources: Sources,
    focus: Node,
    path: URIRef | None,
    names: NodeNames,
    en: str,
    nb: str,
    lang: str,
    severity: str = "Violation",
    files: tuple[str, ...] = (),
) -> Violation:
    return Violation(
        severity=severity,
        focus=focus,
        result_path=path,
        path="" if path is None else names(path),
        message=nb if lang == "nb" else en,
        source_shape=None,
        value=None,
        files=files or tuple(sources.files_for(focus)),
    )


def unknown_numbers(
    data: Graph, division: Division, ipr: str, sources: Sources, names: NodeNames, lang: str
) -> Iterator[Violation]:
    path = URIRef(f"{ipr}municipalityNumber")
    numbers = division.by_number()
    for notation, stated in sorted(current_numbers(data, ipr).items()):
        for municipality in sorted(stated):
            if notation not in numbers:
                yield finding(
                    sources,
                    municipality,
                    path,
                    names,
                    f"states kommunenummer {notation} as valid in 2024 or later, but "
                    "Kartverket's list of 2024 has no such number: check the number, or "
                    "give it the dcat:endDate it had",
                    f"oppgir kommunenummer {notation} som gyldig i 2024 eller senere, men "
                    "Kartverkets liste for 2024 har ikke det nummeret: sjekk nummeret, eller "
                    "gi det sluttdatoen (dcat:endDate) det hadde",
                    lang,
                )
            elif len(stated) > 1:
                others = " ".join(names(other) for other in sorted(stated) if other != municipality)
                yield finding(
                    sources,
                    municipality,
                    path,
                    names,
                    f"states kommunenummer {notation} ({numbers[notation].name} in 2024), as "
                    f"{others} does: a number belongs to one municipality",
                    f"oppgir kommunenummer {notation} ({numbers[notation].name} i 2024), som "
                    f"{others} også gjør: et nummer hører til én kommune",
                    lang,
                )
    iris = municipality_iris(division, data, sources.base)
    by_iri: dict[URIRef, list[str]] = {}
    for number, iri in iris.items():
        by_iri.setdefault(iri, []).append(number)
    for iri, held in sorted(by_iri.items()):
        if len(held) > 1:
            listed = ", ".join(f"{n} ({numbers[n].name})" for n in sorted(held))
            yield finding(
                sources,
                iri,
                path,
                names,
                f"would be two municipalities of 2024, {listed}: it states a number that "
                "Kartverket gives another municipality",
                f"ville vært to kommuner i 2024, {listed}: den oppgir et nummer som Kartverket "
                "gir en annen kommune",
                lang,
            )


def ended(data: Graph, municipality: Node) -> bool:
    """Marked as no longer a municipality: an end date before 2024, or a successor."""
    end = data.value(municipality, DCAT.endDate)
    return (end is not None and str(end) < YEAR_START) or (
        data.value(municipality, DCTERMS.isReplacedBy) is not None
    )


def not_of_2024(
    data: Graph, division: Division, sources: Sources, names: NodeNames, lang: str
) -> Iterator[Violation]:
    base = sources.base
    current = {str(iri): number for number, iri in municipality_iris(division, data, base).items()}
    numbers = division.by_number()
    named = set(data.subjects(RDF.type, URIRef(f"{base}ontology#Municipality")))
    named |= set(data.objects(None, ORG.hasMember)) | set(data.objects(None, ORG.member))
    slugs = {iri.removeprefix(f"{base}municipality/"): iri for iri in current}
    for municipality in sorted(m for m in named if isinstance(m, URIRef)):
        if str(municipality) in current or ended(data, municipality):
            continue
        if not str(municipality).startswith(f"{base}municipality/"):
            continue  # a member that is no municipality: the shapes say so
        guesses = difflib.get_close_matches(
            str(municipality).removeprefix(f"{base}municipality/"), slugs, 1, 0.6
        ) or close_by_label(data, municipality, numbers, current)
        guess = names.iri(slugs[guesses[0]]) if guesses and guesses[0] in slugs else None
        yield finding(
            sources,
            municipality,
            None,
            names,
            "is not a municipality of 2024 in Kartverket's list"
            + (f": did you mean {guess}?" if guess else ": check the IRI")
            + " If it no longer exists, give it a dcat:endDate before 2024-01-01 (and "
            "dct:isReplacedBy its successor, where a source names one)",
            "er ikke en kommune i Kartverkets liste for 2024"
            + (f": mente du {guess}?" if guess else ": sjekk IRI-en")
            + " Finnes den ikke lenger, gi den en sluttdato (dcat:endDate) før 2024-01-01 "
            "(og dct:isReplacedBy etterfølgeren, der en kilde nevner den)",
            lang,
        )


def close_by_label(
    data: Graph, municipality: URIRef, numbers: dict[str, Municipality], current: dict[str, str]
) -> list[str]:
    """The slug of the 2024 municipality whose name is nearest the label's (no ``kommune``)."""
    labels = [str(label) for label in data.objects(municipality, RDFS.label)]
    by_name = {numbers[number].name: iri.rsplit("/", 1)[-1] for iri, number in current.items()}
    for label in labels:
        close = difflib.get_close_matches(label.removesuffix(" kommune"), by_name, 1, 0.6)
        if close:
            return [by_name[close[0]]]
    return []


def period_of(data: Graph, membership: Node) -> Period:
    period = data.value(membership, ORG.memberDuring)
    if period is None:
        return None
    start, end = data.value(period, DCAT.startDate), data.value(period, DCAT.endDate)
    return ("" if start is None else str(start), None if end is None else str(end))


def memberships_after_end(
    data: Graph, sources: Sources, names: NodeNames, lang: str
) -> Iterator[Violation]:
    for membership, municipality in sorted(data.subject_objects(ORG.member)):
        end = data.value(municipality, DCAT.endDate)
        if end is None:
            continue
        period = period_of(data, membership)
        if period is not None and period[1] is not None and period[1] <= str(end):
            continue
        what_en = "has no period, so it is current" if period is None else "lasts past it"
        what_nb = "har ingen periode og gjelder derfor nå" if period is None else "varer lenger"
        yield finding(
            sources,
            membership,
            ORG.memberDuring,
            names,
            f"{names(municipality)} ended on {end} (dcat:endDate), but this membership "
            f"{what_en}: end the membership by then (org:memberDuring with a dcat:endDate), "
            "or make its successor the member",
            f"{names(municipality)} opphørte {end} (dcat:endDate), men dette medlemskapet "
            f"{what_nb}: avslutt medlemskapet innen da (org:memberDuring med dcat:endDate), "
            "eller gjør etterfølgeren til medlem",
            lang,
        )


def overlap(one: Period, other: Period) -> bool:
    if one is None or other is None:
        rest = other if one is None else one
        return rest is None or rest[1] is None
    (start1, end1), (start2, end2) = one, other
    return (end2 is None or start1 <= end2) and (end1 is None or start2 <= end1)


def member_periods(
    data: Graph, ipr: str, council: Node, municipality: Node
) -> list[tuple[Period, bool]]:
    """The periods ``municipality`` is a member of ``council``, each with whether it is
    marked uncertain; ``[(None, False)]`` where no membership says more."""
    found = []
    for membership in data.subjects(ORG.member, municipality):
        if data.value(membership, ORG.organization) == council:
            uncertain = data.value(membership, URIRef(f"{ipr}uncertain"))
            found.append((period_of(data, membership), is_true(uncertain)))
    return found or [(None, False)]


def is_true(value: Node | None) -> bool:
    return isinstance(value, Literal) and value.toPython() is True


def overlapping_complete_lists(
    data: Graph, ipr: str, sources: Sources, names: NodeNames, lang: str
) -> Iterator[Violation]:
    complete = sorted(data.subjects(URIRef(f"{ipr}completeList"), ORG.hasMember), key=str)
    for first, second in combinations(complete, 2):
        shared = set(data.objects(first, ORG.hasMember)) & set(data.objects(second, ORG.hasMember))
        for municipality in sorted(shared, key=str):
            clashes = [
                uncertain1 or uncertain2
                for period1, uncertain1 in member_periods(data, ipr, first, municipality)
                for period2, uncertain2 in member_periods(data, ipr, second, municipality)
                if overlap(period1, period2)
            ]
            if all(clashes):  # none, or each disputed and said so: the report shows them
                continue
            severity = "Violation"
            councils = f"{names(first)} and {names(second)}"
            yield finding(
                sources,
                municipality,
                None,
                names,
                f"is in the complete member lists of {councils} for periods that overlap "
                "(a membership without a period counts as current): give the memberships "
                "org:memberDuring periods that do not overlap, or, where sources disagree, "
                "mark the disputed membership ipr:uncertain true with a note",
                f"står i de fullstendige medlemslistene til {councils.replace(' and ', ' og ')} "
                "for perioder som overlapper (et medlemskap uten periode gjelder nå): gi "
                "medlemskapene perioder (org:memberDuring) som ikke overlapper, eller, der "
                "kildene er uenige, merk det omstridte medlemskapet ipr:uncertain true med "
                "en merknad",
                lang,
                severity,
                tuple(sources.files_for(first)) + tuple(sources.files_for(second)),
            )
