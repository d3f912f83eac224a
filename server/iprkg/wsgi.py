"""Run the app under gunicorn: several worker processes answering on one socket.

One Python process answers one request at a time per CPU core (the GIL), so the
production server is gunicorn with worker processes (``IPRKG_WORKERS``, one per core by
default), each with a few threads (``IPRKG_THREADS``) for slow clients and keep-alive.
The app and its store are made once, in the master, before the workers are forked: the
workers share the store's memory, and start in the time a fork takes.

The socket is bound before the workers start, so port 0 (any free port) works and the
real address is announced once gunicorn is ready.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter


class _Gunicorn(BaseApplication):
    """gunicorn, configured here rather than by a file or its command line."""

    def __init__(self, app: Flask, options: dict[str, Any]) -> None:
        self._app = app
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:  # a WSGI app: gunicorn's stubs type the call narrower than Flask
        return self._app


def serve(
    app: Flask,
    host: str,
    port: int,
    announce: Callable[[str], None],
    workers: int = 0,
    threads: int = 4,
) -> None:
    """Serve ``app`` on ``host``:``port`` until interrupted, announcing each address;
    ``workers`` 0 means one per CPU core."""
    shown = f"[{host}]" if ":" in host else host

    def when_ready(arbiter: Arbiter) -> None:
        for listener in arbiter.LISTENERS:
            address_host, address_port = listener.sock.getsockname()[:2]
            announced = f"[{address_host}]" if ":" in address_host else address_host
            announce(f"http://{announced}:{address_port}/sparql")

    options: dict[str, Any] = {
        "bind": [f"{shown}:{port}"],
        "workers": workers or os.cpu_count() or 1,
        "worker_class": "gthread",
        "threads": threads,
        "when_ready": when_ready,
        "proc_name": "iprkg",
        # X-Forwarded-* are the app's business (ProxyFix, IPRKG_PROXY_HOPS): gunicorn
        # itself trusts them from no address, so no client can forge them.
        "forwarded_allow_ips": "",
        # SPARQL queries may come in long GET URLs; the app limits what it reads.
        "limit_request_line": 0,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
    }
    _Gunicorn(app, options).run()
