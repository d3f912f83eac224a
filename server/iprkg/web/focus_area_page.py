"""The page of a focus area (``focus-area/{slug}``), in nb and en.

When a browser asks a focus area's IRI for HTML, ``resources`` hands over to
``render_focus_area`` here (one of ``context.own_pages``): which councils' strategies name
it, and at which of their levels; its themes of LOS and the EU data themes in words
(counted: "about the theme", "part of the theme"; only related: "overlaps"); its parts, or
the compound focus areas it is part of; the joint meetings that discussed it. What it
shows is read by ``services.focus_area``; its RDF forms stay with ``resources``. A retired
focus area never gets here: its IRI redirects to what replaces it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import render_template

from iprkg.services.focus_area import ThemeLink, read_focus_area
from iprkg.web.concept_view import (
    by_label,
    grouped,
    in_language,
    label,
    other_languages,
    plain_notes,
)
from iprkg.web.context import current_store


def render_focus_area(iri: str, alternates: Sequence[Any] = ()) -> str | None:
    """The page of the focus area ``iri`` (rendered HTML), or None if it is not one."""
    facts = read_focus_area(current_store(), iri)
    if facts is None:
        return None

    def themes(counted: bool) -> list[ThemeLink]:
        chosen = [link for link in facts.themes if link.counted == counted]
        return sorted(chosen, key=lambda link: (link.scheme != "LOS", label(link.theme).casefold()))

    return render_template(
        "focus-area/focus-area.html",
        facts=facts,
        title=label(iri),
        definitions=[phrase.text for phrase in in_language(facts.definitions)],
        other_names=[
            phrase
            for phrase in other_languages(facts.names) + in_language(facts.other_names)
            if phrase.text != label(iri)
        ],
        notes=plain_notes(facts.notes),
        councils=grouped(facts.namings),
        counted=themes(True),
        related=themes(False),
        parts=by_label(facts.parts),
        wholes=by_label(facts.wholes),
        alternates=alternates,
    )
