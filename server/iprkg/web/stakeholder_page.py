"""The page of a stakeholder (``stakeholder/{slug}``), in nb and en.

When a browser asks a stakeholder's IRI for HTML, ``resources`` hands over to
``render_stakeholder`` here (one of ``context.own_pages``): which councils engage with it
(``ipr:worksTowards``) and at which level of which strategy, the source's other wordings
(``skos:altLabel``), what kind of body it is. What it shows is read by
``services.stakeholder``; its RDF forms stay with ``resources``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import render_template

from iprkg.services.stakeholder import read_stakeholder
from iprkg.web.concept_view import by_label, grouped, in_language, label, plain_notes
from iprkg.web.context import current_store


def render_stakeholder(iri: str, alternates: Sequence[Any] = ()) -> str | None:
    """The page of the stakeholder ``iri`` (rendered HTML), or None if it is not one."""
    facts = read_stakeholder(current_store(), iri)
    if facts is None:
        return None
    title = label(iri)
    title = title[:1].upper() + title[1:]  # "fylkeskommunen" as a heading
    return render_template(
        "stakeholder/stakeholder.html",
        facts=facts,
        title=title,
        definitions=[phrase.text for phrase in in_language(facts.definitions)],
        wordings=[
            p for p in facts.other_names + facts.names if p.text.casefold() != title.casefold()
        ],
        kinds=by_label(facts.kinds),
        notes=plain_notes(facts.notes),
        councils=grouped(facts.engagements),
        alternates=alternates,
    )
