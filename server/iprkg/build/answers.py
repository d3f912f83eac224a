"""The answers of the project's own queries, computed once per build (``engine.precomputed``).

Each query of ``queries/`` and ``queries/compare/`` that depends on the default graph
alone and answers solutions (SELECT, ASK) is evaluated on the default graph the server
will load (the N-Triples dump and the harvested publications), and its answer written as
SPARQL JSON to ``iprkg-answer-<key>.srj``; the manifest lists each under ``answers``, with
the query's file, the key, the answer's size and number of rows, and the file with its
SHA-256. Every answer is written, whatever its size: one over the answer limit
(``IPRKG_MAX_ANSWER_MB``) is sent from its file as it is, in parts.
"""

from __future__ import annotations

import hashlib
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
    progress: Callable[[str], None],
) -> tuple[dict[str, bytes], dict[str, Any]]:
    """The answer files for ``dist`` and their manifest entry, from the N-Triples of
    ``default_graph`` and the queries under ``root``."""
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
        rows = counted(body)
        answer_key = key(text, base)
        files[path_of(answer_key)] = body
        listed.append(
            {
                "query": path.relative_to(root).as_posix(),
                "key": answer_key,
                "bytes": len(body),
                "rows": rows,
                "path": path_of(answer_key),
                "sha256": hashlib.sha256(body).hexdigest(),
            }
        )
    return files, {"queries": listed}


def counted(body: bytes) -> int:
    """The rows of the SPARQL JSON answer ``body`` (1 for ASK), read by Oxigraph's
    streaming parser: an answer of hundreds of megabytes is not made into Python objects."""
    parsed = pyoxigraph.parse_query_results(body, format=SPARQL_JSON.oxigraph_format)
    if isinstance(parsed, pyoxigraph.QueryBoolean):
        return 1
    return sum(1 for _ in parsed)
