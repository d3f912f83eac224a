"""The far side of ``query_processes``: the zygote that forks query children, and a
child's loop, which evaluates what its worker asks with the store it shares."""

from __future__ import annotations

import os
import signal
import socket
import sys
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, NoReturn

from iprkg.core import memory
from iprkg.core.errors import IprkgError, QueryFailed
from iprkg.core.formats import RESULTS_SERIALISATIONS, ResultsSerialisation
from iprkg.core.formats import by_media_type as rdf_format
from iprkg.engine.answers import QueryResult, Solutions, Triples
from iprkg.engine.store import ReadOnlyStore

RETIRE_AFTER_BYTES = 48 * 1024 * 1024
"""Memory made its own since its fork (``memory.faulted_bytes``) past which a child ends
after its reply (``_child``). A query reading all of the store copies it: about 24 MB
with 600 synthetic councils."""


@dataclass(frozen=True)
class Asked:
    """A query, as ``ReadOnlyStore.query`` takes it, and the serialisation wanted; with
    no ``media_type``, only what the query answers (solutions or triples) is asked."""

    text: str
    base_iri: str | None
    default_graph_uris: tuple[str, ...]
    named_graph_uris: tuple[str, ...]
    media_type: str = ""
    max_bytes: int = 0
    max_rows: int = 0


def zygote(parent: socket.socket, store: ReadOnlyStore) -> NoReturn:
    """Fork a child for each byte ``parent`` sends, and send back its pid and socket."""
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped as they end
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ended by the worker, not the terminal
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    while parent.recv(1):
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            parent.close()
            ours.close()
            _child(Connection(theirs.detach()), store)
        theirs.close()
        socket.send_fds(parent, [str(pid).encode()], [ours.fileno()])
        ours.close()
    os._exit(0)


def _child(connection: Connection, store: ReadOnlyStore) -> NoReturn:
    """Answer the requests ``connection`` brings until it closes. A query asked for what
    it answers is kept, evaluated, for the answer asked next (``Reservation``).

    Each reply goes with whether the child retires after it: once it has made
    ``RETIRE_AFTER_BYTES`` its own since it was forked, it ends after the reply, and the
    next query gets a fresh fork. A query copies into its child the pages of the shared
    store and heap it touches (reading pyoxigraph's store writes to them), and memory
    freed after a large answer stays with the process; a fresh fork shares them again."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    kept: tuple[tuple[Any, ...], QueryResult] | None = None
    forked = memory.faulted_bytes()
    while True:
        try:
            asked = connection.recv()
        except (EOFError, OSError):
            os._exit(0)
        query = (asked.text, asked.base_iri, asked.default_graph_uris, asked.named_graph_uris)
        try:
            if kept is not None and kept[0] == query and asked.media_type:
                result = kept[1]
            else:
                result = store.query(*query)
            kept = None if asked.media_type else (query, result)
            reply: tuple[Any, ...] = _evaluated(result, asked)
        except IprkgError as error:
            kept, reply = None, ("error", type(error).__name__, error.message)
        except Exception:
            traceback.print_exc(file=sys.stderr)
            kept, reply = None, ("failed",)
        retiring = kept is None and memory.faulted_bytes() - forked > RETIRE_AFTER_BYTES
        connection.send((retiring, reply))
        if retiring:
            os._exit(0)


def _evaluated(result: QueryResult, asked: Asked) -> tuple[Any, ...]:
    """("kind", answers triples) without a media type, else ("answer", body, cut)."""
    if not asked.media_type:
        return ("kind", isinstance(result, Triples))
    if isinstance(result, Solutions):
        body = result.serialise(_results_format(asked.media_type), asked.max_bytes, asked.max_rows)
        return ("answer", body, result.truncated)
    return ("answer", result.serialise(rdf_format(asked.media_type), asked.max_bytes), False)


def _results_format(media_type: str) -> ResultsSerialisation:
    for serialisation in RESULTS_SERIALISATIONS:
        if serialisation.media_type == media_type:
            return serialisation
    raise QueryFailed(f"no serialisation of solutions is called {media_type}")
