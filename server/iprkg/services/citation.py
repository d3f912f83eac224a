"""How to cite a release: one set of facts, written as BibTeX and as CSL-JSON.

``CitationFacts`` holds what a citation needs; ``bibtex(facts)`` and ``csl_json(facts)``
write it for LaTeX users and for reference managers (Zotero, Pandoc's citeproc).

BibTeX choices:

* ``@misc``, not biblatex's ``@dataset``: classic BibTeX styles know ``@misc`` and
  biblatex reads it too; ``version`` and ``url`` are fields both biblatex and the
  natbib styles print, and BibTeX styles that do not know a field skip it.
* **ASCII only.** Non-ASCII letters are brace-escaped (``ø`` → ``{\\o}``, ``å`` →
  ``{\\aa}``, ``é`` → ``{\\'e}``), because classic BibTeX counts bytes, not characters,
  when it sorts, abbreviates names and makes labels, and a document without
  ``inputenc``/UTF-8 set up would break on the raw letters. biblatex with Biber reads
  the escapes as well. A character with no escape here is an error (``BibTeXError``):
  better a release that refuses to write its citation than a garbled one.
* LaTeX's special characters (``# $ % & _ { } ~ ^ \\``) are escaped in text fields.
  The ``url`` field is verbatim in biblatex and wrapped in ``\\url`` by BibTeX styles,
  so it is written as it is, after checking it has no whitespace or braces.
* Organisations as authors are double-braced (``{{the iprkg project}}``) so that BibTeX
  does not split them into first and last names; the title is double-braced too, so
  that styles do not lower-case "iprkg" or the councils' names.
* The key is stable: the title's first word and the version, in ASCII
  (``iprkg-0.1.0``), unless ``CitationFacts.key`` gives one.

CSL-JSON (the CSL 1.0.2 data schema): one item of type ``dataset``, ``id`` the release
IRI, organisations as ``{"literal": name}`` authors, ``issued`` as ``date-parts``, the
licence in ``note`` (CSL has no licence variable), no ``DOI`` (there is none). A CSL-JSON
file is a list of such items.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
"""BibTeX's month macros, which every style knows and prints in its own language."""

LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "#": r"\#",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}

LETTERS = {
    "æ": r"{\ae}",
    "Æ": r"{\AE}",
    "ø": r"{\o}",
    "Ø": r"{\O}",
    "å": r"{\aa}",
    "Å": r"{\AA}",
    "ß": r"{\ss}",
    "œ": r"{\oe}",
    "Œ": r"{\OE}",
    "ł": r"{\l}",
    "Ł": r"{\L}",
    "đ": r"{\dj}",
    "Đ": r"{\DJ}",
    "ı": r"{\i}",
    "–": "--",
    "—": "---",
    "‘": "`",
    "’": "'",
    "“": "``",
    "”": "''",
    "«": r"{\guillemotleft}",
    "»": r"{\guillemotright}",
    "…": r"{\ldots}",
    "\u00a0": "~",
    "§": r"{\S}",
}
"""Characters with their own LaTeX command: the Norwegian letters first."""

ACCENTS = {
    "\u0300": "`",  # grave
    "\u0301": "'",  # acute
    "\u0302": "^",  # circumflex
    "\u0303": "~",  # tilde
    "\u0304": "=",  # macron
    "\u0306": "u",  # breve
    "\u0307": ".",  # dot above
    "\u0308": '"',  # diaeresis
    "\u030a": "r",  # ring above
    "\u030b": "H",  # double acute
    "\u030c": "v",  # caron
    "\u0327": "c",  # cedilla
    "\u0328": "k",  # ogonek
}
"""Combining accents and their LaTeX accent commands (``é`` = ``e`` + acute → ``{\\'e}``)."""

FOLDED = str.maketrans({"æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "ß": "ss"})
"""Letters that Unicode does not decompose into an ASCII letter and an accent."""

FORBIDDEN_IN_URL = re.compile(r"[\s{}\\]")


class BibTeXError(ValueError):
    """A value that cannot be written safely in a BibTeX entry."""


@dataclass(frozen=True)
class CitationFacts:
    """What a citation of one release says.

    ``authors`` are organisations (written as one literal name each); when empty, the
    publisher is the author, as for a dataset an organisation publishes itself.
    ``licence`` is the licence's IRI, ``iri`` the release's persistent IRI and ``url``
    where the release is served.
    """

    title: str
    version: str
    issued: date
    publisher: str
    licence: str
    iri: str
    url: str
    authors: tuple[str, ...] = ()
    abstract: str | None = None
    key: str | None = None

    @property
    def creators(self) -> tuple[str, ...]:
        return self.authors or (self.publisher,)


def bibtex(facts: CitationFacts) -> str:
    """One ``@misc`` BibTeX entry, ASCII only, ending in a newline."""
    fields: list[tuple[str, str]] = [
        ("author", " and ".join(f"{{{latex(name)}}}" for name in facts.creators)),
        ("title", f"{{{latex(facts.title)}}}"),
        ("year", str(facts.issued.year)),
        ("month", MONTHS[facts.issued.month - 1]),
        ("version", latex(facts.version)),
        ("publisher", latex(facts.publisher)),
        ("url", checked_url(facts.url)),
        (
            "note",
            latex(
                f"Dataset, version {facts.version}. "
                f"Release IRI: {facts.iri}. Licence: {facts.licence}"
            ),
        ),
    ]
    if facts.abstract:
        fields.append(("abstract", latex(facts.abstract)))
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(
        f"  {name.ljust(width)} = {value if name == 'month' else '{' + value + '}'}"
        for name, value in fields
    )
    return f"@misc{{{citation_key(facts)},\n{body}\n}}\n"


def csl_json(facts: CitationFacts) -> dict[str, Any]:
    """One CSL-JSON item (type ``dataset``); a CSL-JSON file is a list of these."""
    item: dict[str, Any] = {
        "id": facts.iri,
        "type": "dataset",
        "title": facts.title,
        "version": facts.version,
        "author": [{"literal": name} for name in facts.creators],
        "issued": {"date-parts": [[facts.issued.year, facts.issued.month, facts.issued.day]]},
        "publisher": facts.publisher,
        "URL": facts.url,
        "note": f"Licence: {facts.licence}",
    }
    if facts.abstract:
        item["abstract"] = facts.abstract
    return item


def citation_key(facts: CitationFacts) -> str:
    """The entry's key: ``facts.key``, else the title's first word and the version."""
    if facts.key is not None:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_:.+-]*", facts.key):
            raise BibTeXError(f"not a safe BibTeX key: {facts.key!r}")
        return facts.key
    words = re.findall(r"[a-z0-9]+", ascii_fold(facts.title).lower())
    version = re.sub(r"[^A-Za-z0-9.]+", "-", facts.version).strip("-")
    return "-".join(part for part in (words[0] if words else "dataset", version) if part)


def latex(value: str) -> str:
    """``value`` as LaTeX text in ASCII: specials escaped, other letters brace-escaped."""
    return "".join(latex_char(c) for c in unicodedata.normalize("NFC", value))


def latex_char(c: str) -> str:
    if c in LATEX_SPECIALS:
        return LATEX_SPECIALS[c]
    if c in LETTERS:
        return LETTERS[c]
    if c == "\n":
        return " "
    if " " <= c <= "~":
        return c
    decomposed = unicodedata.normalize("NFD", c)
    base, marks = decomposed[0], decomposed[1:]
    if marks and " " <= base <= "~" and all(m in ACCENTS for m in marks):
        escaped = base if base not in "ij" else rf"\{base}"  # dotless i, j under accents
        for mark in marks:
            command = ACCENTS[mark]
            escaped = (
                rf"\{command}{escaped}" if not command.isalpha() else rf"\{command}{{{escaped}}}"
            )
        return f"{{{escaped}}}"
    raise BibTeXError(f"no BibTeX escape for {c!r} (U+{ord(c):04X} {unicodedata.name(c, '?')})")


def ascii_fold(value: str) -> str:
    """``value`` in plain ASCII letters, for keys: ``Sognarådet`` → ``Sognaradet``."""
    folded = value.translate(FOLDED)
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(c for c in decomposed if c.isascii())


def checked_url(url: str) -> str:
    if not url or FORBIDDEN_IN_URL.search(url) or not url.isascii():
        raise BibTeXError(f"not a URL BibTeX can hold verbatim: {url!r}")
    return url
