"""One real ``iprkg serve`` in a subprocess on a free loopback port, for tests over HTTP.

``serving(options)`` starts ``iprkg serve --host 127.0.0.1 --port 0 OPTIONS``, waits
until the server says where it listens, yields that ``/sparql`` URL, and stops the
server on leaving the block. The server's log goes to a temporary file, never to a pipe
that nobody reads, and is shown if the server does not start. Every test that needs a
live server (conftest's ``live_server``, the W3C runners, ``test_serve``) uses this.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from iprkg.core.settings import SETTINGS
from support.processes import stop, unavailable

STARTUP_SECONDS = 60
PROJECT_ROOT = Path(__file__).resolve().parents[2]


class ServerFailed(RuntimeError):
    """``iprkg serve`` exited, or said nothing about where it listens in time."""


def iprkg_command() -> list[str]:
    """The installed console script, else ``python -m iprkg``."""
    script = Path(sys.executable).parent / "iprkg"
    return [str(script)] if script.exists() else [sys.executable, "-m", "iprkg"]


def clean_environment() -> dict[str, str]:
    """This process's environment without any IPRKG_* setting: the defaults apply."""
    settings = {setting.env for setting in SETTINGS}
    return {k: v for k, v in os.environ.items() if k not in settings}


@dataclass
class LiveServer:
    """A running ``iprkg serve``: its ``/sparql`` URL, its process, and its log so far."""

    url: str
    process: subprocess.Popen[bytes]
    log: IO[bytes]

    def written(self) -> str:
        return written(self.log)


@contextmanager
def serving(options: Sequence[str] = (), cwd: Path = PROJECT_ROOT) -> Iterator[str]:
    """``iprkg serve --host 127.0.0.1 --port 0 OPTIONS``; yields its ``/sparql`` URL."""
    with live(options, cwd=cwd) as server:
        yield server.url


@contextmanager
def live(
    options: Sequence[str] = (),
    *,
    cwd: Path = PROJECT_ROOT,
    settings: Mapping[str, str] | None = None,
) -> Iterator[LiveServer]:
    """``iprkg serve --host 127.0.0.1 --port 0 OPTIONS`` with the default settings but
    ``settings``; yields the ``LiveServer``, stopped on leaving the block."""
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            [*iprkg_command(), "serve", "--host", "127.0.0.1", "--port", "0", *options],
            cwd=cwd,
            env={**clean_environment(), **(settings or {})},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield LiveServer(listening_url(server, log), server, log)
        finally:
            stop(server)


def listening_url(server: subprocess.Popen[bytes], log: IO[bytes]) -> str:
    """Read the server's log until it says where it listens."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        found = re.search(r"listening at (http://\S+/sparql)\b", written(log))
        if found:
            return found.group(1)
        if server.poll() is not None:
            break
        time.sleep(0.05)
    raise ServerFailed(f"iprkg serve did not start (exit code {server.poll()}):\n{written(log)}")


def written(log: IO[bytes]) -> str:
    """What the server wrote so far. pread, because the server shares the file offset."""
    return os.pread(log.fileno(), 1 << 20, 0).decode("utf-8", "replace")


def oxigraph_binary() -> Path:
    """The Oxigraph server next to this Python (PyPI ``oxigraph``, in the test extra); a
    skip without it, a failure under CI."""
    binary = Path(sys.executable).parent / "oxigraph"
    if not binary.is_file():
        unavailable(
            f"the Oxigraph server is not installed ({binary} is absent): "
            "pip install -e '.[test]' installs it (PyPI: oxigraph)"
        )
    return binary


def free_port() -> int:
    """A loopback TCP port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
