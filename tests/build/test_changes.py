"""Changes between two builds: triples added and removed, and the same in people's terms."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from iprkg.build.changes import Change, Changes, diff_graphs, diff_n_triples

BASE = "https://w3id.org/iprkg/"
PREFIXES = f"""
@base <{BASE}> .
@prefix ipr: <ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix sdgo: <http://metadata.un.org/sdg/ontology#> .
"""

BEFORE = """
<council/nome> a ipr:RegionalCouncil ;
    rdfs:label "Nome og Midt-Telemark IPR"@nb , "Nome and Midt-Telemark IPR"@en ;
    org:hasMember <municipality/nome> , <municipality/midt-telemark> .
<municipality/nome> a ipr:Municipality ; rdfs:label "Nome kommune"@nb , "Nome Municipality"@en .
<municipality/midt-telemark> a ipr:Municipality ;
    rdfs:label "Midt-Telemark kommune"@nb , "Midt-Telemark Municipality"@en .
<council/nome/membership/nome> a org:Membership ; rdfs:label "Nome, deltakerkommune"@nb .
<strategy/nome> a ipr:Strategy ;
    dct:title "Strategi for Nome"@nb , "Strategy for Nome"@en ;
    ipr:strategyOf <council/nome> ;
    ipr:focusArea <focus-area/samferdsel> ;
    ipr:emphasisesGoal <http://metadata.un.org/sdg/3> , <http://metadata.un.org/sdg/11> ;
    ipr:hasAmbition <strategy/nome/ambition/1> .
<strategy/nome/ambition/1> a ipr:Ambition ; rdfs:label "Vekst"@nb , "Growth"@en .
<focus-area/samferdsel> a ipr:FocusArea , skos:Concept ;
    skos:prefLabel "Samferdsel"@nb , "Transport"@en .
<http://metadata.un.org/sdg/3> a sdgo:Goal ;
    skos:prefLabel "God helse og livskvalitet"@nb ; skos:altLabel "Good health and well-being"@en .
<http://metadata.un.org/sdg/11> a sdgo:Goal ;
    skos:prefLabel "Bærekraftige byer og lokalsamfunn"@nb ;
    skos:altLabel "Sustainable cities and communities"@en .
"""


def graph(*turtle: str) -> Graph:
    return Graph().parse(data=PREFIXES + "\n".join(turtle), format="turtle")


def edited(turtle: str, *replacements: tuple[str, str]) -> str:
    for old, new in replacements:
        assert old in turtle, old
        turtle = turtle.replace(old, new)
    return turtle


def kinds(changes: Changes) -> list[str]:
    return [change.kind for change in changes.changes]


def test_identical_graphs_have_no_changes() -> None:
    old, new = graph(BEFORE), graph(BEFORE)
    changes = diff_graphs(old, new)
    assert not changes
    assert changes.added == changes.removed == changes.changes == ()
    assert changes.added_nt() == changes.removed_nt() == b""
    assert changes.patch() == ""
    assert changes.as_json() == {"added_triples": 0, "removed_triples": 0, "changes": []}
    assert "No changes." in changes.as_markdown("en")


def test_a_council_added_is_one_change_with_its_labels() -> None:
    council = """
    <council/sogn> a ipr:RegionalCouncil ;
        rdfs:label "Sognarådet"@nb , "Sogn Regional Council"@en ;
        org:hasMember <municipality/nome> .
    """
    changes = diff_graphs(graph(BEFORE), graph(BEFORE, council))
    # its member link is part of the council's coming, not a change of its own
    assert changes.changes == (
        Change(
            "council-added",
            f"{BASE}council/sogn",
            (("en", "Sogn Regional Council"), ("nb", "Sognarådet")),
        ),
    )
    assert changes.changes[0].label("nb") == "Sognarådet"
    assert changes.changes[0].label("en") == "Sogn Regional Council"
    assert len(changes.added) == 4 and changes.removed == ()


def test_a_council_removed() -> None:
    removed = diff_graphs(graph(BEFORE), graph(edited(BEFORE, ("a ipr:RegionalCouncil ;", ""))))
    assert kinds(removed) == ["council-removed"]
    assert removed.changes[0].label("en") == "Nome and Midt-Telemark IPR"


def test_a_member_removed_names_the_council_and_the_municipality() -> None:
    after = edited(
        BEFORE,
        (
            "org:hasMember <municipality/nome> , <municipality/midt-telemark> .",
            "org:hasMember <municipality/nome> .",
        ),
    )
    changes = diff_graphs(graph(BEFORE), graph(after))
    assert kinds(changes) == ["member-removed"]
    (change,) = changes.changes
    assert change.subject == f"{BASE}council/nome"
    assert change.target == f"{BASE}municipality/midt-telemark"
    assert change.target_label("nb") == "Midt-Telemark kommune"
    assert change.target_label("en") == "Midt-Telemark Municipality"
    assert change.label("nb") == "Nome og Midt-Telemark IPR"
    assert changes.removed == (
        (
            URIRef(f"{BASE}council/nome"),
            URIRef("http://www.w3.org/ns/org#hasMember"),
            URIRef(f"{BASE}municipality/midt-telemark"),
        ),
    )


def test_a_member_added() -> None:
    after = edited(
        BEFORE,
        ("<municipality/midt-telemark> .", "<municipality/midt-telemark> , <municipality/bo> ."),
    )
    changes = diff_graphs(graph(BEFORE), graph(after))
    assert [(c.kind, c.target, c.target_label("en")) for c in changes.changes] == [
        ("member-added", f"{BASE}municipality/bo", f"{BASE}municipality/bo"),  # no label: the IRI
    ]


def test_a_focus_area_renamed_in_one_language() -> None:
    after = edited(BEFORE, ('"Samferdsel"@nb', '"Samferdsle"@nb'))
    changes = diff_graphs(graph(BEFORE), graph(after))
    (change,) = changes.changes
    assert change.kind == "focus-area-renamed"
    assert change.subject == f"{BASE}focus-area/samferdsel"
    assert change.detail == 'skos:prefLabel@nb: "Samferdsel" → "Samferdsle"'
    assert change.label("nb") == "Samferdsle"
    assert change.label("en") == "Transport"


def test_a_label_added_in_a_new_language_is_a_renaming_too() -> None:
    after = edited(BEFORE, ('"Vekst"@nb ,', '"Vekst"@nb , "Vekst"@nn ,'))
    (change,) = diff_graphs(graph(BEFORE), graph(after)).changes
    assert change.kind == "ambition-renamed"
    assert change.detail == 'rdfs:label@nn: — → "Vekst"'


def test_a_label_changed_on_any_other_typed_resource() -> None:
    after = edited(BEFORE, ('"Nome, deltakerkommune"@nb', '"Nome kommune, deltakerkommune"@nb'))
    (change,) = diff_graphs(graph(BEFORE), graph(after)).changes
    assert change.kind == "label-changed"
    assert change.subject == f"{BASE}council/nome/membership/nome"


def test_a_goal_dropped_from_a_strategy() -> None:
    after = edited(
        BEFORE,
        (
            "ipr:emphasisesGoal <http://metadata.un.org/sdg/3> , <http://metadata.un.org/sdg/11> ;",
            "ipr:emphasisesGoal <http://metadata.un.org/sdg/11> ;",
        ),
    )
    changes = diff_graphs(graph(BEFORE), graph(after))
    (change,) = changes.changes
    assert change.kind == "goal-dropped"
    assert change.subject == f"{BASE}strategy/nome"
    assert change.target == "http://metadata.un.org/sdg/3"
    assert change.target_label("nb") == "God helse og livskvalitet"
    assert change.target_label("en") == "Good health and well-being"  # skos:altLabel@en
    assert change.label("en") == "Strategy for Nome"  # dct:title


def test_strategies_ambitions_premises_and_focus_links() -> None:
    after = edited(
        BEFORE,
        (
            "ipr:hasAmbition <strategy/nome/ambition/1> .",
            "ipr:hasPremise <strategy/nome/principle/1> ; ipr:focusArea <focus-area/helse> .",
        ),
        (
            '<strategy/nome/ambition/1> a ipr:Ambition ; rdfs:label "Vekst"@nb , "Growth"@en .',
            '<strategy/nome/principle/1> a ipr:Premise ; rdfs:label "Likeverd"@nb .',
        ),
    )
    other = '<strategy/bo> a ipr:Strategy ; dct:title "Strategi for Bø"@nb .'
    changes = diff_graphs(graph(BEFORE), graph(after, other))
    assert kinds(changes) == [
        "strategy-added",
        "strategy-focus-area-added",
        "ambition-removed",
        "premise-added",
    ]
    assert changes.changes[0].label("en") == "Strategi for Bø"  # only nb: falls back


def test_a_subclass_of_a_reported_class_counts_by_the_graphs_own_ontology() -> None:
    compound = """
    ipr:CompoundFocusArea rdfs:subClassOf ipr:FocusArea .
    <focus-area/a-b> a ipr:CompoundFocusArea ; skos:prefLabel "A, B"@nb .
    """
    ontology = "ipr:CompoundFocusArea rdfs:subClassOf ipr:FocusArea ."
    changes = diff_graphs(graph(BEFORE, ontology), graph(BEFORE, compound))
    assert [(c.kind, c.subject) for c in changes.changes] == [
        ("focus-area-added", f"{BASE}focus-area/a-b")
    ]


def test_blank_nodes_named_differently_are_no_change() -> None:
    old = graph(BEFORE, '<strategy/nome> dct:temporal [ dct:description "2022–2035"@nb ] .')
    new = graph(
        BEFORE, '<strategy/nome> dct:temporal _:period . _:period dct:description "2022–2035"@nb .'
    )
    assert {o for o in old.objects(None, URIRef("http://purl.org/dc/terms/temporal"))} != {
        o for o in new.objects(None, URIRef("http://purl.org/dc/terms/temporal"))
    }  # the blank nodes really are named differently
    changes = diff_graphs(old, new)
    assert not changes
    assert changes.changes == () and changes.patch() == ""


def test_a_real_change_under_a_blank_node_is_seen() -> None:
    old = graph(BEFORE, '<strategy/nome> dct:temporal [ dct:description "2022–2035"@nb ] .')
    new = graph(BEFORE, '<strategy/nome> dct:temporal [ dct:description "2022–2036"@nb ] .')
    changes = diff_graphs(old, new)
    assert changes
    assert Literal("2022–2035", lang="nb") in {o for _, _, o in changes.removed}
    assert Literal("2022–2036", lang="nb") in {o for _, _, o in changes.added}
    assert changes.changes == ()  # nothing in people's terms: a blank node has no name


def test_downloads_are_sorted_n_triples_of_exactly_the_difference() -> None:
    after = edited(
        BEFORE, ('"Samferdsel"@nb', '"Samferdsle"@nb'), ("<http://metadata.un.org/sdg/3> , ", "")
    )
    changes = diff_graphs(graph(BEFORE), graph(after))
    removed = Graph().parse(data=changes.removed_nt().decode(), format="nt")
    added = Graph().parse(data=changes.added_nt().decode(), format="nt")
    assert isomorphic(
        removed,
        graph("""
        <focus-area/samferdsel> skos:prefLabel "Samferdsel"@nb .
        <strategy/nome> ipr:emphasisesGoal <http://metadata.un.org/sdg/3> .
    """),
    )
    assert isomorphic(added, graph('<focus-area/samferdsel> skos:prefLabel "Samferdsle"@nb .'))
    for content in (changes.removed_nt(), changes.added_nt()):
        lines = content.decode().splitlines()
        assert lines == sorted(lines) and content.endswith(b" .\n")


def test_the_patch_puts_an_old_value_just_above_the_new_one() -> None:
    after = edited(
        BEFORE, ('"Samferdsel"@nb', '"Samferdsle"@nb'), ("<http://metadata.un.org/sdg/3> , ", "")
    )
    lines = diff_graphs(graph(BEFORE), graph(after)).patch().splitlines()
    label = f"<{BASE}focus-area/samferdsel> <http://www.w3.org/2004/02/skos/core#prefLabel>"
    assert lines == [
        f'- {label} "Samferdsel"@nb .',
        f'+ {label} "Samferdsle"@nb .',
        f"- <{BASE}strategy/nome> <{BASE}ontology#emphasisesGoal> <http://metadata.un.org/sdg/3> .",
    ]


def test_changes_come_in_a_fixed_order_whatever_the_input_order() -> None:
    after = edited(
        BEFORE,
        ('"Samferdsel"@nb', '"Samferdsle"@nb'),
        ("<http://metadata.un.org/sdg/3> , ", ""),
        (", <municipality/midt-telemark> .", " ."),
    )
    council = '<council/bo> a ipr:RegionalCouncil ; rdfs:label "Bø"@nb .'
    first = diff_graphs(graph(BEFORE), graph(after, council))
    reordered = graph(*reversed([council, after]))
    second = diff_graphs(graph(BEFORE), reordered)
    assert first == second
    assert kinds(first) == ["council-added", "member-removed", "focus-area-renamed", "goal-dropped"]


def test_markdown_summary_in_both_languages() -> None:
    after = edited(BEFORE, ("<http://metadata.un.org/sdg/3> , ", ""))
    council = '<council/bo> a ipr:RegionalCouncil ; rdfs:label "Bø_rådet"@nb , "Bø Council"@en .'
    changes = diff_graphs(graph(BEFORE), graph(after, council))
    english = changes.as_markdown("en")
    assert english.startswith("Triples: 1 removed, 3 added.\n")
    assert f"### Councils\n\n- added: [Bø Council](<{BASE}council/bo>)\n" in english
    assert (
        "### UN goals\n\n- dropped: [Good health and well-being](<http://metadata.un.org/sdg/3>)"
        f" ([Strategy for Nome](<{BASE}strategy/nome>))\n"
    ) in english
    assert english.index("### Councils") < english.index("### UN goals")
    norwegian = changes.as_markdown("nb")
    assert f"### Råd\n\n- lagt til: [Bø\\_rådet](<{BASE}council/bo>)\n" in norwegian  # escaped
    assert "### Bærekraftsmål\n\n- tatt bort: [God helse og livskvalitet]" in norwegian


def test_json_is_json_and_carries_labels_in_every_language() -> None:
    after = edited(BEFORE, (", <municipality/midt-telemark> .", " ."))
    document = diff_graphs(graph(BEFORE), graph(after)).as_json("nb")
    assert json.loads(json.dumps(document)) == document
    assert document == {
        "added_triples": 0,
        "removed_triples": 1,
        "changes": [
            {
                "kind": "member-removed",
                "subject": f"{BASE}council/nome",
                "label": "Nome og Midt-Telemark IPR",
                "labels": {"en": "Nome and Midt-Telemark IPR", "nb": "Nome og Midt-Telemark IPR"},
                "detail": f"{BASE}municipality/midt-telemark",
                "target": f"{BASE}municipality/midt-telemark",
                "target_label": "Midt-Telemark kommune",
                "target_labels": {
                    "en": "Midt-Telemark Municipality",
                    "nb": "Midt-Telemark kommune",
                },
            }
        ],
    }


def test_n_triples_helper_and_another_base() -> None:
    base = "https://example.org/ipr/"
    old = graph(BEFORE).serialize(format="nt", encoding="utf-8")
    new_graph = graph(BEFORE)
    new_graph.add(
        (
            URIRef(f"{base}council/x"),
            URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            URIRef(f"{base}ontology#RegionalCouncil"),
        )
    )
    new = new_graph.serialize(format="nt", encoding="utf-8")
    assert kinds(diff_n_triples(old, new)) == []  # not a council under the default base
    assert kinds(diff_n_triples(old, new, base=base)) == ["council-added"]


@pytest.mark.slow
def test_removing_a_real_council_from_the_real_build(dataset: Graph) -> None:
    council = URIRef(f"{BASE}council/grenland")
    new = Graph()
    for triple in dataset:
        if council not in (triple[0], triple[2]):
            new.add(triple)
    changes = diff_graphs(dataset, new)
    assert ("council-removed", str(council)) in [(c.kind, c.subject) for c in changes.changes]
    assert [c.label("nb") for c in changes.of_kind("council-removed")] == ["Grenlandsrådet"]
    assert len(changes.removed) == len(dataset) - len(new) and changes.added == ()
