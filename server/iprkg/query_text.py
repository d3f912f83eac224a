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


def uses_service(text: str) -> bool:
    """True when the query has a SERVICE clause (a federated query)."""
    return _SERVICE.search(keywords_only(text)) is not None


def is_update(text: str) -> bool:
    """True when ``text`` opens like a SPARQL Update (INSERT, DELETE, LOAD, DROP, ...)."""
    return _UPDATE.match(keywords_only(text)) is not None
