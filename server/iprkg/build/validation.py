"""Validation: check ontology + data against the SHACL shapes and report each result readably.

The data graph is the ontology merged with the data, so ``sh:targetClass`` also reaches
instances of subclasses declared with ``rdfs:subClassOf`` in the ontology. No inference
is run; SHACL-SPARQL constraints are allowed (pyshacl's ``advanced`` mode).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyshacl
from rdflib import RDF, SH, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from iprkg.build.authorities import AuthorityError, load_authorities
from iprkg.build.municipalities import DivisionError, load_division
from iprkg.build.municipality_facts import municipality_graph
from iprkg.build.sources import SourceError, Sources

FALLBACK_LANGUAGE = "en"
LOCAL_NAME = re.compile(r"\w[\w\-]*(?:\.[\w\-]+)*|")


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result (of any severity), tied back to the source files."""

    severity: str
    """Local name of sh:resultSeverity: Violation, Warning or Info."""
    focus: Node
    """The focus node: the resource that fails the shape."""
    result_path: Node | None
    path: str
    """The result path in SHACL property-path syntax with prefixed names ('' if none)."""
    message: str
    source_shape: Node | None
    value: Node | None
    files: tuple[str, ...]
    """The files where the focus node is a subject (else where it is an object)."""

    @property
    def blocking(self) -> bool:
        """True for sh:Violation: these fail validation; warnings and infos do not."""
        return self.severity == "Violation"

    def __str__(self) -> str:
        return format_violation(self, lambda node: node.n3())


def blocking(violations: Iterable[Violation]) -> list[Violation]:
    """The results that fail validation (severity sh:Violation)."""
    return [violation for violation in violations if violation.blocking]


class NodeNames:
    """Names nodes as a person wrote them: prefixed, base-relative ``<...>``, or in full."""

    def __init__(self, prefixes: Mapping[str, URIRef], base: str) -> None:
        self.base = base
        # Longest namespace first, so the most specific prefix wins.
        self.prefixes = sorted(prefixes.items(), key=lambda item: (-len(item[1]), item[0]))

    @classmethod
    def of(cls, sources: Sources) -> NodeNames:
        """Names as the sources write them: their prefixes and base."""
        return cls(sources.prefixes, sources.base)

    def __call__(self, node: Node) -> str:
        if isinstance(node, URIRef):
            return self.iri(str(node))
        if isinstance(node, Literal):
            return node.n3()
        return f"_:{node}"

    def iri(self, iri: str) -> str:
        for prefix, namespace in self.prefixes:
            local = iri.removeprefix(str(namespace))
            if local != iri and LOCAL_NAME.fullmatch(local):
                return f"{prefix}:{local}"
        if iri.startswith(self.base):
            return f"<{iri.removeprefix(self.base)}>"
        return f"<{iri}>"


def validate(
    sources: Sources,
    lang: str = FALLBACK_LANGUAGE,
    external: Path | None = None,
    note: Callable[[str], None] | None = None,
) -> list[Violation]:
    """Validate ontology + data + harvested publications, with the municipalities of
    2024 (``municipality_facts``), against the shapes; the terms and theme IRIs they use
    against their vocabularies and authorities (``iprkg.build.vocabulary_check``); the
    municipalities and memberships against Kartverket's list of 2024
    (``iprkg.build.municipality_check``); messages preferably in ``lang``.

    ``external`` is the folder of the theme authorities, the SDG ontology and the
    municipalities of 2024; where it lacks them, those checks are skipped and ``note`` is
    told why. Raises SourceError when an authority's or Kartverket's file is there but
    broken.

    Returns every result, sorted by file, focus node and path; only those with
    ``blocking`` (severity sh:Violation) mean the sources are invalid.
    """
    # Imported here: the vocabulary checks build on this module's Violation and NodeNames.
    from iprkg.build.municipality_check import check_municipalities
    from iprkg.build.vocabulary_check import check_vocabulary

    try:
        themes = None if external is None else load_authorities(external)
        division = None if external is None else load_division(external)
    except (AuthorityError, DivisionError) as error:
        raise SourceError(str(error)) from error
    vocabulary = check_vocabulary(sources, lang, themes, external)
    if vocabulary.skipped and note is not None:
        note(vocabulary.skipped)
    if division is None and note is not None:
        note(
            "municipality checks against Kartverket's list of 2024 skipped: no kommuner-2024/ "
            f"in {external or 'the external folder'}; set IPRKG_EXTERNAL to the folder holding it"
        )
    municipalities = (
        None
        if division is None
        else municipality_graph(sources.dataset(), division, sources.base, numbers=False)
    )
    names = NodeNames.of(sources)
    return sorted(
        shacl_results(sources, lang, municipalities)
        + vocabulary.violations
        + check_municipalities(sources, division, lang),
        key=lambda v: (v.files, names(v.focus), v.path, v.message),
    )


def shacl_results(sources: Sources, lang: str, extra: Graph | None = None) -> list[Violation]:
    """Every result of the SHACL shapes on the served graph and ``extra`` (none when
    there are no shapes)."""
    if count_shapes(sources.shapes) == 0:
        return []
    data = sources.served()
    if extra is not None:
        data += extra
    _conforms, results_graph, _text = pyshacl.validate(
        data,
        shacl_graph=sources.shapes,
        inference="none",
        advanced=True,
        abort_on_first=False,
        allow_warnings=True,
    )
    if not isinstance(results_graph, Graph):
        raise TypeError(f"pyshacl returned {type(results_graph).__name__}, not a Graph")
    names = NodeNames.of(sources)
    return [
        read_result(results_graph, node, sources, names, lang)
        for node in results_graph.subjects(RDF.type, SH.ValidationResult)
    ]


def count_shapes(shapes: Graph) -> int:
    """How many node and property shapes the shapes graph declares or uses."""
    declared = set(shapes.subjects(RDF.type, SH.NodeShape))
    declared |= set(shapes.subjects(RDF.type, SH.PropertyShape))
    declared |= set(shapes.objects(None, SH.property))
    declared |= set(shapes.subjects(SH.targetClass, None))
    return len(declared)


def read_result(
    report: Graph, result: Node, sources: Sources, names: NodeNames, lang: str
) -> Violation:
    """One sh:ValidationResult of the pyshacl report as a Violation."""
    focus = report.value(result, SH.focusNode)
    if focus is None:
        raise ValueError("SHACL result without sh:focusNode")
    severity = report.value(result, SH.resultSeverity)
    path = report.value(result, SH.resultPath)
    return Violation(
        severity=local_name(severity) if isinstance(severity, URIRef) else "Violation",
        focus=focus,
        result_path=path,
        path="" if path is None else render_path(report, path, names),
        message=pick_message(report.objects(result, SH.resultMessage), lang)
        or default_message(report, result, names),
        source_shape=report.value(result, SH.sourceShape),
        value=report.value(result, SH.value),
        files=tuple(sources.files_for(focus)),
    )


def local_name(iri: URIRef) -> str:
    """The part after the last '#' or '/'."""
    return re.split(r"[#/]", str(iri))[-1]


def pick_message(messages: Iterable[Node], lang: str) -> str:
    """The message in ``lang``, else English, else untagged, else any; '' if none."""
    literals = sorted((m for m in messages if isinstance(m, Literal)), key=str)
    for wanted in (lang, FALLBACK_LANGUAGE, None):
        for message in literals:
            if message.language == wanted:
                return str(message)
    return str(literals[0]) if literals else ""


def default_message(report: Graph, result: Node, names: NodeNames) -> str:
    """A message from the constraint component when the shape gave none."""
    component = report.value(result, SH.sourceConstraintComponent)
    return f"fails {names(component)}" if component is not None else "fails a shape"


def render_path(graph: Graph, path: Node, names: Callable[[Node], str]) -> str:
    """A SHACL property path in SPARQL-like syntax: ``p/q``, ``^p``, ``(p|q)``, ``p*``."""
    if not isinstance(path, BNode):
        return names(path)
    if graph.value(path, RDF.first) is not None:
        return "/".join(render_path(graph, step, names) for step in graph.items(path))
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + grouped(graph, inverse, names)
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(render_path(graph, a, names) for a in graph.items(alternatives)) + ")"
    for predicate, suffix in (
        (SH.zeroOrMorePath, "*"),
        (SH.oneOrMorePath, "+"),
        (SH.zeroOrOnePath, "?"),
    ):
        inner = graph.value(path, predicate)
        if inner is not None:
            return grouped(graph, inner, names) + suffix
    return names(path)


def grouped(graph: Graph, path: Node, names: Callable[[Node], str]) -> str:
    """``render_path`` in parentheses when the path is a sequence."""
    text = render_path(graph, path, names)
    return f"({text})" if graph.value(path, RDF.first) is not None else text


def format_violation(violation: Violation, names: Callable[[Node], str]) -> str:
    """One line: ``FILE: <focus> PATH: MESSAGE`` (``warning:`` marks non-blocking results)."""
    files = ", ".join(violation.files) or "(not in any source file)"
    subject = names(violation.focus)
    if violation.path:
        subject = f"{subject} {violation.path}"
    severity = "" if violation.blocking else f"{violation.severity.lower()}: "
    message = " ".join(violation.message.split())  # one line, however the shape wrapped it
    if violation.value is not None and violation.value != violation.focus:
        message = f"{message} (value: {names(violation.value)})"
    return f"{files}: {subject}: {severity}{message}"


def format_report(violations: Sequence[Violation], names: Callable[[Node], str]) -> list[str]:
    """One line per result, then a count; no lines at all when there is no result."""
    if not violations:
        return []
    # Two constraints of one shape can fail on the same value with the same message:
    # print such a line once, and count lines, not raw results.
    unique = {format_violation(v, names): v for v in violations}
    lines = list(unique)
    count = len(blocking(unique.values()))
    others = len(lines) - count
    summary = f"{count} violation{'' if count == 1 else 's'}"
    if others:
        summary += f", {others} warning{'' if others == 1 else 's'} or info"
    lines.append(summary)
    return lines
