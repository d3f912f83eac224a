"""Stop a request that runs past the time limit: answer 503, free its CPU, go on serving.

pyoxigraph evaluates a query in Rust, with the GIL released, and offers no way to
interrupt it: a thread cannot be stopped, only the process that runs it. So under
``iprkg serve`` every gunicorn worker answers one request at a time (sync workers), and
each worker runs a ``Watchdog`` thread. When the request being answered passes the
limit (``IPRKG_QUERY_TIMEOUT``), the watchdog writes a 503 in the app's error shape to
the client's socket and ends its own process at once; gunicorn's master forks a fresh
worker from the loaded store in milliseconds. The other workers never notice: their
clients' small queries keep being answered while one runaway query is stopped.

The limit covers the app's work on a request (from before the first hook to the end of
its teardown), not the sending of an answer already made. Outside ``iprkg serve`` (the
test client, another WSGI server) no watchdog runs and ``register``'s hooks do nothing.
"""

from __future__ import annotations

import copy
import os
import socket
import sys
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, request

from iprkg.web.errors import render

EXIT_STOPPED = 75
"""The exit status of a worker the watchdog ended (EX_TEMPFAIL): gunicorn replaces it."""

TICK_SECONDS = 0.05


class Watchdog:
    """Watches the one request a worker answers; see the module."""

    def __init__(self, limit: float, answer: Callable[[dict[str, Any]], bytes]) -> None:
        self._limit = limit
        self._answer = answer
        self._lock = threading.Lock()
        self._started: float | None = None
        self._environ: dict[str, Any] = {}
        self._thread = threading.Thread(target=self._watch, name="iprkg-watchdog", daemon=True)

    def arm(self, environ: dict[str, Any]) -> None:
        if threading.current_thread() is not self._thread:  # not the 503 being made
            with self._lock:
                self._environ = environ
                self._started = time.monotonic()

    def disarm(self) -> None:
        if threading.current_thread() is not self._thread:
            with self._lock:
                self._started = None

    def start(self) -> None:
        self._thread.start()

    def _watch(self) -> None:
        while True:
            time.sleep(TICK_SECONDS)
            with self._lock:
                started = self._started
                if started is None or time.monotonic() - started < self._limit:
                    continue
                # Holding the lock for good: the request can no longer answer itself
                # (its own disarm waits), so the 503 is the only answer it gets.
                self._stop(self._environ)

    def _stop(self, environ: dict[str, Any]) -> None:
        """Answer 503 on the request's socket, say so in the log, and end the process."""
        what = f"{environ.get('REQUEST_METHOD')} {environ.get('PATH_INFO')}"
        print(
            f"iprkg: stopped {what} after {self._limit:g} s (IPRKG_QUERY_TIMEOUT); "
            f"worker {os.getpid()} is replaced",
            file=sys.stderr,
            flush=True,
        )
        client = environ.get("gunicorn.socket")
        if isinstance(client, socket.socket):
            try:
                client.settimeout(2)
                client.sendall(self._answer(environ))
                client.shutdown(socket.SHUT_RDWR)
            except Exception:  # the client is gone or the answer failed: stop all the same
                pass
        os._exit(EXIT_STOPPED)


_WATCHDOG: Watchdog | None = None


def register(app: Flask, limit: float) -> Callable[[], None]:
    """Arm the worker's watchdog for each request of ``app``; the function returned (kept
    as ``AppContext.start_watchdog``) starts a watchdog in a worker (gunicorn's
    ``post_fork``). A ``limit`` of 0: none."""

    def before() -> None:
        if _WATCHDOG is not None:
            _WATCHDOG.arm(copy.copy(request.environ))

    def teardown(_: BaseException | None) -> None:
        if _WATCHDOG is not None:
            _WATCHDOG.disarm()

    app.before_request(before)
    app.teardown_request(teardown)

    def answer(environ: dict[str, Any]) -> bytes:
        message = (
            f"the request ran longer than the limit of {limit:g} s and was stopped; "
            "narrow the query (LIMIT, more specific patterns) or run it on a copy of "
            "the data (the dumps at /dumps/)"
        )
        with app.request_context(environ):
            response = app.process_response(render(503, "timeout", message))
            response.headers["Retry-After"] = "60"
            response.headers["Connection"] = "close"
            response.headers["Cache-Control"] = "no-store"
            return raw_http(response)

    def start_in_worker() -> None:
        global _WATCHDOG
        if limit > 0:
            _WATCHDOG = Watchdog(limit, answer)
            _WATCHDOG.start()

    return start_in_worker


def raw_http(response: Response) -> bytes:
    """``response`` as HTTP/1.1 bytes: status line, headers, body."""
    body = response.get_data()
    status = HTTPStatus(response.status_code)
    lines = [f"HTTP/1.1 {status.value} {status.phrase}"]
    lines += [f"{name}: {value}" for name, value in response.headers if name != "Content-Length"]
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
