"""The ontology's documentation for browsers: what pyLODE gives, served live from the store.

``/ontology`` is dereferenced by ``resources``, which serves its RDF forms; a browser
asking it for HTML gets ``render_ontology()`` from here (one of the app's own pages,
``AppContext.own_pages``): the ontology's metadata, then each class and property with its
labels in nb and en, definition, domain and range, super-classes and super-properties,
and how often the data use it (read by ``services.ontology``). Each term's section has
the term's local name as its ``id``, so ``…/ontology#Strategy`` lands on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import render_template

from iprkg.services.ontology import ONTOLOGY_PATH, read_ontology
from iprkg.web.context import current_store


def render_ontology(iri: str, alternates: Sequence[Any] = ()) -> str | None:
    """The ontology's documentation page (rendered HTML) if ``iri`` is the ontology's
    IRI, else None. ``alternates`` are the page's other serialisations."""
    store = current_store()
    if iri != store.base_iri + ONTOLOGY_PATH:
        return None
    return render_template(
        "ontology/ontology.html", ontology=read_ontology(store), alternates=alternates
    )
