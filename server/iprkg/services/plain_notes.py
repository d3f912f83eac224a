"""Notes in plain language: the machine facts in a note's text, said in words.

Notes in the data (``skos:note``, definitions) sometimes name the triples they explain:
"(ipr:completeList org:hasMember)", "(org:linkedTo, <meeting/2020-02-…>)", "har da
ipr:legalBasis § 18-1". Those facts are triples of their own and stay so; a page shows the
note without them. ``plain(text, name_of, base)``:

* drops a parenthesis that holds nothing but such names (prefixed names, ``<…>`` IRIs,
  commas), with the space before it;
* says any other prefixed name or ``<…>`` IRI by its label (``name_of``), a relative
  ``<meeting/…>`` resolved against ``base``;
* says an ISO date ("2017-11-24") as ``date_of`` does, when the page gives one.

Only the prefixes of ``vocabulary.PREFIXES`` and ``ipr`` count as prefixed names, so
"§ 18-1", "kl. 10:00" and web addresses are left as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from iprkg.core.vocabulary import PREFIXES

_PREFIXES = "|".join(sorted({*PREFIXES, "ipr", "sdgo"}, key=len, reverse=True))
_CURIE = rf"\b(?:{_PREFIXES}):[A-Za-z_][\w.-]*[\w]"
_IRI = r"<[^<>\s]+>"
_TOKEN = re.compile(rf"{_CURIE}|{_IRI}")
_MACHINE_ONLY = re.compile(rf"\s*\((?:\s*(?:{_CURIE}|{_IRI})\s*,?)+\s*\)")
_DATE = re.compile(r"(?<![\w/-])\d{4}-\d{2}-\d{2}(?![\w/-])")
ONTOLOGY_PREFIX = "ipr:"


def plain(
    text: str,
    name_of: Callable[[str], str],
    base: str,
    date_of: Callable[[str], str] | None = None,
) -> str:
    """``text`` with its machine names dropped or said by label (see the module), and,
    with ``date_of``, its ISO dates ("2017-11-24") as ``date_of`` says them."""
    without = _MACHINE_ONLY.sub("", text)

    def said(match: re.Match[str]) -> str:
        return name_of(expand(match.group(0), base))

    named = _TOKEN.sub(said, without)
    if date_of is None:
        return named
    return _DATE.sub(lambda match: readable_or_as_is(match.group(0), date_of), named)


def readable_or_as_is(iso: str, date_of: Callable[[str], str]) -> str:
    try:
        return date_of(iso)
    except ValueError:  # "2017-13-40" is not a date: left as written
        return iso


def expand(token: str, base: str) -> str:
    """The full IRI of a prefixed name or a ``<…>`` IRI (relative ones against ``base``)."""
    if token.startswith("<"):
        iri = token[1:-1]
        return iri if re.match(r"^[a-z][a-z0-9+.-]*:", iri, re.IGNORECASE) else base + iri
    prefix, _, local = token.partition(":")
    if prefix == ONTOLOGY_PREFIX[:-1]:
        return f"{base}ontology#{local}"
    if prefix == "sdgo":
        return f"http://metadata.un.org/sdg/ontology#{local}"
    return PREFIXES[prefix] + local
