"""Which text a search result quotes, and how: the page's language first, never the name
already shown, cut around the first match with the matches marked."""

from __future__ import annotations

from iprkg.engine.search import Hit, Text
from iprkg.engine.search_words import stems
from iprkg.services.search import SNIPPET_CHARS, snippet

AREA = Hit(
    "https://example.org/area",
    "focus-area",
    (
        Text("label", "nb", "Samferdsel"),
        Text("label", "nn", "Samferdsle"),
        Text("label", "en", "Transport and communications"),
        Text("note", "en", "Roads, ferries and samferdsel in English."),
        Text("note", "nb", "Veier, ferjer og samferdselen i regionen."),
    ),
    exact=True,
)


def test_the_name_shown_is_not_quoted_again() -> None:
    quoted = snippet(AREA, stems("samferdsel"), "nb", "Samferdsel")
    assert quoted is not None
    assert quoted.lang == "nn" and quoted.parts == (("Samferdsle", True),)


def test_the_page_language_comes_first() -> None:
    quoted = snippet(AREA, stems("ferjer"), "nb", "Samferdsel")
    assert quoted is not None and quoted.lang == "nb"
    assert ("ferjer", True) in quoted.parts
    english = snippet(AREA, stems("samferdsel"), "en", "Transport and communications")
    assert english is not None and english.lang == "nb"  # the labels before the notes


def test_no_text_holds_the_words() -> None:
    assert snippet(AREA, stems("sykehus"), "nb", "Samferdsel") is None


def test_a_long_text_is_cut_around_its_first_match() -> None:
    long = " ".join(["ord"] * 100) + " sykehuset " + " ".join(["mer"] * 100)
    hit = Hit("https://example.org/x", "other", (Text("note", "nb", long),), exact=False)
    quoted = snippet(hit, stems("sykehus"), "nb", "X")
    assert quoted is not None
    assert quoted.parts[0] == ("…", False) and quoted.parts[-1] == ("…", False)
    assert ("sykehuset", True) in quoted.parts
    assert len(quoted.text) <= SNIPPET_CHARS + 2
