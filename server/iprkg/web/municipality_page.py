"""The municipality page: its IRI, asked for HTML, leads with what it means, in nb and en.

``resources`` dereferences the IRI; when a browser asks for HTML it hands over to
``render_municipality(iri)`` here (one of the app's own pages, ``context.own_pages``), and
its RDF forms stay with ``resources``. What the page shows is read by
``services.municipality``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import render_template

from iprkg.services.municipality import read_municipality
from iprkg.web.context import current_labels, current_store
from iprkg.web.council_page import all_facts


def render_municipality(iri: str, alternates: Sequence[Any] = ()) -> str | None:
    """The municipality page for ``iri`` (rendered HTML), or None if it is not a municipality."""
    municipality = read_municipality(current_store(), current_labels(), iri)
    if municipality is None:
        return None
    return render_template(
        "municipality/municipality.html",
        page=municipality,
        alternates=alternates,
        facts=all_facts(iri),
    )
