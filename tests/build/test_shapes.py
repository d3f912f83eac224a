"""Every SHACL shape catches a minimal broken example.

Each case takes the real, valid sources, applies one SPARQL Update that breaks exactly
one rule, and asserts that the expected shape reports the expected focus node. The
table must name every shape in ``shapes/`` (``test_every_shape_has_a_case``), so a new
shape needs a new case.

Each broken example is validated at its focus node only (``focused_results``): the node
shapes that target that node in the broken data are given that node as their only target
(``sh:targetNode``), the other shapes none, and pyshacl runs them against the whole data
graph. These are all the shapes whose results the case looks at, so a case
catches exactly what a full validation would report there, in a tenth of the time; the
full validation runs once, on the real sources (``test_the_real_sources_conform``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from iprkg.build.sources import Sources, load_sources
from iprkg.build.validation import NodeNames, Violation, read_result, validate
from iprkg.core.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://w3id.org/iprkg/"
IPSH = BASE + "shapes#"

PREFIXES = f"""
PREFIX ipr: <{BASE}ontology#>
PREFIX b: <{BASE}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX sdg: <http://metadata.un.org/sdg/>
PREFIX sdgo: <http://metadata.un.org/sdg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""

COUNCIL = "b:council/nome-midt-telemark"
NOME = "b:municipality/nome"
STRATEGY = "b:strategy/nome-midt-telemark-2022-2035"
MEETING = "b:meeting/2020-02-vest-telemark-nome-midt-telemark"


@dataclass(frozen=True)
class Case:
    """One broken example: the shape expected to catch it, the update that breaks it."""

    shape: str
    focus: str
    update: str
    graph: str = "data"
    """Which source graph the update breaks: ``data`` or ``ontology``."""

    @property
    def id(self) -> str:
        return f"{self.shape}:{self.focus}"


def replace(subject: str, prop: str, old: str, new: str) -> str:
    """An update that replaces one value of a property."""
    return f"DELETE DATA {{ {subject} {prop} {old} }} ; INSERT DATA {{ {subject} {prop} {new} }}"


def delete(subject: str, prop: str) -> str:
    """An update that removes every value of a property."""
    return f"DELETE WHERE {{ {subject} {prop} ?o }}"


CASES = [
    # reusable property shapes
    Case("LabelNb", NOME, replace(NOME, "rdfs:label", '"Nome kommune"@nb', '"Nome kommune"')),
    Case(
        "LabelEn",
        COUNCIL,
        f'DELETE WHERE {{ {COUNCIL} rdfs:label "Nome and Midt-Telemark Inter-municipal Political Council"@en }}',
    ),
    Case(
        "PrefLabelNb",
        "b:focus-area/samferdsel",
        replace("b:focus-area/samferdsel", "skos:prefLabel", '"Samferdsel"@nb', '"Samferdsel"'),
    ),
    Case(
        "PrefLabelEn",
        "b:focus-area/samferdsel",
        'DELETE WHERE { b:focus-area/samferdsel skos:prefLabel "Transport and communications"@en }',
    ),
    Case("TitleNbEn", STRATEGY, f'INSERT DATA {{ {STRATEGY} dct:title "En annen tittel"@nb }}'),
    Case("Source", f"{STRATEGY}/ambition/1", delete(f"{STRATEGY}/ambition/1", "dct:source")),
    Case(
        "Position",
        f"{STRATEGY}/ambition/1",
        replace(f"{STRATEGY}/ambition/1", "ipr:position", "1", "0"),
    ),
    Case(
        "OrganisationNumber",
        NOME,
        replace(NOME, "ipr:organisationNumber", '"964963371"', '"96496337"'),
    ),
    Case(
        "OrganisationNumber",
        "b:municipality/midt-telemark",
        replace(
            "b:municipality/midt-telemark", "ipr:organisationNumber", '"920297293"', '"920297294"'
        ),
    ),
    # councils and municipalities
    Case(
        "RegionalCouncilShape",
        COUNCIL,
        f"DELETE WHERE {{ {COUNCIL} org:hasMember b:municipality/nome . b:council/nome-midt-telemark/membership/nome/deltakerkommune ?p ?o }}",
    ),
    Case("RegionalCouncilShape", COUNCIL, f"INSERT DATA {{ {COUNCIL} ipr:legalBasis {NOME} }}"),
    Case(
        "RegionalCouncilShape",
        "b:council/sogn",
        "DELETE DATA { b:council/sogn ipr:incompleteList org:hasMember }",
    ),
    Case(
        "RegionalCouncilShape",
        "b:council/lister",
        "INSERT DATA { b:council/lister org:hasMember b:municipality/finnes-ikke }",
    ),
    Case(
        "RegionalCouncilShape",
        "b:council/namdal",
        'INSERT DATA { b:council/namdal dct:created "24.11.2017" }',
    ),
    Case("RegionalCouncilShape", COUNCIL, f"INSERT DATA {{ {COUNCIL} org:linkedTo {NOME} }}"),
    Case("RegionalCouncilShape", COUNCIL, delete(COUNCIL, "dct:type")),
    Case(
        "RegionalCouncilShape",
        COUNCIL,
        f'INSERT DATA {{ {COUNCIL} ipr:purposeStatement "uten språkkode" }}',
    ),
    Case(
        "RegionalCouncilShape",
        COUNCIL,
        "DELETE WHERE { b:council/nome-midt-telemark/membership/nome/deltakerkommune ?p ?o }",
    ),
    Case(
        "MembershipShape",
        "b:council/nome-midt-telemark/membership/nome/deltakerkommune",
        delete("b:council/nome-midt-telemark/membership/nome/deltakerkommune", "org:organization"),
    ),
    Case(
        "MembershipShape",
        "b:council/nome-midt-telemark/membership/nome/deltakerkommune",
        delete("b:council/nome-midt-telemark/membership/nome/deltakerkommune", "org:member"),
    ),
    Case(
        "MembershipShape",
        "b:council/nome-midt-telemark/membership/nome/deltakerkommune",
        delete("b:council/nome-midt-telemark/membership/nome/deltakerkommune", "org:role"),
    ),
    Case(
        "MembershipShape",
        "b:council/nome-midt-telemark/membership/midt-telemark/kontorkommune",
        replace(
            "b:council/nome-midt-telemark/membership/midt-telemark/kontorkommune",
            "ipr:roleAsWorded",
            '"vertskommune"@nb',
            '"vertskommune"',
        ),
    ),
    Case(
        "MembershipShape",
        "b:council/nome-midt-telemark/membership/nome/deltakerkommune",
        f"DELETE DATA {{ {COUNCIL} org:hasMember {NOME} }}",
    ),
    Case(
        "MembershipShape",
        "b:council/nome-midt-telemark/membership/nome/deltakerkommune",
        "INSERT DATA { b:council/nome-midt-telemark/membership/nome/deltakerkommune org:role b:role/kontorkommune }",
    ),
    Case(
        "ParticipantShape",
        "b:council/nord-gudbrandsdal",
        "INSERT DATA { b:council/nord-gudbrandsdal ipr:hasParticipant b:focus-area/kultur }",
    ),
    Case(
        "MembershipShape",
        "b:council/vest-telemark/membership/tokke/deltakerkommune",
        "INSERT DATA { b:council/vest-telemark/membership/tokke/deltakerkommune org:memberDuring b:municipality/tokke }",
    ),
    Case(
        "MunicipalityIdentifiersShape",
        NOME,
        f"INSERT DATA {{ {NOME} ipr:municipalityNumber b:municipality/midt-telemark }}",
    ),
    Case(
        "MunicipalityShape",
        NOME,
        replace(
            NOME,
            "owl:sameAs",
            "<http://www.wikidata.org/entity/Q2375>",
            "<https://example.org/nome>",
        ),
    ),
    Case(
        "MunicipalityShape",
        NOME,
        replace(
            NOME, "foaf:homepage", "<https://www.nome.kommune.no/>", "<ftp://nome.kommune.no/>"
        ),
    ),
    Case(
        "MunicipalityIdentifiersShape",
        NOME,
        f"""INSERT DATA {{ {NOME} ipr:municipalityNumber b:municipality/nome/number/9999 .
        b:municipality/nome/number/9999 a ipr:MunicipalityNumber ; rdfs:label "9999"@nb , "9999"@en ;
            skos:notation "9999" ; dcat:startDate "2022-06-01"^^xsd:date ; dct:source b:source/wikipedia }}""",
    ),
    Case(
        "MunicipalityNumberShape",
        "b:municipality/nome/number/4018",
        replace("b:municipality/nome/number/4018", "skos:notation", '"4018"', '"418"'),
    ),
    Case(
        "MunicipalityNumberShape",
        "b:municipality/nome/number/3816",
        replace(
            "b:municipality/nome/number/3816",
            "dcat:endDate",
            '"2023-12-31"^^xsd:date',
            '"2019-12-31"^^xsd:date',
        ),
    ),
    Case(
        "MunicipalityNumberShape",
        "b:municipality/nome/number/4018",
        'INSERT DATA { b:municipality/nome/number/4018 dcat:endDate "2030-01-01"^^xsd:date, "2031-01-01"^^xsd:date }',
    ),
    Case(
        "MunicipalityNumberShape",
        "b:municipality/nome/number/4018",
        f"DELETE DATA {{ {NOME} ipr:municipalityNumber b:municipality/nome/number/4018 }}",
    ),
    # strategies
    Case("StrategyShape", STRATEGY, delete(STRATEGY, "ipr:strategyOf")),
    Case("StrategyShape", STRATEGY, f"INSERT DATA {{ {STRATEGY} dct:temporal {NOME} }}"),
    Case("StrategyShape", STRATEGY, f"INSERT DATA {{ {STRATEGY} ipr:hasLevel {NOME} }}"),
    Case(
        "StrategyShape",
        "b:strategy/namdal",
        'INSERT DATA { b:strategy/namdal dct:dateAccepted "2024-04" }',
    ),
    Case(
        "StrategyShape",
        "b:strategy/grenland",
        "INSERT DATA { b:strategy/grenland ipr:focusArea b:focus-area/finnes-ikke }",
    ),
    Case(
        "StrategyShape",
        "b:strategy/grenland",
        f"INSERT DATA {{ b:strategy/grenland ipr:worksTowards {NOME} }}",
    ),
    Case("StrategyShape", STRATEGY, f"INSERT DATA {{ {STRATEGY} ipr:hasPremise {NOME} }}"),
    Case("StrategyShape", STRATEGY, replace(STRATEGY, "ipr:emphasisesGoal", "sdg:17", "sdg:18")),
    Case(
        "StrategyShape",
        STRATEGY,
        f'INSERT DATA {{ {STRATEGY} ipr:goalsStatement "uten språkkode" }}',
    ),
    Case("StrategyShape", STRATEGY, replace(f"{STRATEGY}/principle/2", "ipr:position", "2", "1")),
    Case(
        "StrategyShape",
        STRATEGY,
        f'DELETE WHERE {{ {STRATEGY} dct:title "Strategy for Nome and Midt-Telemark IPR 2022–2035"@en }}',
    ),
    Case(
        "PeriodShape",
        f"{STRATEGY}/period",
        replace(
            f"{STRATEGY}/period", "dcat:endDate", '"2035-12-31"^^xsd:date', '"2021-12-31"^^xsd:date'
        ),
    ),
    Case("PeriodShape", f"{STRATEGY}/period", delete(f"{STRATEGY}/period", "dcat:startDate")),
    Case(
        "StrategyLevelShape",
        f"{STRATEGY}/level/national",
        f"DELETE DATA {{ {STRATEGY} ipr:hasLevel {STRATEGY}/level/national }}",
    ),
    Case(
        "StrategyLevelShape",
        f"{STRATEGY}/level/national",
        delete(f"{STRATEGY}/level/national", "ipr:levelOfGovernment"),
    ),
    Case(
        "StrategyLevelShape",
        f"{STRATEGY}/level/national",
        f"INSERT DATA {{ {STRATEGY}/level/national ipr:worksTowards {NOME} }}",
    ),
    Case(
        "StrategyLevelShape",
        f"{STRATEGY}/level/national",
        f"INSERT DATA {{ {STRATEGY}/level/national ipr:focusArea {NOME} }}",
    ),
    Case(
        "FocusAreaShape", "b:focus-area/eierskap", delete("b:focus-area/eierskap", "skos:inScheme")
    ),
    Case(
        "FocusAreaShape",
        "b:focus-area/eierskap",
        "DELETE WHERE { ?level ipr:focusArea b:focus-area/eierskap }",
    ),
    Case(
        "CompoundFocusAreaShape",
        "b:focus-area/naringsutvikling-befolkningsutvikling-barn-og-unge",
        "DELETE { b:focus-area/naringsutvikling-befolkningsutvikling-barn-og-unge dct:hasPart ?part } "
        "WHERE { b:focus-area/naringsutvikling-befolkningsutvikling-barn-og-unge dct:hasPart ?part . "
        "FILTER (?part != b:focus-area/barn-og-unge) }",
    ),
    Case(
        "CompoundFocusAreaShape",
        "b:focus-area/naringsutvikling-befolkningsutvikling-barn-og-unge",
        "DELETE WHERE { ?level ipr:focusArea b:focus-area/naringsutvikling-befolkningsutvikling-barn-og-unge }",
    ),
    Case(
        "StakeholderShape",
        "b:stakeholder/politiet",
        "DELETE WHERE { ?level ipr:worksTowards b:stakeholder/politiet }",
    ),
    Case(
        "StakeholderShape",
        "b:stakeholder/vekst-i-grenland",
        "DELETE WHERE { ?strategy ipr:worksTowards b:stakeholder/vekst-i-grenland }",
    ),
    Case(
        "FocusAreaShape",
        "b:focus-area/politi",
        f"DELETE DATA {{ {MEETING} dct:subject b:focus-area/politi }}",
    ),
    Case(
        "ThemeMapping",
        "b:focus-area/samferdsel",
        "INSERT DATA { b:focus-area/samferdsel skos:closeMatch <https://example.org/tema/samferdsel> }",
    ),
    Case(
        "ThemeMapping",
        "b:focus-area/kultur",
        'INSERT DATA { b:focus-area/kultur skos:broadMatch "kultur" }',
    ),
    Case(
        "ListCompletenessShape",
        "b:strategy/namdal",
        "INSERT DATA { b:strategy/namdal ipr:completeList ipr:hasAmbition }",
    ),
    Case(
        "ListCompletenessShape",
        "b:strategy/kongsberg-2019-2030",
        "INSERT DATA { b:strategy/kongsberg-2019-2030 ipr:incompleteList dct:title }",
    ),
    Case(
        "ListCompletenessShape",
        "b:strategy/sogn-2021-2024",
        "INSERT DATA { b:strategy/sogn-2021-2024 ipr:incompleteList ipr:focusArea }",
    ),
    Case(
        "ListCompletenessShape",
        NOME,
        f"INSERT DATA {{ {NOME} ipr:completeList ipr:focusArea }}",
    ),
    Case(
        "UncertainShape",
        NOME,
        f'INSERT DATA {{ {NOME} ipr:uncertain "true"^^xsd:boolean }}',  # no note says why
    ),
    Case("UncertainShape", NOME, f'INSERT DATA {{ {NOME} ipr:uncertain "ja" }}'),
    Case(
        "JointMeetingShape",
        MEETING,
        f"DELETE DATA {{ {MEETING} prov:wasAssociatedWith b:council/vest-telemark }}",
    ),
    Case("JointMeetingShape", MEETING, delete(MEETING, "dct:date")),
    Case(
        "JointMeetingShape",
        MEETING,
        f'INSERT DATA {{ {MEETING} dct:date "februar 2020" }}',
    ),
    Case("JointMeetingShape", MEETING, f"INSERT DATA {{ {MEETING} dct:subject {NOME} }}"),
    Case("JointMeetingShape", MEETING, delete(MEETING, "dct:source")),
    Case(
        "OrganizationalUnitShape",
        "b:council/vest-telemark/tinget",
        delete("b:council/vest-telemark/tinget", "org:unitOf"),
    ),
    Case(
        "PremiseShape",
        f"{STRATEGY}/principle/3",
        f"DELETE DATA {{ {STRATEGY} ipr:hasPremise {STRATEGY}/principle/3 }}",
    ),
    Case(
        "AmbitionShape",
        f"{STRATEGY}/ambition/2",
        f"DELETE DATA {{ {STRATEGY} ipr:hasAmbition {STRATEGY}/ambition/2 }}",
    ),
    # vocabularies
    Case(
        "GoalShape",
        "sdg:18",
        'INSERT DATA { sdg:18 a sdgo:Goal ; skos:prefLabel "Mål 18"@nb ; skos:altLabel "Goal 18"@en ; skos:notation "18" ; dct:source <http://metadata.un.org/sdg> }',
    ),
    Case(
        "GoalShape", "sdg:3", 'DELETE WHERE { sdg:3 skos:altLabel "Good health and well-being"@en }'
    ),
    Case(
        "GoalShape",
        "sdg:3",
        replace(
            "sdg:3",
            "skos:exactMatch",
            "<http://www.wikidata.org/entity/Q50216838>",
            "<https://example.org/goal3>",
        ),
    ),
    Case("ConceptShape", "b:level/national", delete("b:level/national", "skos:inScheme")),
    Case(
        "ConceptShape",
        "b:role/kontorkommune",
        'DELETE WHERE { b:role/kontorkommune skos:prefLabel "office municipality"@en }',
    ),
    Case(
        "ConceptSchemeShape",
        "b:level",
        'DELETE WHERE { b:level skos:prefLabel "Levels of government"@en }',
    ),
    Case(
        "LegalResourceShape",
        "<https://lovdata.no/eli/lov/2018/06/22/83>",
        'DELETE WHERE { <https://lovdata.no/eli/lov/2018/06/22/83> eli:title "kommuneloven"@nb }',
    ),
    Case(
        "LegalResourceSubdivisionShape",
        "b:law/kommuneloven/17-1",
        delete("b:law/kommuneloven/17-1", "eli:is_part_of"),
    ),
    Case(
        "LegalResourceSubdivisionShape",
        "b:law/kommuneloven/18-1",
        replace("b:law/kommuneloven/18-1", "eli:number", '"§ 18-1"', '"18-1"'),
    ),
    Case(
        "DocumentShape",
        f"{STRATEGY}/pdf",
        replace(f"{STRATEGY}/pdf", "dcat:byteSize", '"638000"^^xsd:nonNegativeInteger', '"638 kB"'),
    ),
    Case("DocumentShape", f"{STRATEGY}/pdf", delete(f"{STRATEGY}/pdf", "dct:title")),
    Case(
        "DocumentShape",
        f"{STRATEGY}/pdf",
        f"INSERT DATA {{ {STRATEGY}/pdf dct:type b:cooperation-form/regionrad }}",  # not a kind
    ),
    # the ontology
    Case("OntologyShape", "b:ontology", delete("b:ontology", "owl:versionIRI"), "ontology"),
    Case("OntologyShape", "b:ontology", delete("b:ontology", "dct:license"), "ontology"),
    Case(
        "TermShape",
        "ipr:Strategy",
        'DELETE { ipr:Strategy skos:definition ?d } WHERE { ipr:Strategy skos:definition ?d . FILTER (LANG(?d) = "en") }',
        "ontology",
    ),
    # focus areas and themes (docs/model.md, "Aligning focus areas with themes")
    Case(
        "FocusAreaNamesAThemeShape",
        "b:focus-area/samferdsel",
        "DELETE WHERE { b:focus-area/samferdsel skos:closeMatch ?theme } ; "
        "INSERT DATA { b:focus-area/samferdsel skos:relatedMatch "
        "<https://psi.norge.no/los/tema/trafikk-og-transport> }",
    ),
    Case(
        "CompoundFocusAreaShape",
        "b:focus-area/forskning-og-hoyere-utdanning",
        "INSERT DATA { b:focus-area/forskning-og-hoyere-utdanning skos:broadMatch "
        "<http://publications.europa.eu/resource/authority/data-theme/EDUC> }",
    ),
    Case(
        "CompoundFocusAreaShape",
        "b:focus-area/forskning-og-hoyere-utdanning",
        "DELETE WHERE { b:focus-area/forskning-og-hoyere-utdanning dct:hasPart "
        "b:focus-area/forskning }",
    ),
    Case(
        "ListCompletenessShape",
        "b:council/vest-telemark",
        "DELETE { b:council/vest-telemark skos:note ?note } "
        'WHERE { b:council/vest-telemark skos:note ?note . FILTER (LANG(?note) = "en") }',
    ),
    Case(
        "TermShape",
        "ipr:emphasisesGoal",
        delete("ipr:emphasisesGoal", "rdfs:isDefinedBy"),
        "ontology",
    ),
]


@pytest.fixture(scope="module")
def sources() -> Sources:
    settings = Settings.load(environ={}, root=ROOT, base=BASE)
    return load_sources(settings)


def absolute(update: str) -> str:
    """The update with ``b:path`` names written as full IRIs (SPARQL names cannot hold '/')."""
    return re.sub(r"\bb:([\w/.-]*[\w/])", lambda m: f"<{BASE}{m.group(1)}>", update)


def expand(name: str) -> URIRef:
    """Expand a prefixed name as the update strings write it."""
    if name.startswith("<"):
        return URIRef(name[1:-1])
    prefix, local = name.split(":", 1)
    namespaces = {"b": BASE, "ipr": BASE + "ontology#", "sdg": "http://metadata.un.org/sdg/"}
    return URIRef(namespaces[prefix] + local)


def shape_family(shapes: Graph, shape: URIRef) -> set[Node]:
    """A shape and the property shapes it uses: any of them may report its violations."""
    return {shape, *shapes.objects(shape, SH.property)}


def test_the_real_sources_conform(sources: Sources) -> None:
    assert validate(sources) == []


def targets(shape: URIRef, shapes: Graph, data: Graph) -> set[Node]:
    """The focus nodes of a node shape in ``data``: its sh:targetClass (and subclasses, by
    rdfs:subClassOf in the data) and sh:targetSubjectsOf, the only targets in ``shapes/``."""
    found: set[Node] = set()
    for target_class in shapes.objects(shape, SH.targetClass):
        for cls in data.transitive_subjects(RDFS.subClassOf, target_class):
            found |= set(data.subjects(RDF.type, cls))
    for predicate in shapes.objects(shape, SH.targetSubjectsOf):
        found |= set(data.subjects(predicate, None))
    return found


def node_shapes(shapes: Graph) -> set[Node]:
    return set(shapes.subjects(SH.targetClass, None)) | set(
        shapes.subjects(SH.targetSubjectsOf, None)
    )


def focused_results(broken: Sources, focus: URIRef, family: set[Node]) -> list[Violation]:
    """What a full validation of ``broken`` reports at ``focus`` from the shapes of ``family``.

    The node shapes that target ``focus`` in the broken data and report through
    ``family`` keep one target, ``sh:targetNode focus``; every other target is removed.
    pyshacl then checks that one node, against the whole data graph, as it would in a
    full validation.
    """
    data, shapes = broken.served(), broken.shapes
    reporting = [
        shape
        for shape in node_shapes(shapes)
        if shape_family(shapes, shape) & family and focus in targets(shape, shapes, data)
    ]
    if not reporting:
        return []
    focused = Graph()
    focused += shapes
    for target in (SH.targetClass, SH.targetSubjectsOf):
        focused.remove((None, target, None))
    for shape in reporting:
        focused.add((shape, SH.targetNode, focus))
    _conforms, report, _text = pyshacl.validate(
        data, shacl_graph=focused, inference="none", advanced=True, allow_warnings=True
    )
    assert isinstance(report, Graph)
    names = NodeNames.of(broken)
    return [
        read_result(report, result, broken, names, "en")
        for result in report.subjects(RDF.type, SH.ValidationResult)
    ]


def caught(broken: Sources, case: Case) -> list[Violation]:
    family = shape_family(broken.shapes, URIRef(IPSH + case.shape))
    focus = expand(case.focus)
    return [
        v
        for v in focused_results(broken, focus, family)
        if v.focus == focus and v.source_shape in family
    ]


def broken_by(sources: Sources, updates: Iterable[tuple[str, str]]) -> Sources:
    broken = sources.copy()
    for graph, update in updates:
        getattr(broken, graph).update(PREFIXES + absolute(update))
    return broken


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_shape_catches_broken_example(sources: Sources, case: Case) -> None:
    broken = broken_by(sources, [(case.graph, case.update)])
    found = caught(broken, case)
    assert found, f"{case.shape} did not catch the broken example at {case.focus}"


def test_a_focused_validation_finds_what_a_full_one_finds(sources: Sources) -> None:
    """The shortcut against the real thing, for a case of each kind: a shared property
    shape, SPARQL constraints (a class target, a subjects-of target), the ontology."""
    kinds = ["LabelEn", "RegionalCouncilShape", "MunicipalityIdentifiersShape", "TermShape"]
    picked = [next(c for c in CASES if c.shape == kind) for kind in kinds]
    for case in picked:
        broken = broken_by(sources, [(case.graph, case.update)])
        family = shape_family(broken.shapes, URIRef(IPSH + case.shape))
        full = {
            (v.focus, v.source_shape, v.path, v.message)
            for v in validate(broken, lang="en")
            if v.focus == expand(case.focus) and v.source_shape in family
        }
        focused = {(v.focus, v.source_shape, v.path, v.message) for v in caught(broken, case)}
        assert focused == full != set(), case.id


def test_an_unbroken_focus_is_not_caught(sources: Sources) -> None:
    """The check can fail: the real sources at each case's focus report nothing."""
    for case in CASES[:10]:
        assert caught(sources, case) == [], case.id


def test_every_shape_has_a_case(sources: Sources) -> None:
    named = {
        s
        for s in set(sources.shapes.subjects(RDF.type, SH.NodeShape))
        | set(sources.shapes.subjects(RDF.type, SH.PropertyShape))
        if isinstance(s, URIRef)
    }
    tested = {URIRef(IPSH + c.shape) for c in CASES}
    assert named - tested == set(), "shapes without a broken example"


def test_every_shape_says_what_is_wrong_in_nb_and_en(sources: Sources) -> None:
    """Every constraint that can report has sh:message in nb and en.

    These are the property shapes (minus the inner shapes of qualified constraints,
    which report through their parent), the SPARQL constraints and validators, and the
    node shapes that carry constraints of their own.
    """
    shapes = sources.shapes
    inner = set(shapes.objects(None, SH.qualifiedValueShape))
    reporting = {s for s in shapes.subjects(SH.path, None) if s not in inner}
    reporting |= set(shapes.objects(None, SH.sparql))
    reporting |= set(shapes.objects(None, SH.nodeValidator))
    reporting |= set(shapes.subjects(SH.pattern, None)) - set(shapes.subjects(SH.path, None))
    assert len(reporting) > 50
    for shape in reporting:
        langs = {m.language for m in shapes.objects(shape, SH.message) if isinstance(m, Literal)}
        assert {"nb", "en"} <= langs, f"{shape} needs sh:message in nb and en"
