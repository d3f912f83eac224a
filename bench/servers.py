"""The servers compared, and how one is started, made ready, watched and stopped.

Each runs in a process group of its own (``start_new_session``), so stopping it stops its
workers too, and Ctrl-C at the terminal reaches only the benchmark, which then stops it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from client import fetch
from datasets import Dataset
from proctree import PeakMemory, tree_cpu_seconds

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PROBE = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
"""The small SELECT whose first 200 ends a cold start."""
SPARQL_JSON = "application/sparql-results+json"


class ServerFailed(RuntimeError):
    """A server exited or never answered; the message carries the end of its log."""


@dataclass(frozen=True)
class Server:
    """One server under test: how to run it on a dataset and where it answers SPARQL."""

    key: str
    label: str
    endpoint: str
    command: Callable[[Dataset, int], list[str]]
    environment: dict[str, str] = field(default_factory=dict)
    mixes: tuple[str, ...] = ("research",)
    program: Path = BIN / "iprkg"


def _iprkg(dataset: Dataset, port: int) -> list[str]:
    return [str(BIN / "iprkg"), "serve", "--host", "127.0.0.1", "--port", str(port),
            "--dist", str(dataset.dist)]  # fmt: skip


def _oxigraph(dataset: Dataset, port: int) -> list[str]:
    return [str(BIN / "oxigraph"), "serve-read-only", "--location", str(dataset.oxigraph_store),
            "--bind", f"127.0.0.1:{port}"]  # fmt: skip


def _rdflib_endpoint(dataset: Dataset, port: int) -> list[str]:
    return [str(BIN / "rdflib-endpoint"), "serve", "--host", "127.0.0.1", "--port", str(port),
            str(dataset.nt)]  # fmt: skip


SERVERS: dict[str, Server] = {
    server.key: server
    for server in (
        Server("iprkg", "iprkg", "/sparql", _iprkg, mixes=("research", "resource")),
        Server(
            "iprkg-nocache",
            "iprkg (no cache)",
            "/sparql",
            _iprkg,
            environment={"IPRKG_QUERY_CACHE_MB": "0"},
            mixes=("research", "resource"),
        ),
        Server("oxigraph", "Oxigraph", "/query", _oxigraph, program=BIN / "oxigraph"),
        Server(
            "rdflib-endpoint",
            "rdflib-endpoint",
            "/",
            _rdflib_endpoint,
            program=BIN / "rdflib-endpoint",
        ),
    )
}
"""Every server the benchmark knows, in the order they run and are reported."""


def free_port() -> int:
    """A TCP port nothing listens on now: bind port 0, read it, let it go."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Running:
    """A server on one dataset, started and stopped as often as needed: its process
    group, log, restarts, and the memory peaks over all its sessions."""

    def __init__(self, server: Server, dataset: Dataset, logs: Path) -> None:
        self.server = server
        self.dataset = dataset
        self.log_path = logs / f"{server.key}-{dataset.councils}.log"
        self.memory = PeakMemory()
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.restarts: list[str] = []

    def start(self, ready_timeout: float) -> float:
        """Start the server and wait for its first 200; answer the seconds that took."""
        self.port = free_port()
        environment = {**os.environ, "IPRKG_ROOT": str(self.dataset.root)}
        environment.update(self.server.environment)
        started = time.perf_counter()
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.server.command(self.dataset, self.port),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=environment,
                start_new_session=True,
            )
        self.memory.start(self.process.pid)
        self._wait_ready(ready_timeout)
        return time.perf_counter() - started

    def _wait_ready(self, timeout: float) -> None:
        """Poll the probe query every 15 ms until it answers 200."""
        assert self.process is not None
        path = f"{self.server.endpoint}?query={quote(PROBE)}"
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise ServerFailed(self._failure(f"exited with {self.process.returncode}"))
            if fetch(self.port, path, SPARQL_JSON, timeout=2).status == 200:
                return
            time.sleep(0.015)
        raise ServerFailed(self._failure(f"did not answer within {timeout:.0f} s"))

    def _failure(self, what: str) -> str:
        """A message naming the server, what went wrong, and the end of its log."""
        tail = self.log_path.read_text(errors="replace").splitlines()[-15:]
        return f"{self.server.label} (N={self.dataset.councils}) {what}; {self.log_path}:\n" + (
            "\n".join(f"  {line}" for line in tail)
        )

    def settle(self, limit: float, ready_timeout: float) -> float:
        """Wait until the server is idle (its tree uses under 10 % of a core for 0.5 s),
        so that work left from the last run does not slow the next; restart it if it is
        still busy after ``limit`` seconds. Answers the seconds waited."""
        assert self.process is not None
        started = time.perf_counter()
        while time.perf_counter() - started < limit:
            before = tree_cpu_seconds(self.process.pid)
            time.sleep(0.5)
            if tree_cpu_seconds(self.process.pid) - before < 0.05:
                return time.perf_counter() - started
        self.restarts.append(f"still busy {limit:.0f} s after a run")
        self.restart(ready_timeout)
        return time.perf_counter() - started

    def check_alive(self) -> None:
        """Raise ServerFailed if the server has exited."""
        if self.process is not None and self.process.poll() is not None:
            raise ServerFailed(self._failure(f"exited with {self.process.returncode}"))

    def restart(self, ready_timeout: float) -> None:
        """Stop and start again (the cold start of a restart is not recorded)."""
        self.stop()
        self.start(ready_timeout)

    def stop(self) -> None:
        """Stop the process group: SIGTERM, then SIGKILL after 10 s."""
        if self.process is None:
            return
        self.memory.sample()
        self.memory.root = None
        process, self.process = self.process, None
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        except ProcessLookupError:
            process.wait()

    def close(self) -> None:
        """Stop the server and the memory sampler."""
        self.stop()
        self.memory.stop()
