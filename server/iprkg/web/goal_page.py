"""The page of a UN Sustainable Development Goal, at ``/resource?iri=http://metadata.un.org/sdg/N``.

The goals are the UN's IRIs, described in the data (``data/vocabularies/sdg.ttl``), so
``resources`` answers them at the page of outside IRIs; when a browser asks for HTML,
``render_goal`` here shows the goal's number and name in the UN's colour, which councils'
strategies emphasise it, for how many councils it is known not to be named or unknown
(the comparison, docs/comparison.md), and links to the UN's IRI and Wikidata. What it
shows is read by ``services.goal``; its RDF forms stay with ``resources``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import render_template

from iprkg.core.errors import QueryFailed
from iprkg.services.goal import read_goal
from iprkg.services.strategy import SDG_GOAL_PREFIX
from iprkg.web.concept_view import by_label, in_language, label
from iprkg.web.context import current_context


def render_goal(iri: str, alternates: Sequence[Any] = ()) -> str | None:
    """The page of the UN goal ``iri`` (rendered HTML), or None if it is not one."""
    if not iri.startswith(SDG_GOAL_PREFIX):
        return None
    context = current_context()
    try:
        comparison = context.comparison
    except QueryFailed:  # the comparison queries are not installed: the page goes without
        comparison = None
    facts = read_goal(context.store, iri, comparison)
    if facts is None:
        return None
    return render_template(
        "goal/goal.html",
        facts=facts,
        title=label(iri),
        definitions=[phrase.text for phrase in in_language(facts.definitions)],
        councils={status: by_label(found) for status, found in facts.councils.items()},
        strategies=sorted(facts.strategies, key=lambda pair: label(pair[1]).casefold()),
        alternates=alternates,
    )
