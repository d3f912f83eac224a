"""The council page: a council IRI, asked for HTML, leads with what it means, in nb and en.

``resources`` dereferences the IRI; when a browser asks for HTML it hands over to
``render_council(iri)`` here (one of the app's own pages, ``context.own_pages``), and
its RDF forms stay with ``resources``. What the page shows is read by
``services.council``. After what it
means, the page lists every fact the data hold about the resource, as the generic page
shows them (``all_facts``): nothing the data say is hidden from a reader. Under the
members, the map of the municipalities shows them (``municipality_map.council_map``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import render_template

from iprkg.services.council import read_council
from iprkg.web.context import current_labels, current_store
from iprkg.web.municipality_map import council_map
from iprkg.web.resource_view import Page, page_of
from iprkg.web.resources import describe


def render_council(iri: str, alternates: Sequence[Any] = ()) -> str | None:
    """The council page for ``iri`` (rendered HTML), or None if it is not a council."""
    council = read_council(current_store(), current_labels(), iri)
    if council is None:
        return None
    return render_template(
        "council/council.html",
        page=council,
        alternates=alternates,
        facts=all_facts(iri),
        municipality_map=council_map(iri, council.title),
    )


def all_facts(iri: str) -> Page:
    """Every fact of ``iri``, in every language, as the generic page's tables show them
    (``resource_view.page_of``)."""
    return page_of(iri, describe(iri), every_fact=True)
