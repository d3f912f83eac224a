"""Run the app under gunicorn: worker processes answering on one socket, a new build on HUP.

* Worker processes (``IPRKG_WORKERS``; one per CPU core, at least two, by default), each
  answering one request at a time (gunicorn's sync workers): a process per request is what
  lets the watchdog (``watchdog``) stop a runaway query by ending its process without
  touching anyone else's request. Behind a reverse proxy that buffers requests (nginx),
  as gunicorn advises for sync workers, slow clients cannot hold the workers.
* The app and its store are made in the master, before the workers are forked: the
  workers share the store's memory and start in the time a fork takes.
* ``kill -HUP <master>`` after ``iprkg build`` moves to the new build without dropping a
  request: the master loads the new ``dist`` (if it cannot, it says why and keeps
  serving the old one), forks new workers, and lets the old ones finish what they are
  answering. The listening socket stays open throughout.
* The socket is bound before the workers start, so port 0 (any free port) works and the
  real address is announced once gunicorn is ready.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter
from gunicorn.workers.base import Worker

from iprkg.web.watchdog import EXIT_STOPPED

MakeApp = Callable[[], tuple[Flask, Callable[[], None]]]
"""Makes the app from the current build, and the function that starts a worker's watchdog."""


class _Gunicorn(BaseApplication):
    """gunicorn, configured here rather than by a file or its command line."""

    def __init__(
        self, first: tuple[Flask, Callable[[], None]], make: MakeApp, options: dict[str, Any]
    ) -> None:
        self._current = first
        self._make = make
        self._options = options
        self._loaded_once = False
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)
        self.cfg.set("post_fork", self._post_fork)

    def load(self) -> Any:  # a WSGI app: gunicorn's stubs type the call narrower than Flask
        if self._loaded_once:  # a reload (HUP): the build dist points to now
            try:
                self._current = self._make()
            except Exception as error:  # keep serving what works; say why in the log
                print(f"iprkg: kept the previous build: {error}", file=sys.stderr, flush=True)
        self._loaded_once = True
        return self._current[0]

    def reload(self) -> None:
        super().reload()
        self.callable = None  # gunicorn's master then loads again (preload_app)

    def _post_fork(self, arbiter: Arbiter, worker: Worker) -> None:
        self._current[1]()


def serve(
    first: tuple[Flask, Callable[[], None]],
    make: MakeApp,
    host: str,
    port: int,
    announce: Callable[[str], None],
    workers: int = 0,
    timeout: int = 0,
    max_header_bytes: int = 8190,
) -> None:
    """Serve ``first`` on ``host``:``port`` until interrupted, announcing each address;
    on HUP, serve ``make()`` instead. ``workers`` 0 means one per CPU core, at least two:
    the work is CPU-bound, two let one answer while the other's runaway query waits for
    the watchdog, and each worker costs 60-100 MB (``docs/performance.md``)."""
    shown = f"[{host}]" if ":" in host else host

    def when_ready(arbiter: Arbiter) -> None:
        for listener in arbiter.LISTENERS:
            address_host, address_port = listener.sock.getsockname()[:2]
            announced = f"[{address_host}]" if ":" in address_host else address_host
            announce(f"http://{announced}:{address_port}/sparql")

    options: dict[str, Any] = {
        "bind": [f"{shown}:{port}"],
        "workers": workers or max(2, os.cpu_count() or 1),
        "worker_class": "sync",
        "preload_app": True,
        "when_ready": when_ready,
        "proc_name": "iprkg",
        # The watchdog stops a request at the limit; gunicorn's own (which ends a worker
        # without answering) only catches a worker stuck outside a request.
        "timeout": timeout + 30 if timeout else 0,
        "graceful_timeout": max(timeout, 10) + 5,
        # X-Forwarded-* are the app's business (ProxyFix, IPRKG_PROXY_HOPS): gunicorn
        # itself trusts them from no address, so no client can forge them.
        "forwarded_allow_ips": "",
        "limit_request_line": max_header_bytes,
        "limit_request_field_size": max_header_bytes,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
    }
    assert EXIT_STOPPED not in (3, 4), "gunicorn halts on these worker exit codes"
    _Gunicorn(first, make, options).run()
