"""The W3C tests' server: one real ``iprkg serve`` (``live.serving``) with every data file.

Each data file is a named graph named by the file's URI,
``--dataset file:///.../data.ttl=/.../data.ttl``, so that a test picks its data with the
protocol's ``default-graph-uri`` and ``named-graph-uri``.
"""

from __future__ import annotations

from collections.abc import Iterable

from support.live import serving
from support.w3c.manifest import file_path

__all__ = ["dataset_options", "serving"]


def dataset_options(graph_uris: Iterable[str]) -> list[str]:
    """``--dataset URI=PATH`` for each ``file:`` URI: the file, named by its URI."""
    options = []
    for uri in graph_uris:
        options += ["--dataset", f"{uri}={file_path(uri)}"]
    return options
