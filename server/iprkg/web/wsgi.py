"""Run the app under granian: worker processes with threads and kept-alive connections.

* granian (a Rust HTTP server for Python apps) parses HTTP and keeps connections alive,
  so clients that reuse a connection (browsers, SPARQL clients, load generators) do not
  pay for a new one per request; each worker process (``IPRKG_WORKERS``, one per CPU
  core by default) runs the app in a few threads. Chosen by measurement: see
  ``docs/performance.md``.
* A runaway query cannot stop the worker it arrived at: queries are evaluated in child
  processes of the worker (``engine.query_processes``), which are killed at the time
  limit; the worker's threads go on answering everyone else.
* The app and its store are made in the first process, before the workers are forked:
  the workers share the store's memory and start in the time a fork takes (the heap
  made so far is frozen first, so that no worker's collector copies it). Each worker
  starts its query processes first thing, while it has one thread (``start_worker``).
* ``kill -HUP <first process>`` after ``iprkg build`` moves to the new build without
  dropping a request: the first process loads the new ``dist`` (if it cannot, it says
  why and keeps serving the old one), forks new workers, then stops the old ones, which
  finish what they are answering. The workers share one listening socket, held by the
  first process throughout, so no connection waiting to be accepted is lost.
* The socket is bound before the workers start, so port 0 (any free port) works and the
  real address is announced once it is bound.
"""

from __future__ import annotations

import multiprocessing
import os
import socket
import sys
from collections.abc import Callable
from typing import Any

from flask import Flask
from granian.constants import Interfaces
from granian.log import LogLevels
from granian.net import SocketSpec  # type: ignore[attr-defined]  # re-exported from Rust
from granian.server.mp import MPServer

from iprkg.core import memory
from iprkg.web.app import warm_up

MakeApp = Callable[[], tuple[Flask, Callable[[], None]]]
"""Makes the app from the current build, and the function that starts a worker (its
query processes)."""

THREADS = 4
"""Threads per worker running the app: while some wait for query processes, others
answer from the caches (``docs/performance.md``)."""


class _SharedSocket(MPServer):
    """granian with one listening socket bound by the first process and shared by every
    worker, as granian does on other systems: on Linux it gives each worker a socket of
    its own (SO_REUSEPORT), and the connections waiting on a stopped worker's socket
    (on HUP) would be reset, and port 0 would give each worker another port."""

    def _init_shared_socket(self) -> None:
        holder: Any = SocketSpec(self.bind_addr, self.bind_port, self.backlog).build()
        self._ssp, self._shd, self._sfd = None, holder, holder.get_fd()
        self._sso = shared = socket.socket(fileno=self._sfd)
        shared.set_inheritable(True)
        shared.listen(self.backlog)  # from now: connections wait for the workers
        self.address = shared.getsockname()[:2]

    address: tuple[str, int] = ("", 0)
    """Where the socket is bound (its port when 0 was asked)."""

    def _drop_shared_socket(self) -> None:
        if self._sso is not None:
            self._sso.close()


def serve(
    first: tuple[Flask, Callable[[], None]],
    make: MakeApp,
    host: str,
    port: int,
    announce: Callable[[str], None],
    workers: int = 0,
    timeout: int = 0,
) -> None:
    """Serve ``first`` on ``host``:``port`` until interrupted, announcing the address; on
    HUP, serve ``make()`` instead. ``workers`` 0 means one per CPU core."""
    current = [first]
    # Workers are forks of this process (the store shared), whatever Python's default.
    multiprocessing.set_start_method("fork", force=True)
    server = _SharedSocket(
        "iprkg",  # a name only: the app is the one made here (``load``)
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers or os.cpu_count() or 1,
        blocking_threads=THREADS,
        respawn_failed_workers=True,
        respawn_interval=0,  # the socket is shared: the old worker can stop at once
        workers_kill_timeout=max(timeout, 10) + 5,
        log_level=LogLevels.warning,
        log_access=False,
    )

    def load() -> Any:  # in each new worker, first thing: it has one thread still
        app, start_worker = current[0]
        start_worker()
        return app

    def announced() -> None:
        address_host, address_port = server.address
        shown = f"[{address_host}]" if ":" in address_host else address_host
        announce(f"http://{shown}:{address_port}/sparql")

    def reload() -> None:  # in the first process, before the new workers are forked
        try:
            current[0] = make()
        except Exception as error:  # keep serving what works; say why in the log
            print(f"iprkg: kept the previous build: {error}", file=sys.stderr, flush=True)
        memory.freeze()

    server.on_startup(announced)
    server.on_reload(reload)
    memory.freeze()  # the workers share the heap made so far (``iprkg.core.memory``)
    memory.tune_allocator()
    warm_up(first[0])  # pages for all workers, made beside them (``kept_pages``)
    server.serve(target_loader=load, wrap_loader=False)
