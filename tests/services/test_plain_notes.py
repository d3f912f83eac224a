"""Notes in plain words (``plain_notes``): the machine names a note mentions are dropped
when they stand alone in brackets and said by label elsewhere; ISO dates said as the page
says dates; other text is left as written."""

from __future__ import annotations

import re
from datetime import date

from rdflib import Graph, Literal
from rdflib.namespace import SKOS

from iprkg.engine.store import ReadOnlyStore
from iprkg.services.labels import read_labels
from iprkg.services.plain_notes import plain
from support.page_text import machine_names
from support.project import DEFAULT_BASE


def test_every_note_in_the_data_reads_without_machine_names(
    store: ReadOnlyStore, dataset: Graph
) -> None:
    labels = read_labels(store)
    notes = [
        note
        for p in (SKOS.note, SKOS.definition, SKOS.scopeNote)
        for note in dataset.objects(None, p)
        if isinstance(note, Literal)
    ]
    assert any(machine_names(str(note)) for note in notes)  # the data do mention some
    for note in notes:
        lang = "en" if note.language == "en" else "nb"
        said = plain(str(note), lambda iri, lang=lang: labels.label(iri, lang), DEFAULT_BASE)
        assert machine_names(said) == [], (str(note), said)
        assert re.search(r"<[^<>\s]+>", said) is None, (str(note), said)


def test_brackets_of_machine_names_go_and_other_names_are_said() -> None:
    def name(iri: str) -> str:
        return f"[{iri.rsplit('/', 1)[-1].rsplit('#', 1)[-1]}]"

    text = "Two members (ipr:completeList org:hasMember). Met in 2020 (org:linkedTo, <meeting/m>)."
    assert plain(text, name, DEFAULT_BASE) == "Two members. Met in 2020."
    assert plain("has ipr:legalBasis § 18-1", name, DEFAULT_BASE) == "has [legalBasis] § 18-1"
    assert plain("see <meeting/m> then", name, DEFAULT_BASE) == "see [m] then"


def test_what_is_not_a_machine_name_is_left_as_written() -> None:
    text = "See https://x.no/a:b at kl. 10:00 (PDF, 638 kB), § 18-1 and note:this."
    assert plain(text, lambda iri: "X", DEFAULT_BASE) == text


def test_iso_dates_are_said_as_the_page_says_them() -> None:
    def day(iso: str) -> str:
        when = date.fromisoformat(iso)  # ValueError for what is not a date
        return f"<{when.day}.{when.month}.>"

    said = plain("Founded 2017-11-24, not 2017-13-40.", lambda i: i, DEFAULT_BASE, day)
    assert said == "Founded <24.11.>, not 2017-13-40."
