"""One GET to a local server, timed, redirects not followed (as wrk does not)."""

from __future__ import annotations

import http.client
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Answer:
    """What one request got: the status (None when there was none), body, and time."""

    status: int | None
    body: bytes
    seconds: float
    error: str = ""

    @property
    def ok(self) -> bool:
        """2xx or 3xx, as the load runs count success."""
        return self.status is not None and 200 <= self.status < 400


def fetch(port: int, path: str, accept: str, timeout: float) -> Answer:
    """GET ``path`` from 127.0.0.1:``port`` with ``Accept``; a timeout or a refused
    connection is an answer without a status, saying why in ``error``."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Accept": accept})
        response = connection.getresponse()
        body = response.read()
        return Answer(response.status, body, time.perf_counter() - started)
    except TimeoutError:
        return Answer(None, b"", time.perf_counter() - started, "timeout")
    except (OSError, http.client.HTTPException) as error:
        return Answer(None, b"", time.perf_counter() - started, type(error).__name__)
    finally:
        connection.close()
