"""What a SPARQL text asks for, read lexically, before it reaches the engine.

pyoxigraph exposes no parsed query, yet two things must be known beforehand:

* a federated query (``SERVICE``) makes pyoxigraph call the named server over HTTP, so a
  public endpoint would fetch any URL a client names; the endpoint refuses them;
* an update sent as a query fails to parse as a query; it deserves the read-only
  refusal, not a parser message about a missing SELECT.

The text is read like the SPARQL grammar's lexer does: codepoint escapes (``\\u0053``)
decoded first, then comments, string literals and IRIs set aside, so a keyword is found
only where it is a keyword.
"""

from __future__ import annotations

import re

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_NOT_KEYWORDS = re.compile(
    r"""
      '''(?:[^'\\]|\\.|'(?!''))*'''        # long strings
    | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
    | '(?:[^'\\\n\r]|\\.)*'                # short strings
    | "(?:[^"\\\n\r]|\\.)*"
    | <[^<>"{}|^`\\\x00-\x20]*>            # IRIs
    | \#[^\n\r]*                           # comments
    """,
    re.VERBOSE | re.DOTALL,
)
_SERVICE = re.compile(r"(?<![\w?$:])SERVICE(?![\w:-])", re.IGNORECASE)
_UPDATE = re.compile(
    r"""\A\s*(?:(?:BASE|PREFIX\s+[^\s:]*:)\s*)*
        (?:INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)(?![\w:-])""",
    re.IGNORECASE | re.VERBOSE,
)


def keywords_only(text: str) -> str:
    """``text`` with escapes decoded and comments, strings and IRIs blanked out."""
    return _NOT_KEYWORDS.sub(" ", _ESCAPE.sub(_decoded, text))


def _decoded(escape: re.Match[str]) -> str:
    codepoint = int(escape.group(1) or escape.group(2), 16)
    return chr(codepoint) if codepoint <= 0x10FFFF else escape.group(0)


_NESTING = re.compile(r"[{(\[]|[})\]]")
_CHAINING = re.compile(
    r"!|&&|\|\||\||[+*/-]|(?<![\w?$:])(?:UNION|OPTIONAL|MINUS)(?![\w:-])", re.IGNORECASE
)
_PREFIXED_NAME = re.compile(r"(?:[A-Za-z][\w.-]*)?:[\w.:%-]*")
"""Prefixed names (``ex:a-b``), whose hyphens are no operators."""


def complexity(text: str) -> tuple[int, int]:
    """How deep the query nests (brackets of any kind) and how many operators it chains
    (``! && || | + - * /`` and UNION, OPTIONAL, MINUS), outside strings, IRIs and comments.

    pyoxigraph's parser and evaluator recurse once per level and per link of a chain: a
    few thousand of either overflow the stack and kill the process, so they are counted
    before the query reaches it. VALUES rows and object lists are not counted: they do
    not recurse.
    """
    plain = keywords_only(text)
    depth = deepest = 0
    for bracket in _NESTING.finditer(plain):
        depth += 1 if bracket.group(0) in "{([" else -1
        deepest = max(deepest, depth)
    return deepest, sum(1 for _ in _CHAINING.finditer(_PREFIXED_NAME.sub(" ", plain)))


def uses_service(text: str) -> bool:
    """True when the query has a SERVICE clause (a federated query)."""
    return _SERVICE.search(keywords_only(text)) is not None


def is_update(text: str) -> bool:
    """True when ``text`` opens like a SPARQL Update (INSERT, DELETE, LOAD, DROP, ...)."""
    return _UPDATE.match(keywords_only(text)) is not None


_DESCRIBE = re.compile(r"(?<![\w?$:])DESCRIBE(?![\w:-])", re.IGNORECASE)
_TARGETS_END = re.compile(
    r"(?<![\w?$:])(?:FROM|WHERE|ORDER|LIMIT|OFFSET|VALUES)(?![\w:-])|\{", re.IGNORECASE
)
_DATASET_CLAUSES = re.compile(
    r"\s*(?:(?<![\w?$:])FROM\s+(?:NAMED\s+)?(?:<x*>|[^\s{]+)\s*)*", re.IGNORECASE
)
_TARGET = re.compile(r"[?$][^\s<?$*]*|<x*>|\*|[^\s<?$*]+")
"""A DESCRIBE target in the masked text: a variable, an IRI, ``*`` or a prefixed name;
no space is needed between them (``?x<iri>``)."""
_WHERE = re.compile(r"\s*(?:WHERE(?![\w:-])|\{)", re.IGNORECASE)


def describe_as_select(text: str) -> str | None:
    """A DESCRIBE query rewritten as the SELECT of the resources it describes; else None.

    ``DESCRIBE ?x <iri> WHERE {…}`` becomes ``SELECT DISTINCT ?x (<iri> AS ?…) WHERE {…}``
    (``DESCRIBE *`` becomes ``SELECT DISTINCT *``); without a WHERE clause, ``WHERE {}`` is
    added. The store then describes each resource its own way, so DESCRIBE at /sparql and
    the resource pages say the same. Only the prologue may come before DESCRIBE. The
    caller has parsed ``text`` as it is (``OxigraphStore.query``), so the targets are
    variables, IRIs, prefixed names or ``*``, and a parse error points into ``text``.
    """
    # Comments, strings and IRIs masked with characters of the same length: positions stay.
    masked = _NOT_KEYWORDS.sub(_same_length, text)
    keyword = _DESCRIBE.search(masked)
    if keyword is None or is_update(text):
        return None
    prologue = masked[: keyword.start()]
    if re.search(r"(?<![\w?$:])(?:SELECT|CONSTRUCT|ASK)(?![\w:-])", prologue, re.IGNORECASE):
        return None
    end = _TARGETS_END.search(masked, keyword.end())
    targets_end = end.start() if end else len(masked)
    targets = list(_TARGET.finditer(masked, keyword.end(), targets_end))
    if not targets:
        return None
    projection = []
    for number, target in enumerate(targets):
        original = text[target.start() : target.end()]
        if original == "*" or original[0] in "?$":
            projection.append(original)
        else:
            projection.append(f"({original} AS ?iprkg_described_{number})")
    rest_start = _DATASET_CLAUSES.match(masked, targets_end)
    assert rest_start is not None  # the pattern matches the empty string
    dataset_end = rest_start.end()
    where = "" if _WHERE.match(masked, dataset_end) else " WHERE {} "
    return (
        text[: keyword.start()]
        + "SELECT DISTINCT "
        + " ".join(projection)
        + " "
        + text[targets_end:dataset_end]
        + where
        + text[dataset_end:]
    )


def _same_length(match: re.Match[str]) -> str:
    """An IRI as ``<xx…>``, a string or comment as spaces, each as long as the original."""
    found = match.group(0)
    return f"<{'x' * (len(found) - 2)}>" if found.startswith("<") else " " * len(found)
