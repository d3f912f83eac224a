"""The queries of the page readers (``strategy``, ``ontology``): ``.rq`` files in
``queries/`` beside this module, one per question, read once.

A file is SPARQL with slots that the reader fills, written ``${…}``:

* ``${labels VARIABLE NAME}`` binds ``?NAMENb`` and ``?NAMEEn`` to the display label of
  ``?VARIABLE`` in each language (``results.label_patterns``: the first of the label
  properties, unbound where there is none); filled when the file is read;
* ``${name}`` is a value the reader gives: an IRI written safely (``results.iri_ref``),
  a graph pattern, or a list of IRIs for ``VALUES``. A missing one is a KeyError, and a
  file with a slot left open is not SPARQL, so a query never runs half-filled.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from string import Template

from iprkg.engine.results import Row, label_patterns

FOLDER = Path(__file__).parent / "queries"
"""The queries, by page: ``strategy/levels.rq``, ``ontology/terms.rq`` …"""
LABEL_SLOT = re.compile(r"\$\{labels (\w+) (\w+)\}")


@cache
def template(name: str) -> Template:
    """The query ``name`` (``strategy/levels``), its label slots filled."""
    text = (FOLDER / f"{name}.rq").read_text(encoding="utf-8")
    return Template(LABEL_SLOT.sub(lambda slot: label_patterns(slot[1], slot[2]), text))


def query(name: str, **slots: str) -> str:
    """The text of the query ``name`` with its ``slots`` filled."""
    return template(name).substitute(slots)


def unique(rows: list[Row], *keys: str) -> list[Row]:
    """The first row for each combination of ``keys`` (extra labels multiply rows)."""
    seen: set[tuple[str, ...]] = set()
    kept = []
    for row in rows:
        key = tuple(str(row.get(name, "")) for name in keys)
        if key not in seen:
            seen.add(key)
            kept.append(row)
    return kept
