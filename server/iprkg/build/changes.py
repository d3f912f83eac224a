"""What changed between two builds: in triples, and in people's terms.

Two layers, both pure (graphs in, values out; no files, no web):

* **RDF.** The triples only in the new graph (``added``) and only in the old one
  (``removed``). Blank nodes have no identity across files, so both graphs are first
  given canonical blank-node labels by ``rdflib.compare.graph_diff`` (which runs
  ``to_canonical_graph`` on each): two graphs that differ only in how their blank nodes
  are called have no difference at all. ``added_nt()`` and ``removed_nt()`` are sorted
  N-Triples (the dumps' own writer, ``dumps.sorted_n_triples``); ``patch()`` is one text
  with a ``-`` or ``+`` before each triple, sorted by triple so that a changed value shows
  its old line just above its new one.

* **People's terms.** A list of ``Change`` records read from both graphs by three tables:

  - ``RESOURCE_RULES`` (class, name): an instance of the class (or of a subclass, as the
    graph's own ``rdfs:subClassOf`` says) only in the new graph is ``{name}-added``, only
    in the old one ``{name}-removed``: councils, strategies, focus areas, ambitions ...
  - ``LINK_RULES`` (property, name, verbs): a link only in one graph, e.g. a member
    municipality added to a council (``member-added``) or a UN goal a strategy no longer
    emphasises (``goal-dropped``). Links of a resource that is itself added or removed are
    left out: the resource's own change says it.
  - ``LABELLED_BY``: for every resource typed in both graphs, a label (per property
    and language) that differs is ``{name}-renamed`` when a resource rule names its class
    (``focus-area-renamed``), else ``label-changed``.

  Only IRIs are compared in this layer (the data have no blank nodes; a blank node has no
  name to report). Every change carries the subject's labels in every language it has,
  and ``Change.label(lang)`` picks one as the pages do. The order is deterministic:
  section, then kind, then subject IRI, then the other end, then the detail.

``Changes.as_markdown(lang)`` is a summary for a release page; ``Changes.as_json(lang)``
the same as a JSON-able dict.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, Namespace, URIRef
from rdflib.compare import graph_diff
from rdflib.term import Node

from iprkg.build.dumps import sorted_n_triples, term_key
from iprkg.build.graph_facts import (
    LABELLED_BY,
    Labels,
    best_label,
    instances,
    labels_of,
    links,
    literals,
    resolve,
    typed_iris,
)
from iprkg.core import vocabulary
from iprkg.core.settings import SETTINGS

ORG = Namespace(vocabulary.ORG)

DEFAULT_BASE = next(setting.default for setting in SETTINGS if setting.env == "IPRKG_BASE")
"""The default of the IPRKG_BASE setting; the ontology's terms are ``{base}ontology#Term``."""

Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class ResourceRule:
    """Instances of ``term`` (an ontology term or a full IRI) are reported as ``name``."""

    term: str
    name: str


@dataclass(frozen=True)
class LinkRule:
    """Triples of ``term`` between two IRIs are reported as ``name``-``added``/``removed``."""

    term: str
    name: str
    added: str = "added"
    removed: str = "removed"


RESOURCE_RULES: tuple[ResourceRule, ...] = (
    ResourceRule("RegionalCouncil", "council"),
    ResourceRule("Municipality", "municipality"),
    ResourceRule("Strategy", "strategy"),
    ResourceRule("FocusArea", "focus-area"),
    ResourceRule("Ambition", "ambition"),
    ResourceRule("Premise", "premise"),
    ResourceRule("Stakeholder", "stakeholder"),
    ResourceRule("JointMeeting", "joint-meeting"),
)
"""Resources whose coming and going is news. A term without ``:`` is in the ontology."""

LINK_RULES: tuple[LinkRule, ...] = (
    LinkRule(str(ORG.hasMember), "member"),
    LinkRule("focusArea", "strategy-focus-area"),
    LinkRule("emphasisesGoal", "goal", removed="dropped"),
    LinkRule("worksTowards", "strategy-stakeholder"),
)
"""Links whose change is news: members of councils, focus areas, goals, stakeholders."""

LABEL_CHANGED = "label-changed"

SECTIONS: tuple[tuple[str, Mapping[str, str]], ...] = (
    ("council", {"en": "Councils", "nb": "Råd"}),
    ("member", {"en": "Members", "nb": "Medlemmer"}),
    ("municipality", {"en": "Municipalities", "nb": "Kommuner"}),
    ("strategy", {"en": "Strategies", "nb": "Strategier"}),
    ("focus-area", {"en": "Focus areas", "nb": "Fokusområder"}),
    ("strategy-focus-area", {"en": "Focus areas of strategies", "nb": "Strategienes fokusområder"}),
    ("ambition", {"en": "Ambitions", "nb": "Ambisjoner"}),
    ("premise", {"en": "Premises", "nb": "Premisser"}),
    ("goal", {"en": "UN goals", "nb": "Bærekraftsmål"}),
    ("stakeholder", {"en": "Stakeholders", "nb": "Aktører"}),
    ("strategy-stakeholder", {"en": "Stakeholders of strategies", "nb": "Strategienes aktører"}),
    ("joint-meeting", {"en": "Joint meetings", "nb": "Fellesmøter"}),
    ("label", {"en": "Labels", "nb": "Navn"}),
)
"""Markdown sections in order; a change's section is its kind without the verb."""

VERBS: Mapping[str, Mapping[str, str]] = {
    "added": {"en": "added", "nb": "lagt til"},
    "removed": {"en": "removed", "nb": "fjernet"},
    "dropped": {"en": "dropped", "nb": "tatt bort"},
    "renamed": {"en": "renamed", "nb": "nytt navn"},
    "changed": {"en": "changed", "nb": "endret"},
}

TRIPLES = {
    "en": "Triples: {removed} removed, {added} added.",
    "nb": "Tripler: {removed} fjernet, {added} lagt til.",
}
NO_CHANGES = {"en": "No changes.", "nb": "Ingen endringer."}


@dataclass(frozen=True)
class Change:
    """One change in people's terms.

    ``kind`` is ``{name}-{verb}`` from the rule tables (``council-added``,
    ``member-removed``, ``focus-area-renamed``, ``label-changed`` ...); ``subject`` the
    IRI of the resource that changed (for a link, the council or strategy); ``target``
    the other end of a link (the municipality, the goal), else None. ``detail`` is
    language-neutral: for a label, ``rdfs:label@nb: "old" → "new"``.
    """

    kind: str
    subject: str
    labels: Labels = ()
    detail: str = ""
    target: str | None = None
    target_labels: Labels = ()

    @property
    def section(self) -> str:
        return "label" if self.kind == LABEL_CHANGED else self.kind.rsplit("-", 1)[0]

    @property
    def verb(self) -> str:
        return self.kind.rsplit("-", 1)[1]

    def label(self, lang: str = "en") -> str:
        """The subject's label in ``lang``, else in a fallback language, else its IRI."""
        return best_label(self.labels, lang, self.subject)

    def target_label(self, lang: str = "en") -> str:
        return best_label(self.target_labels, lang, self.target or "")

    def sort_key(self) -> tuple[int, str, str, str, str]:
        return (
            section_index(self.section),
            self.kind,
            self.subject,
            self.target or "",
            self.detail,
        )

    def as_json(self, lang: str = "en") -> dict[str, Any]:
        entry: dict[str, Any] = {
            "kind": self.kind,
            "subject": self.subject,
            "label": self.label(lang),
            "labels": dict(self.labels),
            "detail": self.detail,
        }
        if self.target is not None:
            entry["target"] = self.target
            entry["target_label"] = self.target_label(lang)
            entry["target_labels"] = dict(self.target_labels)
        return entry


@dataclass(frozen=True)
class Changes:
    """The difference between two graphs: triples added and removed, and ``changes``."""

    added: tuple[Triple, ...]
    removed: tuple[Triple, ...]
    changes: tuple[Change, ...] = field(default=())

    def __bool__(self) -> bool:
        return bool(self.added or self.removed)

    def added_nt(self) -> bytes:
        """The added triples as sorted N-Triples (a download, ``added.nt``)."""
        return n_triples(self.added)

    def removed_nt(self) -> bytes:
        """The removed triples as sorted N-Triples (a download, ``removed.nt``)."""
        return n_triples(self.removed)

    def patch(self) -> str:
        """One text: ``- `` before each removed triple, ``+ `` before each added one."""
        lines = [(line, 0) for line in nt_lines(self.removed_nt())]
        lines += [(line, 1) for line in nt_lines(self.added_nt())]
        return "".join(f"{'-+'[sign]} {line}\n" for line, sign in sorted(lines))

    def of_kind(self, kind: str) -> list[Change]:
        return [change for change in self.changes if change.kind == kind]

    def as_markdown(self, lang: str = "en") -> str:
        """A summary in ``lang`` ('en' or 'nb'): one ``###`` section per kind of thing."""
        lines = [text(TRIPLES, lang).format(removed=len(self.removed), added=len(self.added))]
        if not self.changes:
            lines += ["", text(NO_CHANGES, lang)]
        by_section: dict[str, list[Change]] = defaultdict(list)
        for change in self.changes:
            by_section[change.section].append(change)
        for section, titles in SECTIONS:
            if section not in by_section:
                continue
            lines += ["", f"### {text(titles, lang)}", ""]
            lines += [f"- {markdown_line(change, lang)}" for change in by_section[section]]
        return "\n".join(lines) + "\n"

    def as_json(self, lang: str = "en") -> dict[str, Any]:
        """A JSON-able dict: counts, and the changes with labels in ``lang``."""
        return {
            "added_triples": len(self.added),
            "removed_triples": len(self.removed),
            "changes": [change.as_json(lang) for change in self.changes],
        }


def diff_graphs(old: Graph, new: Graph, *, base: str = DEFAULT_BASE) -> Changes:
    """What changed from ``old`` to ``new``; ontology terms are read under ``base``."""
    _, only_old, only_new = graph_diff(old, new)
    removed = sorted_triples(only_old)
    added = sorted_triples(only_new)
    if not (added or removed):
        return Changes(added=(), removed=())
    ontology = f"{base}ontology#"
    changes = [
        *resource_changes(old, new, ontology),
        *link_changes(old, new, ontology),
        *label_changes(old, new, ontology),
    ]
    return Changes(
        added=added,
        removed=removed,
        changes=tuple(sorted(set(changes), key=Change.sort_key)),
    )


def diff_n_triples(old: bytes, new: bytes, *, base: str = DEFAULT_BASE) -> Changes:
    """``diff_graphs`` of two N-Triples documents (e.g. two releases' ``iprkg.nt``)."""
    return diff_graphs(parse_n_triples(old), parse_n_triples(new), base=base)


def parse_n_triples(content: bytes) -> Graph:
    graph = Graph(bind_namespaces="none")
    graph.parse(data=content.decode("utf-8"), format="nt")
    return graph


# ---------------------------------------------------------------- the three tables


def resource_changes(old: Graph, new: Graph, ontology: str) -> Iterator[Change]:
    for rule in RESOURCE_RULES:
        cls = resolve(rule.term, ontology)
        before, after = instances(old, cls), instances(new, cls)
        for iri in sorted(after - before):
            yield Change(f"{rule.name}-added", iri, labels_of(iri, new, old))
        for iri in sorted(before - after):
            yield Change(f"{rule.name}-removed", iri, labels_of(iri, old, new))


def link_changes(old: Graph, new: Graph, ontology: str) -> Iterator[Change]:
    come_and_gone = {
        iri
        for rule in RESOURCE_RULES
        for iri in instances(old, resolve(rule.term, ontology))
        ^ instances(new, resolve(rule.term, ontology))
    }
    for rule in LINK_RULES:
        prop = URIRef(resolve(rule.term, ontology))
        before, after = links(old, prop), links(new, prop)
        for verb, pairs, graphs in (
            (rule.added, after - before, (new, old)),
            (rule.removed, before - after, (old, new)),
        ):
            for subject, target in sorted(pairs):
                if subject in come_and_gone:
                    continue
                yield Change(
                    f"{rule.name}-{verb}",
                    subject,
                    labels_of(subject, *graphs),
                    detail=target,
                    target=target,
                    target_labels=labels_of(target, *graphs),
                )


def label_changes(old: Graph, new: Graph, ontology: str) -> Iterator[Change]:
    names = {
        iri: rule.name
        for rule in reversed(RESOURCE_RULES)  # the first rule that matches wins
        for graph in (old, new)
        for iri in instances(graph, resolve(rule.term, ontology))
    }
    typed = typed_iris(old) & typed_iris(new)
    for iri in sorted(typed):
        subject = URIRef(iri)
        for curie, prop in LABELLED_BY:
            before, after = literals(old, subject, prop), literals(new, subject, prop)
            for language in sorted(before.keys() | after.keys()):
                was, now = before.get(language, ()), after.get(language, ())
                if was == now:
                    continue
                name = names.get(iri)
                yield Change(
                    f"{name}-renamed" if name else LABEL_CHANGED,
                    iri,
                    labels_of(iri, new, old),
                    detail=f"{curie}{'@' + language if language else ''}: "
                    f"{quoted(was)} → {quoted(now)}",
                )


# ---------------------------------------------------------------- writing


def sorted_triples(graph: Graph) -> tuple[Triple, ...]:
    return tuple(sorted(graph, key=lambda t: tuple(term_key(term) for term in t)))


def n_triples(triples: Iterable[Triple]) -> bytes:
    graph = Graph(bind_namespaces="none")
    for triple in triples:
        graph.add(triple)
    return sorted_n_triples(graph)


def nt_lines(content: bytes) -> list[str]:
    return content.decode("utf-8").splitlines()


def quoted(values: tuple[str, ...]) -> str:
    return " | ".join(f'"{value}"' for value in values) if values else "—"


def text(choices: Mapping[str, str], lang: str) -> str:
    return choices.get(lang, choices["en"])


def section_index(section: str) -> int:
    names = [name for name, _ in SECTIONS]
    return names.index(section) if section in names else len(names)


def markdown_line(change: Change, lang: str) -> str:
    verb = text(VERBS.get(change.verb, {"en": change.verb}), lang)
    subject = f"[{escape_markdown(change.label(lang))}](<{change.subject}>)"
    if change.target is not None:
        target = f"[{escape_markdown(change.target_label(lang))}](<{change.target}>)"
        return f"{verb}: {target} ({subject})"
    if change.detail:
        return f"{verb}: {subject}: {escape_markdown(change.detail)}"
    return f"{verb}: {subject}"


def escape_markdown(value: str) -> str:
    """Backslash the characters that would start Markdown markup or links."""
    return "".join(f"\\{c}" if c in "\\`*_[]<>#|" else c for c in value)
