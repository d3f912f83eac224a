"""Synthetic, clearly fictitious councils and counties for the comparison at country scale.

``synthetic_councils(n)`` writes ``n`` councils as Turtle, with the facts the tests expect
(``Facts``): four fictitious counties; each council with two members in one county, every
tenth with a third member in the next county (a council spanning two counties), and the
last one with no member at all (county not known). Every second council has a strategy
naming a LOS theme through a focus area and one UN goal; every fourth says its list of
focus areas is complete, every eighth its list of goals.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BASE = "https://w3id.org/iprkg/"
COUNTIES = (
    ("nordfylket", "91", "Nordfylket (fiktivt)", "North County (fictitious)"),
    ("sorfylket", "92", "Sørfylket (fiktivt)", "South County (fictitious)"),
    ("austfylket", "93", "Austfylket (fiktivt)", "East County (fictitious)"),
    ("vestfylket", "94", "Vestfylket (fiktivt)", "West County (fictitious)"),
)
THEMES = (
    "https://psi.norge.no/los/tema/trafikk-og-transport",
    "https://psi.norge.no/los/tema/kultur-idrett-og-fritid",
)

PREFIXES = """\
@base <https://w3id.org/iprkg/> .
@prefix ipr: <ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix sdg: <http://metadata.un.org/sdg/> .
"""


@dataclass
class Facts:
    """What the synthetic data say, for the tests' expectations."""

    councils: list[str] = field(default_factory=list)
    counties: dict[str, list[str]] = field(default_factory=dict)
    """Council IRI -> its counties' slugs."""
    naming_themes: int = 0
    naming_goals: int = 0
    complete_themes: int = 0
    complete_goals: int = 0

    def in_county(self, slug: str) -> list[str]:
        return sorted(council for council, found in self.counties.items() if slug in found)


def council_slug(number: int) -> str:
    return f"testrad-{number:03d}"


def municipality(number: int, letter: str, county: int) -> str:
    slug = COUNTIES[county][0]
    return (
        f'<municipality/testby-{number:03d}-{letter}> a ipr:Municipality ; rdfs:label "Testby '
        f'{number:03d}{letter.upper()} kommune (fiktiv)"@nb , "Testby {number:03d}{letter.upper()}'
        f' Municipality (fictitious)"@en ; ipr:inCounty <county/{slug}> .\n'
    )


def synthetic_councils(count: int) -> tuple[str, Facts]:
    """``count`` fictitious councils as Turtle, and what they say (the module's rules)."""
    parts = [PREFIXES]
    for slug, number, nb, en in COUNTIES:
        parts.append(
            f'<county/{slug}> a ipr:County ; rdfs:label "{nb}"@nb , "{en}"@en ; '
            f'skos:notation "{number}" .\n'
        )
    parts.append(
        '<focus-area/test-vegar> a ipr:FocusArea , skos:Concept ; skos:prefLabel "Vegar (fiktiv)"@nb'
        f' , "Roads (fictitious)"@en ; skos:closeMatch <{THEMES[0]}> .\n'
        '<focus-area/test-kultur> a ipr:FocusArea , skos:Concept ; skos:prefLabel "Kultur (fiktiv)"'
        f'@nb , "Culture (fictitious)"@en ; skos:closeMatch <{THEMES[1]}> .\n'
    )
    facts = Facts()
    for number in range(1, count + 1):
        slug = council_slug(number)
        iri = f"{BASE}council/{slug}"
        facts.councils.append(iri)
        home = number % len(COUNTIES)
        lines = [
            f'<council/{slug}> a ipr:RegionalCouncil ; rdfs:label "Testråd {number:03d} '
            f'(fiktivt)"@nb , "Test council {number:03d} (fictitious)"@en'
        ]
        if number < count:
            members = [(number, "a", home), (number, "b", home)]
            if number % 10 == 0:
                members.append((number, "c", (home + 1) % len(COUNTIES)))
            lines.append(
                " ; org:hasMember "
                + " , ".join(f"<municipality/testby-{n:03d}-{letter}>" for n, letter, _ in members)
            )
            parts += [municipality(*member) for member in members]
            facts.counties[iri] = sorted({COUNTIES[county][0] for _, _, county in members})
        parts.append("".join(lines) + " .\n")
        if number % 2 == 0:
            complete = [
                name
                for name, every in (("ipr:focusArea", 4), ("ipr:emphasisesGoal", 8))
                if number % every == 0
            ]
            area = "test-vegar" if number % 6 else "test-kultur"
            parts.append(
                f'<strategy/{slug}> a ipr:Strategy ; dct:title "Strategi {number:03d} (fiktiv)"@nb'
                f' , "Strategy {number:03d} (fictitious)"@en ; ipr:strategyOf <council/{slug}> ;'
                f" ipr:focusArea <focus-area/{area}> ; ipr:emphasisesGoal sdg:{number % 17 + 1}"
                + (f" ; ipr:completeList {' , '.join(complete)}" if complete else "")
                + " .\n"
            )
            facts.naming_themes += 1
            facts.naming_goals += 1
            facts.complete_themes += number % 4 == 0
            facts.complete_goals += number % 8 == 0
    return "".join(parts), facts
