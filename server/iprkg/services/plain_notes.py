"""Notes in plain language: the machine facts in a note's text, said in words.

Notes in the data (``skos:note``, definitions) sometimes name the triples they explain:
"(ipr:completeList org:hasMember)", "(org:linkedTo, <meeting/2020-02-…>)", "har da
ipr:legalBasis § 18-1". Those facts are triples of their own and stay so; a page shows the
note without them. ``plain(text, name_of, base)``:

* drops a parenthesis that holds nothing but such names (prefixed names, ``<…>`` IRIs,
  commas), with the space before it;
* says any other prefixed name or ``<…>`` IRI by its label (``name_of``), a relative
  ``<meeting/…>`` resolved against ``base``.

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
ONTOLOGY_PREFIX = "ipr:"


def plain(text: str, name_of: Callable[[str], str], base: str) -> str:
    """``text`` with its machine names dropped or said by label (see the module)."""
    without = _MACHINE_ONLY.sub("", text)

    def said(match: re.Match[str]) -> str:
        return name_of(expand(match.group(0), base))

    return _TOKEN.sub(said, without)


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
