"""The answers of the project's own queries, computed once per build (``engine.precomputed``).

Each query of ``queries/`` and ``queries/compare/`` that depends on the default graph
alone and answers solutions (SELECT, ASK) is evaluated on the default graph the server
will load (the N-Triples dump and the harvested publications), and its answer written as
SPARQL JSON to ``iprkg-answer-<key>.srj``; the manifest lists each under ``answers``, with
the query's file, the key, the answer's size and number of rows,
and the file with its SHA-256 (none for an answer over the answer limit,
``IPRKG_MAX_ANSWER_MB``: it is not written).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph

from iprkg.core.formats import N_TRIPLES, SPARQL_JSON
from iprkg.engine.answers import Solutions
from iprkg.engine.precomputed import key, path_of, precomputable

QUERY_FOLDERS = (Path("queries"), Path("queries") / "compare")
"""The project's own queries, relative to its root."""


def make_answers(
    default_graph: Sequence[bytes],
    root: Path,
    base: str,
    max_bytes: int,
    progress: Callable[[str], None],
) -> tuple[dict[str, bytes], dict[str, Any]]:
    """The answer files for ``dist`` and their manifest entry, from the N-Triples of
    ``default_graph`` and the queries under ``root``; an answer over ``max_bytes`` (0:
    none is) is listed with its size, not written."""
    store = pyoxigraph.Store()
    for content in default_graph:
        store.load(content, format=N_TRIPLES.oxigraph_format)
    files: dict[str, bytes] = {}
    listed: list[dict[str, Any]] = []
    paths = [path for folder in QUERY_FOLDERS for path in sorted((root / folder).glob("*.rq"))]
    progress(f"answering the {len(paths)} queries of queries/ once, for the server…")
    for path in paths:
        text = path.read_text(encoding="utf-8")
        if not precomputable(text):
            continue
        result = store.query(text, base_iri=base)
        if isinstance(result, pyoxigraph.QueryTriples):
            continue
        body = Solutions(result).serialise(SPARQL_JSON)

        document = json.loads(body)
        rows = 1 if "boolean" in document else len(document["results"]["bindings"])
        answer_key = key(text, base)
        entry: dict[str, Any] = {
            "query": path.relative_to(root).as_posix(),
            "key": answer_key,
            "bytes": len(body),
            "rows": rows,
        }
        if not max_bytes or len(body) <= max_bytes:
            files[path_of(answer_key)] = body
            entry |= {"path": path_of(answer_key), "sha256": hashlib.sha256(body).hexdigest()}
        else:
            progress(f"{entry['query']}: the answer is over the answer limit; not kept")
        listed.append(entry)
    return files, {"queries": listed}
