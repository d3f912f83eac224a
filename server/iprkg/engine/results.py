"""SELECT answers as typed rows, for the strategy and ontology pages, and the helpers
their queries share (display labels in nb and en, an IRI written safely into a query).

Rows come through the store interface as SPARQL JSON (whatever the store: embedded,
remote, or the build's answers), read back by Oxigraph's streaming parser; pages never
see pyoxigraph's terms. A row maps each bound variable to a ``Term``: an IRI or a
literal's lexical form as ``value``, with the literal's language in ``lang``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph

from iprkg.core.formats import SPARQL_JSON
from iprkg.core.vocabulary import LABEL_PROPERTIES
from iprkg.engine.answers import Solutions
from iprkg.engine.store import ReadOnlyStore

_STRING = "http://www.w3.org/2001/XMLSchema#string"
"""A simple literal's datatype, which SPARQL JSON leaves out."""
_SAFE_IRI = re.compile(r"^[^\s<>\"{}|\\^`]+$")


@dataclass(frozen=True)
class Term:
    """One bound value: ``value`` is the IRI or the lexical form."""

    value: str
    kind: str
    """``uri``, ``literal`` or ``bnode``, as in SPARQL JSON."""
    lang: str = ""
    datatype: str = ""

    def __str__(self) -> str:
        return self.value


Row = dict[str, Term]


def select(store: ReadOnlyStore, query: str) -> list[Row]:
    """The rows of a SELECT query, in the store's order. The answer's SPARQL JSON is read
    solution by solution, and a value met again is the same ``Term``: a comparison of
    hundreds of councils repeats each council and theme in thousands of rows."""
    result = store.query(query)
    if not isinstance(result, Solutions):
        raise TypeError("select() needs a SELECT query")
    solutions = pyoxigraph.parse_query_results(
        result.serialise(SPARQL_JSON), format=SPARQL_JSON.oxigraph_format
    )
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    names = [variable.value for variable in solutions.variables]
    seen: dict[object, Term] = {}
    rows: list[Row] = []
    for solution in solutions:
        row: Row = {}
        for name, value in zip(names, solution, strict=True):
            if value is not None:
                term = seen.get(value)
                if term is None:
                    term = seen[value] = term_of(value)
                row[name] = term
        rows.append(row)
    return rows


def term_of(value: object) -> Term:
    """The ``Term`` of a pyoxigraph term, as SPARQL JSON would give it."""
    if isinstance(value, pyoxigraph.NamedNode):
        return Term(value.value, "uri")
    if isinstance(value, pyoxigraph.BlankNode):
        return Term(value.value, "bnode")
    if isinstance(value, pyoxigraph.Literal):
        language = value.language or ""
        datatype = "" if language else value.datatype.value
        return Term(value.value, "literal", language, "" if datatype == _STRING else datatype)
    return Term(str(value), "triple")


def iri_ref(iri: str) -> str:
    """``<iri>`` for a query, refusing anything that could break out of the brackets."""
    if not _SAFE_IRI.match(iri):
        raise ValueError(f"not an IRI that can be written in a query: {iri!r}")
    return f"<{iri}>"


@dataclass(frozen=True)
class Text:
    """A text in both page languages (either may be empty)."""

    nb: str = ""
    en: str = ""

    def __bool__(self) -> bool:
        return bool(self.nb or self.en)


def text(row: Row, nb: str, en: str) -> Text:
    """The ``nb`` and ``en`` variables of ``row`` as a ``Text``."""
    return Text(nb=str(row.get(nb, "")), en=str(row.get(en, "")))


def label_patterns(subject: str, name: str) -> str:
    """SPARQL binding ``?{name}Nb`` and ``?{name}En``: the display label of ``?subject``
    in each language (the first of ``vocabulary.LABEL_PROPERTIES`` in that language),
    unbound where there is none."""
    parts = []
    for lang, suffix in (("nb", "Nb"), ("en", "En")):
        options = []
        for rank, prop in enumerate(f"<{iri}>" for iri in LABEL_PROPERTIES):
            variable = f"?_{name}{suffix}{rank}"
            options.append(variable)
            parts.append(
                f"OPTIONAL {{ ?{subject} {prop} {variable} . "
                f'FILTER (LANGMATCHES(LANG({variable}), "{lang}")) }}'
            )
        parts.append(f"BIND (COALESCE({', '.join(options)}) AS ?{name}{suffix})")
    return "\n".join(parts)
