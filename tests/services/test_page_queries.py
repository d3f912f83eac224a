"""The page readers' queries (``server/iprkg/services/queries/``, ``page_queries``): every
file, its slots filled, is SPARQL that runs; a slot left open is an error, never a query."""

from __future__ import annotations

import pyoxigraph
import pytest

from iprkg.services.page_queries import FOLDER, query, template

BASE = "https://w3id.org/iprkg/"
SLOTS = {
    "strategy": f"<{BASE}strategy/x>",
    "ontology": f"<{BASE}ontology>",
    "owners": f"<{BASE}strategy/x> ipr:hasLevel ?owner .",
    "link": "hasPremise",
    "kinds": "<http://www.w3.org/2002/07/owl#Class>",
    "relations": "<http://www.w3.org/2000/01/rdf-schema#domain>",
    "area": f"<{BASE}focus-area/x>",
    "stakeholder": f"<{BASE}stakeholder/x>",
    "goal": "<http://metadata.un.org/sdg/3>",
    "council": f"<{BASE}council/x>",
    "subject": f"<{BASE}council/x>",
    "member": f"<{BASE}municipality/x>",
    "municipality": f"<{BASE}municipality/x>",
    "level": f"<{BASE}strategy/x/level/regional>",
    "wikidata": "http://www.wikidata.org/entity/",
}
"""A value for every slot the files use, as the readers fill them."""
NAMES = sorted(path.relative_to(FOLDER).with_suffix("").as_posix() for path in FOLDER.rglob("*.rq"))


def test_the_readers_have_their_queries() -> None:
    families = {name.split("/")[0] for name in NAMES}
    assert {
        "strategy",
        "ontology",
        "focus-area",
        "stakeholder",
        "goal",
        "council",
        "municipality",
        "level",
        "catalog",
    } <= families
    assert len(NAMES) >= 13


@pytest.mark.parametrize("name", NAMES)
def test_every_query_filled_runs(name: str) -> None:
    used = {
        match.group("braced") or match.group("named")
        for match in template(name).pattern.finditer(template(name).template)
    } - {None}
    assert used <= set(SLOTS), f"{name}.rq has a slot the test does not know: {used - set(SLOTS)}"
    text = query(name, **{slot: SLOTS[slot] for slot in used})
    assert "${" not in text
    answer = pyoxigraph.Store().query(text, base_iri=BASE)  # parses and runs (no data)
    assert isinstance(answer, pyoxigraph.QuerySolutions)
    list(answer)


def test_a_slot_left_open_is_an_error() -> None:
    with pytest.raises(KeyError, match="strategy"):
        query("strategy/levels")


def test_label_slots_are_filled_when_read() -> None:
    source = (FOLDER / "strategy" / "levels.rq").read_text(encoding="utf-8")
    assert "${labels level level}" in source
    text = query("strategy/levels", strategy=SLOTS["strategy"])
    assert "${labels" not in text
    assert "AS ?levelNb)" in text and "AS ?levelEn)" in text
