"""Where a query calls SERVICE: every endpoint of a text, found as pyoxigraph finds it.

pyoxigraph has no parse-only API, and rdflib's parser cannot
stand in: it recurses without end on a nested SERVICE and rescans the whole text for
each SERVICE (quadratic). So the text is read as pyoxigraph's own parser reads it,
which differs from the SPARQL grammar's lexer in ways an attacker can use (each pinned
by a test): keywords need no space after them (``SERVICEex:x{…}``,
``SERVICESILENT<…>``, ``PREFIXex:<…>`` all run), and ``\\u`` escapes are decoded inside
strings and IRIs only, not before lexing (``"\\u0022"`` does not end a string). The
reading is fail-closed: a name starting with ``service`` and followed by a group counts
as a SERVICE keyword (``SERVICEex:x {`` is one, ``service:p ?o`` is not); an
unterminated string, an unbalanced bracket or an endpoint that cannot be read refuses
the query, and so does a ``<…>`` that pyoxigraph may read as a less-than (after an
operand inside parentheses: ``FILTER(?a<2)SERVICEex:x#>``) when reading it so would
change where a comment or string starts or show a SERVICE. Relative IRIs and prefixed
names are resolved by pyoxigraph's own IRI code (the Turtle parser, with the query's
BASE and PREFIX declarations and the request's base IRI), so the endpoint checked is
the endpoint called. Only a text containing ``service`` (any case) is read at all:
other queries pay one substring search.

What ``federation.ServicePolicy`` then checks of each endpoint is that module's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph

from iprkg.core.errors import ServiceRefused


@dataclass(frozen=True)
class ServiceCall:
    """One SERVICE in a query: its endpoint IRI, or None for a variable endpoint."""

    written: str
    """The endpoint as the query writes it (``<…>``, ``ex:sparql``, ``?endpoint``)."""
    iri: str | None


def mentions_service(text: str) -> bool:
    """True when ``text`` contains ``service`` anywhere, in any case: only then is it read.

    Deliberately blunt: pyoxigraph reads a SERVICE keyword only where these letters are
    (it decodes no escapes outside strings and IRIs), so a text without them has none.
    """
    return _SERVICE_WORD.search(text) is not None


def service_calls(
    text: str, base_iri: str | None = None, prefixes: Mapping[str, str] | None = None
) -> list[ServiceCall]:
    """Every SERVICE of the query ``text``, endpoints resolved as pyoxigraph resolves them.

    ``base_iri`` and ``prefixes`` are what the store passes to pyoxigraph. Raises
    ServiceRefused when the text cannot be read safely (see the module docstring).
    """
    if not mentions_service(text):
        return []
    tokens = _tokens(text)
    declarations = [f"PREFIX {name}: <{iri}>" for name, iri in (prefixes or {}).items()]
    calls: list[ServiceCall] = []
    in_prologue = True
    index = 0
    while index < len(tokens):
        kind, value = tokens[index]
        index += 1
        folded = value.casefold() if kind == "name" else ""
        if in_prologue and folded == "base":
            iri = _expect(tokens, index, "iri", "BASE")
            declarations.append(f"BASE {iri}")
            index += 1
        elif in_prologue and folded == "prefix":
            name = _expect(tokens, index, "name", "PREFIX")
            iri = _expect(tokens, index + 1, "iri", "PREFIX")
            declarations.append(f"PREFIX {name} {iri}")
            index += 2
        elif in_prologue and kind == "name" and _PREFIX_WORD.match(value) and value.endswith(":"):
            # pyoxigraph reads "PREFIXex:<…>" as "PREFIX ex: <…>".
            iri = _expect(tokens, index, "iri", "PREFIX")
            declarations.append(f"PREFIX {value[_PREFIX_WORD_LENGTH:]} {iri}")
            index += 1
        elif kind == "name" and (keyword := _SERVICE_WORD.match(value)):
            in_prologue = False
            glued = value[keyword.end() :]
            if glued and not _SILENT_WORD.fullmatch(glued) and tokens[index : index + 1] != [GROUP]:
                continue  # a name such as service:p, not "SERVICEex:x {"
            written, candidates, index = _endpoint(glued, tokens, index)
            calls.extend(_calls(written, candidates, declarations, base_iri))
        else:
            in_prologue = False
    return calls


# Reading the query -------------------------------------------------------------------

_SERVICE_WORD = re.compile("service", re.IGNORECASE)
_SILENT_WORD = re.compile("silent", re.IGNORECASE)
_PREFIX_WORD = re.compile("prefix", re.IGNORECASE)
_PREFIX_WORD_LENGTH = len("prefix")

_NAME_CHAR = r"0-9A-Za-z_\-\u00B7\u00C0-\U000EFFFF:"
_NAME_ESCAPE = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_TOKEN = re.compile(
    rf"""
      (?P<space>[ \t\r\n]+)
    | (?P<comment>\#[^\r\n]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*''' | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                | '(?:[^'\\\n\r]|\\.)*' | "(?:[^"\\\n\r]|\\.)*")
    | (?P<quote>['"])
    | (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{{4}}|\\U[0-9A-Fa-f]{{8}})*>)
    | (?P<var>[?$][0-9A-Za-z_\u00B7\u00C0-\U000EFFFF]*)
    | (?P<name>[A-Za-z_\u00C0-\U000EFFFF:]
               (?:[{_NAME_CHAR}]|{_NAME_ESCAPE}|\.(?=[{_NAME_CHAR}%\\]))*)
    | (?P<number>[0-9]*\.[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+(?:[eE][+-]?[0-9]+)?)
    | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<open>[(\[{{])
    | (?P<close>[)\]}}])
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_OPERANDS = frozenset({"string", "iri", "var", "name", "number", "langtag", "close"})
_CLOSING = {")": "(", "]": "[", "}": "{"}

Token = tuple[str, str]
GROUP: Token = ("open", "{")


def _tokens(text: str) -> list[Token]:
    """The significant tokens of ``text`` as pyoxigraph's parser would split them."""
    tokens: list[Token] = []
    brackets: list[str] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        assert match is not None and match.lastgroup is not None  # "other" matches any char
        kind, value, position = match.lastgroup, match.group(), match.end()
        if kind in ("space", "comment"):
            continue
        if kind == "quote":
            raise _unreadable("a string is not closed")
        if kind == "iri" and brackets[-1:] == ["("] and tokens and tokens[-1][0] in _OPERANDS:
            _refuse_ambiguous_less_than(value)
        if kind == "open":
            brackets.append(value)
        elif kind == "close" and (not brackets or brackets.pop() != _CLOSING[value]):
            raise _unreadable(f"{value!r} closes nothing")
        tokens.append((kind, value))
    return tokens


def _refuse_ambiguous_less_than(iri: str) -> None:
    """After an operand inside parentheses, pyoxigraph may read ``<`` as less-than: then
    the text between ``<`` and ``>`` is read as tokens. Refused when that would change
    where a comment or a string starts, or show a SERVICE keyword."""
    body = iri[1:-1]
    if "#" in body or "'" in body or _SERVICE_WORD.search(body):
        raise _unreadable(
            f"{iri} after an operand may be a less-than; write spaces around '<' or the "
            "IRI with a prefix"
        )


def _unreadable(reason: str) -> ServiceRefused:
    return ServiceRefused(
        f"a query mentioning SERVICE is refused when it cannot be read safely: {reason}"
    )


def _expect(tokens: Sequence[Token], index: int, kind: str, keyword: str) -> str:
    if index >= len(tokens) or tokens[index][0] != kind:
        raise _unreadable(f"{keyword} is not followed by {'an IRI' if kind == 'iri' else 'a name'}")
    return tokens[index][1]


def _endpoint(glued: str, tokens: Sequence[Token], index: int) -> tuple[str, list[str], int]:
    """The endpoint after a SERVICE keyword: ``(as written, candidate terms, next index)``.

    ``glued`` is what followed "SERVICE" in the same name token (``SERVICEex:x``). A
    name starting with "silent" may be SILENT and a name, or the name itself: both are
    candidates, and both are checked.
    """
    if glued:
        kind, value = "name", glued
    elif index < len(tokens):
        kind, value = tokens[index]
        index += 1
    else:
        raise _unreadable("SERVICE is not followed by an endpoint")
    if kind == "name" and (silent := _SILENT_WORD.match(value)):
        rest = value[silent.end() :]
        if not rest:
            if index >= len(tokens):
                raise _unreadable("SERVICE SILENT is not followed by an endpoint")
            kind, value = tokens[index]
            index += 1
        else:
            return value, [value, rest], index
    if kind == "var":
        return value, [value], index
    if kind == "iri" or (kind == "name" and ":" in value):
        return value, [value], index
    raise _unreadable(f"cannot read the endpoint {value!r} after SERVICE")


def _calls(
    written: str, candidates: Sequence[str], declarations: Sequence[str], base_iri: str | None
) -> list[ServiceCall]:
    """Every candidate that resolves (pyoxigraph cannot call one that does not); refused
    when none does."""
    calls: list[ServiceCall] = []
    errors: list[ServiceRefused] = []
    for candidate in candidates:
        try:
            calls.append(_call(written, candidate, declarations, base_iri))
        except ServiceRefused as error:
            errors.append(error)
    if not calls:
        raise errors[0]
    return calls


def _call(
    written: str, term: str, declarations: Sequence[str], base_iri: str | None
) -> ServiceCall:
    """``term`` resolved by pyoxigraph's own IRI code, with the query's declarations."""
    if term[0] in "?$":
        return ServiceCall(written, None)
    document = "\n".join([*declarations, f"<urn:iprkg:s> <urn:iprkg:p> {term} ."])
    try:
        quads = list(
            pyoxigraph.parse(document, format=pyoxigraph.RdfFormat.TURTLE, base_iri=base_iri)
        )
    except (SyntaxError, ValueError) as error:
        raise _unreadable(f"cannot resolve the endpoint {written} ({error})") from None
    if len(quads) != 1 or not isinstance(quads[0].object, pyoxigraph.NamedNode):
        raise _unreadable(f"cannot resolve the endpoint {written}")
    return ServiceCall(written, quads[0].object.value)
