"""What the pages of resources need beyond their descriptions: which IRIs outside the base
the data describe (a UN goal, the Act, a theme), whose pages live at ``/resource?iri=…``.
"""

from __future__ import annotations

import json

from iprkg.engine.store import ReadOnlyStore, select


def described_externals(store: ReadOnlyStore) -> frozenset[str]:
    """The IRIs outside the base that are subjects in ``store``."""
    base = json.dumps(store.base_iri)
    query = (
        f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER (isIRI(?s) && !STRSTARTS(STR(?s), {base})) }}"
    )
    return frozenset(row["s"]["value"] for row in select(store, query))
