"""A real Oxigraph server for tests: ``oxigraph serve`` (or ``serve-read-only``) with its
default options, on a free loopback port.

The binary is PyPI's ``oxigraph`` from the [test] extra (``support.live.oxigraph_binary``:
a skip without it, a failure under CI). ``start_oxigraph`` returns once the port takes
connections; the caller stops the process (``support.processes.stop``).
"""

from __future__ import annotations

import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from support.live import free_port, oxigraph_binary
from support.processes import stop

STARTUP_SECONDS = 30


@dataclass(frozen=True)
class Oxigraph:
    """A running Oxigraph server: its Graph Store and query endpoints."""

    base: str

    @property
    def store(self) -> str:
        return f"{self.base}/store"

    @property
    def query(self) -> str:
        return f"{self.base}/query"


def start_oxigraph(mode: str, location: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """``oxigraph MODE --location LOCATION`` on a free port; waits until it listens."""
    port = free_port()
    with log.open("wb") as written:
        server = subprocess.Popen(
            [
                str(oxigraph_binary()),
                mode,
                "--location",
                str(location),
                "--bind",
                f"127.0.0.1:{port}",
            ],
            stdin=subprocess.DEVNULL,
            stdout=written,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.05)
    stop(server)
    pytest.fail(f"oxigraph {mode} did not start:\n{log.read_text(errors='replace')}")
