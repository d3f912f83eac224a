"""Our words for the terms of outside vocabularies, and for links read backwards.

``vocabulary_labels.json`` beside this module names, in nb and en, every property, class
and datatype of an outside vocabulary that the data use (``dct:source`` is "kilde" /
"source"), and says how a link reads from its other end (``org:hasMember`` read backwards
is "medlem av" / "member of"). The words are ours, written for these pages; they are not
the vocabularies' own labels and are not published as RDF. Terms of the iprkg ontology are
named by the ontology; the file gives only their backward wording (``ipr:focusArea`` read
backwards is "named by").

``label_rows(base)`` gives the words as label rows that ``labels.read_labels`` adds after
the store's own labels, so that every page names these terms without a CURIE;
``inverse(iri, lang)`` is the backward wording, for a page's links to it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

FILE = Path(__file__).parent / "vocabulary_labels.json"
OUR_WORDS = "urn:iprkg:our-words"
"""The property under which our words join the store's labels (ranked after the label
properties, so a label in the data wins in the same language)."""
LANGUAGES = ("nb", "en")


@dataclass(frozen=True)
class Words:
    """A term's name and its backward wording, each in nb and en (either may be empty)."""

    name: dict[str, str]
    inverse: dict[str, str]


@cache
def read_words(base: str) -> dict[str, Words]:
    """The file's words by full IRI; ``ipr:`` resolves against ``base``."""
    data: dict[str, Any] = json.loads(FILE.read_text(encoding="utf-8"))
    prefixes = {
        prefix: namespace if "://" in namespace else base + namespace
        for prefix, namespace in data["prefixes"].items()
    }
    words = {}
    for curie, entry in data["terms"].items():
        prefix, _, local = curie.partition(":")
        name = {lang: entry[lang] for lang in LANGUAGES if lang in entry}
        inverse = {lang: text for lang, text in entry.get("inverse", {}).items()}
        words[prefixes[prefix] + local] = Words(name, inverse)
    return words


def label_rows(base: str) -> list[tuple[str, str, str, str]]:
    """Our names as ``(IRI, property, text, language)`` rows, for ``labels.Labels``."""
    return [
        (iri, OUR_WORDS, text, lang)
        for iri, words in read_words(base).items()
        for lang, text in words.name.items()
    ]


def inverse(iri: str, lang: str, base: str) -> str:
    """How the property ``iri`` reads backwards in ``lang``; "" if we have no words for it."""
    words = read_words(base).get(iri)
    return words.inverse.get(lang, "") if words is not None else ""
