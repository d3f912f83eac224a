"""Queries evaluated in child processes, so that one past the time limit can be stopped.

pyoxigraph evaluates a query in Rust and offers no way to interrupt it: only ending the
process that runs it frees its CPU. A worker of ``iprkg serve`` answers many requests at
once (threads, kept-alive connections), so it cannot be ended for one runaway query.
Instead each worker hands the queries it must evaluate (answers not already in its
cache) to child processes of its own, and waits at most the limit
(``IPRKG_QUERY_TIMEOUT``) for the answer. A child past the limit is killed at once and a
fresh one takes its place when next needed; the client gets 503 (``QueryTimeout``), and
every other request, in that worker or another, goes on.

How children are made: when a worker starts, while it still has one thread, it forks a
*zygote*, a process that does nothing but fork children when asked. Forking a process
with one thread is safe (no lock is left held by a thread the copy lacks); the worker
itself, once serving, has many threads and never forks. A child shares the store's
memory with the worker (copy-on-write), reads a request from its socket, evaluates it
with the worker's store and sends back the serialised bytes. Children and the zygote end
when the worker's end of their socket closes, that is, when the worker ends. A child
that has grown by ``query_child.RETIRE_AFTER_BYTES`` (the store's pages a query touched
are copied into it) says so with its reply and ends; the next query gets a fresh fork.
A child left unused ``IDLE_END`` seconds ends as well (a thread of the worker ends it),
so that a worker answering from its caches holds no memory for queries it is not
evaluating.

A query costs two round trips to one child, held for it between them
(``Reservation``): first the query is parsed, planned, admitted and evaluated there
(what it answers, solutions or triples, decides the formats a client may get; a bad
query is refused then, before any format is chosen), then its answer is serialised in
the format chosen, from the evaluation the child kept. The limit counts from the first;
the answer cache (``query_cache``) keeps what each query answers and its serialised
answers, so a query asked again reaches no child.

``IsolatedStore`` is the ``ReadOnlyStore`` that does this once ``QueryProcesses.start`` has
run in the current process; before that (the tests' client, the build) it answers in
the process itself, as the store it wraps would.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
import threading
import time
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from typing import Any, NoReturn

from iprkg.core import errors, memory
from iprkg.core.errors import IprkgError, QueryFailed, QueryTimeout
from iprkg.core.formats import ResultsSerialisation, Serialisation
from iprkg.engine.answers import QueryResult, Solutions, Triples
from iprkg.engine.query_child import Asked, zygote
from iprkg.engine.store import ReadOnlyStore, WrappingStore

SPARE_AFTER = 0.25
"""Seconds a query waits for a busy worker's ``most`` children before one more is forked
for it (ended once it answers): a long query does not hold up short ones beside it."""


IDLE_END = 2.0
"""Seconds a child may wait unused before it ends: the memory it made its own answering
(the store's pages a query touched, its allocator's free lists) goes back to the system
while the worker answers from its caches, and the next query gets a fresh fork."""


@dataclass
class _Child:
    pid: int
    connection: Connection
    retiring: bool = False
    """Said with its last reply: it ends after it (``query_child._child``)."""
    idle_since: float = 0.0


class QueryProcesses:
    """The query children of one worker process (see the module): at most ``most`` at
    once, each given at most ``limit`` seconds per query (0: no limit)."""

    def __init__(self, store: ReadOnlyStore, limit: float, most: int) -> None:
        self._store = store
        self._limit = limit
        self._most = max(1, most)
        self._owner = 0
        self._zygote: socket.socket | None = None
        self._zygote_lock = threading.Lock()
        self._idle: list[_Child] = []
        self._running = 0
        self._turn = threading.Condition()
        self._ending_idle: threading.Thread | None = None
        self._stopping = threading.Event()

    @property
    def started(self) -> bool:
        """Whether this process started them (a process forked from it did not)."""
        return self._owner == os.getpid()

    def start(self) -> None:
        """Fork the zygote; call while the calling process has one thread."""
        memory.freeze()  # the zygote and its children share this heap (``memory``)
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:  # the zygote
            ours.close()
            zygote(theirs, self._store)
        theirs.close()
        self._zygote, self._owner = ours, os.getpid()
        self._idle, self._running = [], 0
        self._ending_idle, self._stopping = None, threading.Event()

    def stop(self) -> None:
        """End the zygote and the idle children (each ends when its socket closes)."""
        with self._turn:
            idle, self._idle = self._idle, []
            ending, self._ending_idle = self._ending_idle, None
        self._stopping.set()
        if ending is not None:
            ending.join()
        for child in idle:
            child.connection.close()
        if self._zygote is not None:
            self._zygote.close()
        self._zygote, self._owner = None, 0

    def evaluate(self, asked: Asked) -> tuple[bytes, bool]:
        """The serialised answer to ``asked`` and whether it was cut at ``max_rows``; the
        errors evaluating it raises here, QueryTimeout past the limit."""
        deadline = time.monotonic() + self._limit if self._limit else None
        return Reservation(self, self._take(deadline), deadline).answer(asked)

    def reserve(self, asked: Asked) -> tuple[bool, Reservation]:
        """Whether ``asked`` answers triples (CONSTRUCT, DESCRIBE) rather than solutions,
        the query parsed, planned, admitted and evaluated in a child (a bad one raises
        here); and that child, kept for its answer (``Reservation.answer``)."""
        deadline = time.monotonic() + self._limit if self._limit else None
        reservation = Reservation(self, self._take(deadline), deadline)
        reply = reservation.exchange(_wanting(asked, "", 0, 0))
        return bool(reply[1]), reservation

    def _exchange(self, child: _Child, asked: Asked, deadline: float | None) -> tuple[Any, ...]:
        """Send ``asked`` to ``child`` and read its reply; past ``deadline`` the child is
        killed (QueryTimeout), and a child that died is dropped (QueryFailed)."""
        try:
            child.connection.send(asked)
            if not child.connection.poll(_left(deadline)):
                self._stop(child, asked)
            child.retiring, reply = child.connection.recv()
        except (EOFError, OSError) as error:  # the child died (e.g. killed by the system)
            self._discard(child)
            raise QueryFailed("the query could not be evaluated; the error is logged") from error
        return reply  # type: ignore[no-any-return]

    def _take(self, deadline: float | None) -> _Child:
        """An idle child, a new one while fewer than ``most`` run, a spare one beside
        them after ``SPARE_AFTER`` seconds of waiting, else the first freed."""
        asked = time.monotonic()
        with self._turn:
            while not self._idle and self._running >= self._most:
                waited = time.monotonic() - asked
                spare = self._running == self._most
                if spare and waited >= SPARE_AFTER:
                    break
                left = _left(deadline)
                wait = min(left, SPARE_AFTER - waited) if spare and left is not None else left
                if spare and wait is None:
                    wait = SPARE_AFTER - waited
                self._turn.wait(wait)
                if deadline is not None and time.monotonic() >= deadline:
                    raise QueryTimeout(
                        f"the server was busy with other queries for the limit of "
                        f"{self._limit:g} s; try again in a minute"
                    )
            self._running += 1
            if self._idle:
                return self._idle.pop()
        try:
            return self._fork()
        except Exception:
            self._discard(None)
            raise

    def _give_back(self, child: _Child) -> None:
        with self._turn:
            self._running -= 1
            spare = self._running + len(self._idle) >= self._most
            if not (child.retiring or spare):
                child.idle_since = time.monotonic()
                self._idle.append(child)
                self._end_idle_later()
            self._turn.notify()
        if child.retiring or spare:  # it ends: the next query gets a fresh fork
            child.connection.close()

    def _end_idle_later(self) -> None:
        """Make sure a thread ends the children left idle ``IDLE_END`` seconds (it runs
        while any child is idle); call holding ``_turn``."""
        if self._ending_idle is None:
            self._ending_idle = threading.Thread(
                target=self._end_idle, name="iprkg-idle-query-processes", daemon=True
            )
            self._ending_idle.start()

    def _end_idle(self) -> None:
        """The thread of ``_end_idle_later``: until no child is idle, or ``stop``."""
        while True:
            with self._turn:
                now = time.monotonic()
                ended = [c for c in self._idle if now - c.idle_since >= IDLE_END]
                self._idle = [c for c in self._idle if now - c.idle_since < IDLE_END]
                wait = min((c.idle_since + IDLE_END - now for c in self._idle), default=None)
                if wait is None:
                    self._ending_idle = None
            for child in ended:
                child.connection.close()  # it ends when its socket closes
            if wait is None or self._stopping.wait(wait):
                return

    def _discard(self, child: _Child | None) -> None:
        if child is not None:
            child.connection.close()
        with self._turn:
            self._running -= 1
            self._turn.notify()

    def _fork(self) -> _Child:
        """A new child, forked by the zygote."""
        assert self._zygote is not None, "start() first"
        with self._zygote_lock:
            self._zygote.sendall(b"f")
            message, fds, _, _ = socket.recv_fds(self._zygote, 32, 1)
        if not fds:
            raise QueryFailed("the query could not be evaluated: no process to evaluate it in")
        return _Child(int(message), Connection(fds[0]))

    def _stop(self, child: _Child, asked: Asked) -> NoReturn:
        """Kill ``child``, past the limit with ``asked``, and say so."""
        with contextlib.suppress(ProcessLookupError):  # it has just ended by itself
            os.kill(child.pid, signal.SIGKILL)
        self._discard(child)
        print(
            f"iprkg: stopped a query after {self._limit:g} s (IPRKG_QUERY_TIMEOUT); "
            f"its process {child.pid} is replaced: {_shown(asked.text)}",
            file=sys.stderr,
            flush=True,
        )
        raise QueryTimeout(
            f"the query ran longer than the limit of {self._limit:g} s and was stopped; "
            "narrow the query (LIMIT, more specific patterns) or run it on a copy of "
            "the data (the dumps at /dumps/)"
        )


class Reservation:
    """A query child held for one query, from the question of what it answers to its
    answer, so that the child evaluates it once (it keeps the evaluated query between the
    two); given back after the answer, or when the answer is not asked for."""

    def __init__(self, processes: QueryProcesses, child: _Child, deadline: float | None) -> None:
        self._processes, self._deadline = processes, deadline
        self._child: _Child | None = child

    def exchange(self, asked: Asked) -> tuple[Any, ...]:
        """The child's reply to ``asked``; the child is kept, unless this raises."""
        assert self._child is not None, "given back already"
        child = self._child
        try:
            reply = self._processes._exchange(child, asked, self._deadline)
        except (QueryFailed, QueryTimeout):  # the child was killed or died: dropped
            self._child = None
            raise
        try:
            return _replied(reply)
        except IprkgError:
            self.release()
            raise

    def answer(self, asked: Asked) -> tuple[bytes, bool]:
        """The serialised answer and whether it was cut at ``max_rows``; then the child is
        given back."""
        reply = self.exchange(asked)
        self.release()
        return reply[1], reply[2]

    def release(self) -> None:
        """Give the child back (once)."""
        child, self._child = self._child, None
        if child is not None:
            self._processes._give_back(child)


def _left(deadline: float | None) -> float | None:
    return None if deadline is None else max(0.0, deadline - time.monotonic())


def _shown(text: str) -> str:
    """A query on one line, at most 200 characters, for the log."""
    flat = " ".join(text.split())
    return flat if len(flat) <= 200 else f"{flat[:199]}…"


def _replied(reply: tuple[Any, ...]) -> tuple[Any, ...]:
    """A child's reply, or the error it stands for raised."""
    if reply[0] in ("answer", "kind"):
        return reply
    if reply[0] == "error":
        kind = getattr(errors, reply[1], None)
        if isinstance(kind, type) and issubclass(kind, IprkgError):
            error = kind.__new__(kind)
            IprkgError.__init__(error, reply[2])
            raise error
    raise QueryFailed("the query could not be evaluated; the error is logged")


class IsolatedSolutions(Solutions):
    """A SELECT or ASK answer evaluated by a query child."""

    def __init__(
        self, processes: QueryProcesses, asked: Asked, reservation: Reservation | None = None
    ) -> None:
        self._processes, self._asked, self._reservation = processes, asked, reservation
        if reservation is not None:  # the child goes back even if no answer is asked for
            weakref.finalize(self, reservation.release)

    def rows(self) -> Any:
        raise TypeError("the rows of a query evaluated in a child process are not at hand")

    def serialise(
        self, serialisation: ResultsSerialisation, max_bytes: int = 0, max_rows: int = 0
    ) -> bytes:
        asked = _wanting(self._asked, serialisation.media_type, max_bytes, max_rows)
        body, self.truncated = _answered(self._processes, self, asked)
        return body


class IsolatedTriples(Triples):
    """A CONSTRUCT or DESCRIBE answer evaluated by a query child."""

    def __init__(
        self, processes: QueryProcesses, asked: Asked, reservation: Reservation | None = None
    ) -> None:
        self._processes, self._asked, self._reservation = processes, asked, reservation
        if reservation is not None:
            weakref.finalize(self, reservation.release)

    def serialise(self, serialisation: Serialisation, max_bytes: int = 0) -> bytes:
        asked = _wanting(self._asked, serialisation.media_type, max_bytes, 0)
        return _answered(self._processes, self, asked)[0]


def _answered(
    processes: QueryProcesses, result: IsolatedSolutions | IsolatedTriples, asked: Asked
) -> tuple[bytes, bool]:
    """The answer from the child ``result`` holds, the first time; from any child after."""
    reservation, result._reservation = result._reservation, None
    if reservation is None:
        return processes.evaluate(asked)
    return reservation.answer(asked)


def _wanting(asked: Asked, media_type: str, max_bytes: int, max_rows: int) -> Asked:
    return replace(asked, media_type=media_type, max_bytes=max_bytes, max_rows=max_rows)


class IsolatedStore(WrappingStore):
    """A ``ReadOnlyStore`` evaluating queries in ``processes`` once they are started in
    this process, else in ``inner`` here (see the module). Descriptions (the fixed,
    bounded query of the resource pages) are always answered here."""

    def __init__(self, inner: ReadOnlyStore, processes: QueryProcesses) -> None:
        super().__init__(inner)
        self.processes = processes

    def query(
        self,
        text: str,
        base_iri: str | None = None,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
    ) -> QueryResult:
        if not self.processes.started:
            return self._inner.query(text, base_iri, default_graph_uris, named_graph_uris)
        asked = Asked(text, base_iri, tuple(default_graph_uris), tuple(named_graph_uris))
        triples, reservation = self.processes.reserve(asked)
        if triples:
            return IsolatedTriples(self.processes, asked, reservation)
        return IsolatedSolutions(self.processes, asked, reservation)
