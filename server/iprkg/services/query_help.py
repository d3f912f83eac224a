"""Help for people writing SPARQL on the query page: completions, friendly errors, warnings.

* ``read_vocabulary(store)``: the prefixes of the build and the classes and properties a
  query may use (those the ontology declares and those the data use), with their labels,
  and every IRI the data hold; read once per app (``web.context``). Its ``completions``
  are the list the page's editor completes from.
* ``explain(message, text, prefixes)``: the engine's parser message rewritten for people
  (nb and en): an undeclared prefix named, with the prefix it probably meant and the
  ``PREFIX`` line to add; a long "expected one of …" cut to what can be read; the line and
  column kept, for the editor to mark. Clients of the protocol get the engine's message as
  it is; this is for the HTML page.
* ``unknown_terms(text, vocabulary)``: the classes and properties a query names that occur
  nowhere in the data, each with the nearest names that do (``ipr:emphasizesGoal`` →
  ``ipr:emphasisesGoal``): a warning, not an error, since such a query is valid SPARQL.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from iprkg.engine.store import ReadOnlyStore, select
from iprkg.services.labels import Labels

FOLDER = Path(__file__).parent / "queries" / "query_help"
POSITION = re.compile(r"^error at (\d+):(\d+):\s*(.*)$", re.S)
"""The engine's parser message: ``error at LINE:COLUMN: what it expected``."""
PREFIX_DECLARATION = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.I)
PREFIXED_NAME = re.compile(r"(?<![\w<?$])([A-Za-z][\w.-]*)?:((?:[\w-]|\.(?=[\w-]))*)")
"""A prefixed name (``ipr:Council``, ``:x``) outside IRIs, strings and comments."""
IRI_REF = re.compile(r"<([^<>\"{}|^`\\\s]*)>")
MASKED = re.compile(r"<[^<>\s]*>|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|#[^\n]*")
"""IRIs, strings and comments: blanked out (columns kept) before names are looked for."""
QUOTED = re.compile(r'"([^"]{1,20})"')
MESSAGE_CHARS = 160
"""The longest engine message shown on the page; the rest is cut (clients get it all)."""
MAX_WARNINGS = 10
NOT_IN_DATA = ("http://www.w3.org/2001/XMLSchema#",)
"""Namespaces whose names are never nodes of the data (datatypes): never warned about."""


@dataclass(frozen=True)
class Term:
    """A class or property a query may use."""

    iri: str
    name: str
    """Its prefixed name with the build's prefixes, else the IRI."""
    kind: str
    """``class`` or ``property``."""
    label_nb: str
    label_en: str
    used: bool
    """Whether the data use it (else only a vocabulary declares it)."""


@dataclass(frozen=True)
class Vocabulary:
    """What a query on this store may name, read once."""

    prefixes: Mapping[str, str]
    terms: tuple[Term, ...]
    known: frozenset[str] = field(default_factory=frozenset)
    """Every IRI the data hold, in any position."""
    base: str = ""
    """The base IRI relative IRIs in queries resolve against."""

    def completions(self) -> dict[str, Any]:
        """The list the editor completes from: prefixes, then classes and properties."""
        return {
            "prefixes": [
                {"prefix": prefix, "namespace": namespace}
                for prefix, namespace in sorted(self.prefixes.items())
            ],
            "terms": [
                {
                    "name": term.name,
                    "iri": term.iri,
                    "kind": term.kind,
                    "label": {"nb": term.label_nb, "en": term.label_en},
                    "used": term.used,
                }
                for term in self.terms
            ],
        }


@dataclass(frozen=True)
class Problem:
    """Why a query failed, for people: in nb and en, with where it went wrong."""

    nb: str
    en: str
    line: int | None = None
    column: int | None = None

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else self.nb


@dataclass(frozen=True)
class UnknownTerm:
    """A name the query uses that occurs nowhere in the data, and the nearest that do."""

    name: str
    suggestions: tuple[str, ...]


def read_vocabulary(store: ReadOnlyStore, labels: Labels) -> Vocabulary:
    """The store's prefixes, classes and properties (labelled) and known IRIs."""
    prefixes = dict(store.prefixes)
    terms = []
    for row in select(store, (FOLDER / "terms.rq").read_text(encoding="utf-8")):
        iri = row["term"]["value"]
        terms.append(
            Term(
                iri=iri,
                name=compact(iri, prefixes),
                kind=row["kind"]["value"],
                label_nb=labels.label(iri, "nb"),
                label_en=labels.label(iri, "en"),
                used=row.get("used", {}).get("value") == "true",
            )
        )
    known = select(store, (FOLDER / "known.rq").read_text(encoding="utf-8"))
    return Vocabulary(
        prefixes,
        tuple(terms),
        frozenset(row["iri"]["value"] for row in known),
        store.base_iri,
    )


def compact(iri: str, prefixes: Mapping[str, str]) -> str:
    """``prefix:name`` for ``iri`` with the longest namespace it starts with, else ``iri``."""
    best = ""
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace) and len(namespace) > len(prefixes.get(best, "")):
            rest = iri[len(namespace) :]
            if re.fullmatch(r"[\w-]*(?:\.[\w-]+)*", rest):
                best = prefix
    return f"{best}:{iri[len(prefixes[best]) :]}" if best else iri


def declared_prefixes(text: str) -> dict[str, str]:
    """The ``PREFIX`` declarations of a query: prefix -> namespace."""
    return {match[1] or "": match[2] for match in PREFIX_DECLARATION.finditer(text)}


def masked(text: str) -> str:
    """``text`` with IRIs, strings and comments blanked (same length, lines kept)."""
    return MASKED.sub(lambda match: re.sub(r"[^\n]", " ", match[0]), text)


def explain(message: str, text: str, prefixes: Mapping[str, str]) -> Problem:
    """The parser's ``message`` about ``text`` for people (see the module)."""
    found = POSITION.match(message.strip())
    if not found:
        short = shortened(message)
        return Problem(nb=short, en=short)
    line, column, expected = int(found[1]), int(found[2]), found[3]
    where_nb, where_en = f"linje {line}, kolonne {column}", f"line {line}, column {column}"
    if "Prefix not found" in expected:
        prefix = undeclared_prefix(text, line, column)
        if prefix is not None:
            return undeclared(prefix, text, prefixes, line, column)
    wanted = " ".join(f"«{token}»" for token in dict.fromkeys(QUOTED.findall(expected)))
    if wanted:
        return Problem(
            nb=f"Spørringen stopper ved {where_nb}: her ventes ett av {wanted}.",
            en=f"The query stops at {where_en}: one of {wanted} is expected here.",
            line=line,
            column=column,
        )
    return Problem(
        nb=f"Spørringen stopper ved {where_nb}: {shortened(expected)}",
        en=f"The query stops at {where_en}: {shortened(expected)}",
        line=line,
        column=column,
    )


def undeclared_prefix(text: str, line: int, column: int) -> str | None:
    """The prefix of the last prefixed name that ends at or before ``column`` on
    ``line`` (1-based) and is not declared in ``text``; None if there is none."""
    lines = masked(text).split("\n")
    if not 1 <= line <= len(lines):
        return None
    declared = declared_prefixes(text)
    candidates = [
        match[1] or ""
        for match in PREFIXED_NAME.finditer(lines[line - 1])
        if match.end() <= column and (match[1] or "") not in declared
    ]
    return candidates[-1] if candidates else None


def undeclared(
    prefix: str, text: str, prefixes: Mapping[str, str], line: int, column: int
) -> Problem:
    """The problem of a prefix the query uses without declaring it."""
    where_nb, where_en = f"linje {line}, kolonne {column}", f"line {line}, column {column}"
    nb = f"Prefikset «{prefix}:» ved {where_nb} er ikke deklarert."
    en = f"The prefix “{prefix}:” at {where_en} is not declared."
    if prefix in prefixes:
        declaration = f"PREFIX {prefix}: <{prefixes[prefix]}>"
        nb += f" Legg til {declaration} øverst i spørringen."
        en += f" Add {declaration} at the top of the query."
        return Problem(nb=nb, en=en, line=line, column=column)
    known = {**prefixes, **declared_prefixes(text)}
    nearest = get_close_matches(prefix, list(known), n=1, cutoff=0.5)
    if nearest:
        meant = nearest[0]
        nb += f" Mente du «{meant}:»?"
        en += f" Did you mean “{meant}:”?"
        if meant not in declared_prefixes(text):
            declaration = f"PREFIX {meant}: <{known[meant]}>"
            nb += f" ({declaration})"
            en += f" ({declaration})"
    else:
        nb += " Deklarer det med PREFIX øverst i spørringen."
        en += " Declare it with PREFIX at the top of the query."
    return Problem(nb=nb, en=en, line=line, column=column)


def shortened(message: str) -> str:
    """The engine's message on one line, without its lists of character ranges, at most
    ``MESSAGE_CHARS`` long."""
    text = re.sub(r"\[[^\[\]]*\]", "", " ".join(message.split()))
    text = re.sub(r"(,\s*)+", ", ", text).strip(" ,|")
    return text if len(text) <= MESSAGE_CHARS else text[: MESSAGE_CHARS - 1].rstrip() + "…"


def named_iris(text: str, prefixes: Mapping[str, str], base: str = "") -> dict[str, str]:
    """The IRIs a query names (full or prefixed, outside strings and comments) in a
    namespace of ``prefixes`` or of its own declarations, relative ones resolved against
    ``base``: IRI -> the name written."""
    declared = {prefix: resolved(base, iri) for prefix, iri in declared_prefixes(text).items()}
    known = {**prefixes, **declared}
    body = PREFIX_DECLARATION.sub(lambda match: " " * len(match[0]), text)
    plain = masked(body)
    names: dict[str, str] = {}
    for match in PREFIXED_NAME.finditer(plain):
        prefix = match[1] or ""
        if prefix in known and match[2]:
            names.setdefault(known[prefix] + match[2], match[0])
    for match in IRI_REF.finditer(MASKED.sub(lambda m: m[0] if m[0][0] == "<" else "", body)):
        iri = resolved(base, match[1])
        if any(iri.startswith(namespace) and iri != namespace for namespace in known.values()):
            names.setdefault(iri, f"<{iri}>")
    return names


def resolved(base: str, iri: str) -> str:
    """``iri`` resolved against ``base``, an empty fragment (``<ontology#>``) kept."""
    if iri.endswith("#"):
        return urljoin(base, iri[:-1]) + "#"
    return urljoin(base, iri)


def unknown_terms(text: str, vocabulary: Vocabulary) -> list[UnknownTerm]:
    """The vocabulary names ``text`` uses that the data hold nowhere (see the module)."""
    unknown = []
    used_terms = [term for term in vocabulary.terms if term.used]
    for iri, written in named_iris(text, vocabulary.prefixes, vocabulary.base).items():
        if iri.startswith(NOT_IN_DATA) or iri in vocabulary.known:
            continue
        if any(term.iri == iri for term in vocabulary.terms):
            continue
        suggestions = nearest(iri, used_terms, vocabulary.prefixes)
        unknown.append(UnknownTerm(written, suggestions))
        if len(unknown) == MAX_WARNINGS:
            break
    return unknown


def nearest(iri: str, terms: list[Term], prefixes: Mapping[str, str]) -> tuple[str, ...]:
    """The names of the ``terms`` closest to ``iri``: in its own namespace first."""
    name = compact(iri, prefixes)
    by_name = {term.name: term for term in terms}
    same_namespace = [n for n in by_name if n.split(":")[0] == name.split(":")[0]]
    close = get_close_matches(name, same_namespace, n=3, cutoff=0.75)
    return tuple(close or get_close_matches(name, list(by_name), n=3, cutoff=0.75))
