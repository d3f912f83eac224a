"""SELECT answers as typed rows, for the strategy and ontology pages, and the helpers
their queries share (display labels in nb and en, an IRI written safely into a query).

Rows come from ``store.select`` (SPARQL JSON read back, through the store interface,
never pyoxigraph). A row maps each bound variable to a ``Term``: an IRI or a literal's
lexical form as ``value``, with the literal's language in ``lang``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from iprkg.core.vocabulary import LABEL_PROPERTIES
from iprkg.engine import store as stores
from iprkg.engine.store import ReadOnlyStore

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
    """The rows of a SELECT query, in the store's order."""
    return [
        {
            name: Term(
                value=binding["value"],
                kind=binding["type"],
                lang=binding.get("xml:lang", ""),
                datatype=binding.get("datatype", ""),
            )
            for name, binding in solution.items()
        }
        for solution in stores.select(store, query)
    ]


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
