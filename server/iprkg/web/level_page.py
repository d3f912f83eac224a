"""The level page: a level IRI, asked for HTML, leads with what it means, in nb and en.

``resources`` dereferences the IRI; when a browser asks for HTML it hands over to
``render_level(iri)`` here (one of the app's own pages, ``context.own_pages``), and
its RDF forms stay with ``resources``. What the page shows is read by
``services.level``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import render_template

from iprkg.services.level import read_level
from iprkg.web.context import current_labels, current_store
from iprkg.web.council_page import all_facts


def render_level(iri: str, alternates: Sequence[Any] = ()) -> str | None:
    """The level page for ``iri`` (rendered HTML), or None if it is not a level."""
    level = read_level(current_store(), current_labels(), iri)
    if level is None:
        return None
    return render_template(
        "level/level.html", page=level, alternates=alternates, facts=all_facts(iri)
    )
