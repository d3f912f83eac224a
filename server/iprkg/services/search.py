"""Search results as pages and APIs show them: which indexed text to quote, and where.

``engine.search`` finds and ranks the resources; a hit carries the texts it was indexed
by, as published. ``snippet`` picks the one to show under the result's name: the first,
in the page's language first (a Bokmål page takes nb, then nn, then text without a
language, then en), of the labels, alternative labels and notes that holds a word of
the query and is not the name already shown, cut to ``SNIPPET_CHARS`` around that word;
the matching words are marked. So "samferdsel" finds Samferdsel with the Nynorsk label
"Samferdsle" quoted, and "sykehus" finds "Sykehuset Telemark" with its words marked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from iprkg.engine.search import Hit, Text
from iprkg.engine.search_words import WORD, fold, stem

SNIPPET_CHARS = 180
"""The longest snippet, before the ellipses."""
LANGUAGE_ORDER = {"nb": ("nb", "nn", "", "en"), "en": ("en", "", "nb", "nn")}
FIELD_ORDER = ("label", "alt", "note")


@dataclass(frozen=True)
class Snippet:
    """A quoted text, as parts: ``(text, marked)``, the marked ones matching the query."""

    lang: str
    parts: tuple[tuple[str, bool], ...]

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.parts)


def ordered(texts: Sequence[Text], lang: str) -> list[Text]:
    """``texts`` in the order a snippet is looked for (see the module)."""
    languages = LANGUAGE_ORDER.get(lang, LANGUAGE_ORDER["nb"])
    return sorted(
        texts,
        key=lambda t: (
            FIELD_ORDER.index(t.field) if t.field in FIELD_ORDER else len(FIELD_ORDER),
            languages.index(t.lang) if t.lang in languages else len(languages),
        ),
    )


def snippet(hit: Hit, terms: Sequence[str], lang: str, shown: str) -> Snippet | None:
    """The text of ``hit`` to quote for a query of ``terms`` (stems), or None."""
    wanted = set(terms)
    for text in ordered(hit.texts, lang):
        if text.value.casefold() == shown.casefold():
            continue
        spans = [
            match.span() for match in WORD.finditer(text.value) if stem(fold(match[0])) in wanted
        ]
        if spans:
            return Snippet(text.lang, marked(text.value, spans))
    return None


def marked(value: str, spans: Sequence[tuple[int, int]]) -> tuple[tuple[str, bool], ...]:
    """``value`` cut to ``SNIPPET_CHARS`` around its first span, as parts with the spans
    marked; an ellipsis where it is cut."""
    start, end = 0, len(value)
    if len(value) > SNIPPET_CHARS:
        first = spans[0][0]
        start = max(0, first - SNIPPET_CHARS // 3)
        start = value.rfind(" ", 0, start) + 1 if start else 0
        end = min(len(value), start + SNIPPET_CHARS)
        cut = value.rfind(" ", start, end) if end < len(value) else -1
        end = cut if cut > first else end
    parts: list[tuple[str, bool]] = [("…", False)] if start else []
    at = start
    for left, right in spans:
        if left < at or right > end:
            continue
        if left > at:
            parts.append((value[at:left], False))
        parts.append((value[left:right], True))
        at = right
    if at < end:
        parts.append((value[at:end], False))
    if end < len(value):
        parts.append(("…", False))
    return tuple(parts)
