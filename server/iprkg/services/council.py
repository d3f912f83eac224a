"""What the council page shows: a council that reads like a council, in nb and en.

``read_council(store, labels, iri)`` reads, through the store interface, the council's
names, its kind and legal basis in words, its purpose, its members with their roles (and
periods where given), whether the list of members is known to be complete, those who
founded it and those who take part without being members, its strategies (newest first,
with their periods), the focus areas and UN goals of those strategies, its bodies, its
meetings and the councils it is linked to, its identifiers and sources. The queries are
the files in ``queries/council/`` (``page_queries``); names come from the app's
``Labels``, so every page names a thing the same way. Nothing here is specific to one
council.

The helpers that the municipality and level pages share (``Named``, ``named``,
``facts_of``, ``plain_note``) live here too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from iprkg.core.vocabulary import DCT, FOAF, ORG, OWL, RDF, RDFS, SKOS
from iprkg.engine.results import Row, Text, iri_ref, select
from iprkg.engine.store import ReadOnlyStore
from iprkg.services.labels import Labels
from iprkg.services.page_queries import query, unique
from iprkg.services.strategy import FocusArea, Goal, read_focus_areas, read_goals

IPR_LOCAL = "ontology#"
"""The ontology's namespace, relative to the base (``ipr:``)."""
WIKIDATA = "http://www.wikidata.org/entity/"
MACHINE_TEXT = re.compile(r"\s*\((?:[^()]*?(?:\b[a-z]+:[A-Za-z]|<[^<>]*>))[^()]*\)")
"""A parenthesis holding a prefixed name (``ipr:completeList``) or an IRI in angle
brackets (``<meeting/…>``): the sources' notes to the data's readers, not to people."""


@dataclass(frozen=True)
class Named:
    """A resource with its display label in nb and en."""

    iri: str
    label: Text


@dataclass(frozen=True)
class Identifier:
    """An identifier shown as what it is: "Wikidata Q2375", linked."""

    scheme: Text
    value: str
    url: str = ""


@dataclass
class Member:
    organisation: Named
    roles: list[Named] = field(default_factory=list)
    worded: list[Text] = field(default_factory=list)
    """The sources' own words for a role ("vertskommune"), where they differ."""
    periods: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Founding:
    event: Named
    date: str
    founders: list[Named] = field(default_factory=list)


@dataclass
class StrategyEntry:
    strategy: Named
    start: str
    end: str
    accepted: str


@dataclass
class Meeting:
    meeting: Named
    date: str
    others: list[Named] = field(default_factory=list)
    topics: list[Named] = field(default_factory=list)


@dataclass
class Council:
    iri: str
    title: Text
    other_names: list[Text]
    kinds: list[Named]
    legal_bases: list[Named]
    purpose: Text
    descriptions: list[Text]
    """What the data say of it in prose (``dct:description``, ``rdfs:comment``)."""
    created: str
    notes: list[Text]
    members: list[Member]
    members_complete: bool
    members_incomplete: bool
    foundings: list[Founding]
    participants: list[Named]
    strategies: list[StrategyEntry]
    focus_areas: list[FocusArea]
    goals: list[Goal]
    bodies: list[Named]
    body_notes: dict[str, Text]
    meetings: list[Meeting]
    linked: list[Named]
    identifiers: list[Identifier]
    homepages: list[str]
    sources: list[Named]


def named(labels: Labels, iri: str) -> Named:
    return Named(iri, Text(nb=labels.label(iri, "nb"), en=labels.label(iri, "en")))


def by_label(items: Iterable[Named]) -> list[Named]:
    """Unique by IRI, in the order of their Bokmål labels."""
    unique_items = {item.iri: item for item in items}
    return sorted(unique_items.values(), key=lambda item: (item.label.nb.casefold(), item.iri))


def facts_of(store: ReadOnlyStore, iri: str) -> list[Row]:
    """Every ``?property ?value`` of ``iri``."""
    return select(store, query("council/facts", subject=iri_ref(iri)))


def values(facts: list[Row], prop: str) -> list[str]:
    """The values of ``prop`` (a full IRI) among ``facts``, sorted, once each."""
    return sorted({str(row["value"]) for row in facts if str(row["property"]) == prop})


def texts(facts: list[Row], prop: str) -> list[Text]:
    """The literals of ``prop`` paired by language (nb and en), the nb one's order."""
    nb = [str(row["value"]) for row in facts if str(row["property"]) == prop and is_nb(row)]
    en = [
        str(row["value"])
        for row in facts
        if str(row["property"]) == prop and row["value"].lang.lower().startswith("en")
    ]
    count = max(len(nb), len(en))
    return [
        Text(nb=nb[i] if i < len(nb) else "", en=en[i] if i < len(en) else "") for i in range(count)
    ]


def is_nb(row: Row) -> bool:
    lang = row["value"].lang.lower()
    return lang.split("-", 1)[0] in ("nb", "no", "nn") or not lang


def first_text(facts: list[Row], prop: str) -> Text:
    found = texts(facts, prop)
    return found[0] if found else Text()


def has_fact(facts: list[Row], prop: str, value: str) -> bool:
    return any(str(row["property"]) == prop and str(row["value"]) == value for row in facts)


def plain_note(note: Text) -> Text:
    """A note without its machine text: "(ipr:completeList org:hasMember)" and
    "(<meeting/…>)" are for the data's readers; the sentence around them is kept."""
    return Text(nb=MACHINE_TEXT.sub("", note.nb), en=MACHINE_TEXT.sub("", note.en))


def identifiers(facts: list[Row]) -> list[Identifier]:
    """Wikidata items (``owl:sameAs``) as "Wikidata Q2375", linked to the item."""
    found = []
    for same in values(facts, f"{OWL}sameAs"):
        if same.startswith(WIKIDATA):
            item = same.removeprefix(WIKIDATA)
            found.append(Identifier(Text("Wikidata", "Wikidata"), item, same))
    return found


def read_council(store: ReadOnlyStore, labels: Labels, iri: str) -> Council | None:
    """Everything the page shows about the council ``iri``; None if it is not one (an
    ``ipr:RegionalCouncil``)."""
    ipr = f"{store.base_iri}{IPR_LOCAL}"
    facts = facts_of(store, iri)
    if f"{ipr}RegionalCouncil" not in values(facts, f"{RDF}type"):
        return None
    subject = iri_ref(iri)

    def name(value: str) -> Named:
        return named(labels, value)

    strategies = [
        StrategyEntry(
            name(str(row["strategy"])),
            str(row.get("start", "")),
            str(row.get("end", "")),
            str(row.get("accepted", "")),
        )
        for row in unique(select(store, query("council/strategies", council=subject)), "strategy")
    ]
    owners = f"?strategy <{ipr}strategyOf> {subject} . ?strategy (<{ipr}hasLevel>)? ?owner ."
    areas: dict[str, FocusArea] = {}
    for owned in read_focus_areas(store, owners).values():
        for area in owned:
            areas.setdefault(area.iri, area)
    goals: dict[str, Goal] = {}
    for entry in strategies:
        for goal in read_goals(store, iri_ref(entry.strategy.iri)):
            goals.setdefault(goal.iri, goal)
    bodies = select(store, query("council/bodies", council=subject))
    body_iris = sorted({str(row["item"]) for row in bodies if str(row["kind"]) == "body"})
    return Council(
        iri=iri,
        title=Text(labels.label(iri, "nb"), labels.label(iri, "en")),
        other_names=texts(facts, f"{SKOS}altLabel"),
        kinds=[name(kind) for kind in values(facts, f"{DCT}type")],
        legal_bases=[name(basis) for basis in values(facts, f"{ipr}legalBasis")],
        purpose=first_text(facts, f"{ipr}purposeStatement"),
        descriptions=texts(facts, f"{DCT}description") + texts(facts, f"{RDFS}comment"),
        created=next(iter(values(facts, f"{DCT}created")), ""),
        notes=[plain_note(note) for note in texts(facts, f"{SKOS}note")],
        members=read_members(store, labels, subject),
        members_complete=has_fact(facts, f"{ipr}completeList", f"{ORG}hasMember"),
        members_incomplete=has_fact(facts, f"{ipr}incompleteList", f"{ORG}hasMember"),
        foundings=read_foundings(store, labels, subject),
        participants=by_label(name(p) for p in values(facts, f"{ipr}hasParticipant")),
        strategies=strategies,
        focus_areas=sorted(areas.values(), key=lambda area: (area.label.nb.casefold(), area.iri)),
        goals=sorted(goals.values(), key=lambda goal: (goal.number, goal.iri)),
        bodies=by_label(name(body) for body in body_iris),
        body_notes={
            body: first_text(facts_of(store, body), f"{DCT}description") for body in body_iris
        },
        meetings=read_meetings(store, labels, subject),
        linked=by_label(name(str(row["item"])) for row in bodies if str(row["kind"]) == "linked"),
        identifiers=identifiers(facts),
        homepages=values(facts, f"{FOAF}homepage"),
        sources=[name(source) for source in values(facts, f"{DCT}source")],
    )


def read_members(store: ReadOnlyStore, labels: Labels, council: str) -> list[Member]:
    """The members, each once with all its roles, by name."""
    members: dict[str, Member] = {}
    for row in select(store, query("council/members", council=council)):
        member = members.setdefault(str(row["member"]), Member(named(labels, str(row["member"]))))
        role = row.get("role")
        if role is not None and str(role) not in {r.iri for r in member.roles}:
            member.roles.append(named(labels, str(role)))
        worded = Text(str(row.get("wordedNb", "")), str(row.get("wordedEn", "")))
        if worded and worded not in member.worded:
            member.worded.append(worded)
        period = (str(row.get("start", "")), str(row.get("end", "")))
        if any(period) and period not in member.periods:
            member.periods.append(period)
    for member in members.values():  # rows come in the store's order: make it the same anywhere
        member.roles.sort(key=lambda role: (role.label.nb.casefold(), role.iri))
        member.worded.sort(key=lambda text: (text.nb, text.en))
        member.periods.sort()
    return sorted(
        members.values(),
        key=lambda m: (m.organisation.label.nb.casefold(), m.organisation.iri),
    )


def read_foundings(store: ReadOnlyStore, labels: Labels, council: str) -> list[Founding]:
    """The events that founded the council, each with its founders by name."""
    foundings: dict[str, Founding] = {}
    for row in select(store, query("council/founders", council=council)):
        event = str(row["event"])
        founding = foundings.setdefault(
            event, Founding(named(labels, event), str(row.get("date", "")))
        )
        founder = row.get("founder")
        if founder is not None:
            founding.founders.append(named(labels, str(founder)))
    for founding in foundings.values():
        founding.founders = by_label(founding.founders)
    return sorted(foundings.values(), key=lambda founding: (founding.date, founding.event.iri))


def read_meetings(store: ReadOnlyStore, labels: Labels, council: str) -> list[Meeting]:
    """The meetings the council took part in, newest first, with the others there."""
    meetings: dict[str, Meeting] = {}
    for row in select(store, query("council/meetings", council=council)):
        iri = str(row["meeting"])
        meeting = meetings.setdefault(iri, Meeting(named(labels, iri), str(row.get("date", ""))))
        for key, found in (("other", meeting.others), ("topic", meeting.topics)):
            value = row.get(key)
            if value is not None and str(value) not in {item.iri for item in found}:
                found.append(named(labels, str(value)))
    for meeting in meetings.values():
        meeting.others = by_label(meeting.others)
        meeting.topics = by_label(meeting.topics)
    return list(meetings.values())
