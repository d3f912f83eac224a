"""The strategy page: a strategy that reads like the strategy, in nb and en.

The strategy's own IRI (``strategy/{slug}``) is dereferenced by ``resources``; when a
browser asks it for HTML and the resource is an ``ipr:Strategy``, ``resources`` hands
over to ``render_strategy(iri)`` here (one of the app's own pages, ``context.own_pages``),
so the IRI itself answers with this reading view (its RDF forms stay with
``resources``). What the page shows is read by ``services.strategy``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import render_template

from iprkg.services.strategy import read_strategy
from iprkg.web.context import current_store


def render_strategy(iri: str, alternates: Sequence[Any] = ()) -> str | None:
    """The strategy page for ``iri`` (rendered HTML), or None if it is not a strategy.

    ``alternates`` are the page's other serialisations (``templating.Alternate``); the
    page language and the rest of base.html's context come from ``templating``.
    """
    strategy = read_strategy(current_store(), iri)
    if strategy is None:
        return None
    return render_template("strategy/strategy.html", strategy=strategy, alternates=alternates)
