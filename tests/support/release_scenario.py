"""A change to the data between two releases, shared by the release tests.

``change_the_data(root)`` edits a copy of the real project (from ``make_project``) the way
a maintainer would between releases 2026-1 and 2026-2, keeping it valid, and returns what
it changed, so that tests can assert that the diff names exactly these changes:

* a member municipality gone: Sirdal leaves Lister IPR (its membership goes too; the
  municipality itself stays in data/municipalities.ttl);
* a focus area renamed: the English label of ``focus-area/samferdsel``;
* a goal dropped: Nome og Midt-Telemark's strategy no longer emphasises UN goal 17.
"""

from __future__ import annotations

from pathlib import Path

BASE = "https://w3id.org/iprkg/"

COUNCIL = f"{BASE}council/lister"
MUNICIPALITY = f"{BASE}municipality/sirdal"
MEMBERSHIP = f"{BASE}council/lister/membership/sirdal/deltakerkommune"
FOCUS_AREA = f"{BASE}focus-area/samferdsel"
OLD_LABEL = "Transport and communications"
NEW_LABEL = "Transport and mobility"
STRATEGY = f"{BASE}strategy/nome-midt-telemark-2022-2035"
GOAL = "http://metadata.un.org/sdg/17"

EXPECTED_KINDS = {"member-removed", "focus-area-renamed", "goal-dropped"}
"""The kinds of change (``iprkg.build.changes``) the edit makes, one change each."""

SIRDAL_MEMBERSHIP = """\
<council/lister/membership/sirdal/deltakerkommune> a org:Membership ;
    rdfs:label "Sirdal kommune, deltakerkommune i Lister IPR"@nb ,
        "Sirdal Municipality, participating municipality of Lister IPR"@en ;
    org:organization <council/lister> ;
    org:member <municipality/sirdal> ;
    org:role <role/deltakerkommune> ;
    dct:source <https://www.listersamarbeidet.no/lister-interkommunale-politiske-rad/representantskapet> .

"""


def replace_once(path: Path, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in ``path``, which must hold ``old`` exactly once."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path}: expected {old!r} once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def change_the_data(root: Path) -> dict[str, str]:
    """Make the three edits in the project at ``root``; return what changed (IRIs, labels).

    Keys: ``council``, ``municipality``, ``membership`` (the member gone and its
    membership), ``focus_area``, ``old_label``, ``new_label`` (the renamed focus area, its
    English label before and after), ``strategy``, ``goal`` (the goal dropped).
    """
    lister = root / "data" / "councils" / "lister.ttl"
    replace_once(
        lister,
        "        <municipality/lyngdal> ,\n        <municipality/sirdal> ;",
        "        <municipality/lyngdal> ;",
    )
    replace_once(lister, SIRDAL_MEMBERSHIP, "")
    replace_once(
        root / "data" / "vocabularies" / "focus-areas.ttl",
        f'"Samferdsel"@nb , "{OLD_LABEL}"@en ;',
        f'"Samferdsel"@nb , "{NEW_LABEL}"@en ;',
    )
    replace_once(
        root / "data" / "councils" / "nome-midt-telemark.ttl",
        "ipr:emphasisesGoal sdg:3 , sdg:4 , sdg:8 , sdg:9 , sdg:11 , sdg:17 ;",
        "ipr:emphasisesGoal sdg:3 , sdg:4 , sdg:8 , sdg:9 , sdg:11 ;",
    )
    return {
        "council": COUNCIL,
        "municipality": MUNICIPALITY,
        "membership": MEMBERSHIP,
        "focus_area": FOCUS_AREA,
        "old_label": OLD_LABEL,
        "new_label": NEW_LABEL,
        "strategy": STRATEGY,
        "goal": GOAL,
    }
