"""Words as search compares them: one light normaliser for the index and for queries.

Search must forgive case, diacritics, Norwegian inflection and the difference between
Bokmål and Nynorsk, so both the text indexed at build time and what a person types go
through ``stems`` here, and the index holds stems, not words. The steps, in order:

1. **Words**: runs of letters and digits (``\\w``); everything else separates words, so
   quotes, ``*``, ``:``, brackets and control characters never reach the engine.
2. **Case and diacritics**: casefolded, then decomposed with the combining marks dropped
   (``é`` → ``e``, ``å`` → ``a``); ``ø`` → ``o`` and ``æ`` → ``ae``, which Unicode does not
   decompose.
3. **Inflection**: the longest of the common Bokmål and Nynorsk endings is cut off
   (``SUFFIXES``: definite ``-en``/``-et``/``-a``, plurals ``-er``/``-ar``/``-ene``/``-ane``,
   comparatives ``-ere``/``-are`` …), leaving at least ``MIN_STEM`` letters: "sykehuset"
   and "sykehus" both give ``sykehus``.
4. **Unstressed -el**: a stem ending in a consonant and ``el`` loses the ``e``, as the
   word does when inflected: "samferdsel" and the Nynorsk "samferdsle" both give
   ``samferdsl``, "regel" and "regler" both ``regl``.
5. **Nynorsk and Bokmål forms** that differ in more than an ending (``VARIANTS``):
   "høg" (Nynorsk) is "høy" (Bokmål), so "høgare utdanning" finds "Høyere utdanning".

It is deliberately small (a word list of a few entries, no dictionary): a stem is an
index key, never shown to anyone.
"""

from __future__ import annotations

import re
import unicodedata

WORD = re.compile(r"\w+")
MIN_STEM = 3
"""The fewest letters an ending may leave."""
SUFFIXES = tuple(
    sorted(
        (
            "hetene",
            "hetane",
            "heten",
            "heita",
            "heter",
            "heiter",
            "ande",
            "ende",
            "ene",
            "ane",
            "ere",
            "are",
            "este",
            "aste",
            "ast",
            "est",
            "ers",
            "ets",
            "ens",
            "en",
            "et",
            "er",
            "ar",
            "a",
            "e",
        ),
        key=len,
        reverse=True,
    )
)
"""Endings cut off, longest first: definite and plural forms of nouns in Bokmål and
Nynorsk, comparatives and superlatives of adjectives, genitive ``-s`` after those."""
VARIANTS = {"hog": "hoy", "hogst": "hoyst", "mykj": "mye", "ikkj": "ikk"}
"""Stems whose Nynorsk and Bokmål forms differ beyond the ending, to the Bokmål stem."""
VOWELS = frozenset("aeiouyå")
FOLDED = str.maketrans({"ø": "o", "æ": "ae", "đ": "d", "ß": "ss", "ð": "d", "þ": "th"})


def fold(word: str) -> str:
    """``word`` casefolded, without diacritics: ``Høyere`` → ``hoyere``."""
    decomposed = unicodedata.normalize("NFKD", word.casefold().translate(FOLDED))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.translate(FOLDED)


def stem(word: str) -> str:
    """The index key of one folded word (steps 3 to 5 of the module)."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            word = word[: -len(suffix)]
            break
    if len(word) > MIN_STEM and word.endswith("el") and word[-3] not in VOWELS:
        word = word[:-2] + "l"
    return VARIANTS.get(word, word)


def words(text: str) -> list[str]:
    """The words of ``text``, folded (steps 1 and 2 of the module)."""
    return [folded for match in WORD.findall(text) if (folded := fold(match))]


def stems(text: str) -> list[str]:
    """The index keys of ``text``, in order: what the index holds and a query asks for."""
    return [stem(word) for word in words(text)]
