"""The servers compared, and how one is started, made ready, watched and stopped.

Each runs in a process group of its own (``start_new_session``), so stopping it stops its
workers too, and Ctrl-C at the terminal reaches only the benchmark, which then stops it.
A server may need others to run beside it, its companions (Oxigraph or iprkg behind nginx,
Oxigraph behind ``iprkg serve --backend``): they are started before it, on ports of their
own that its command is given, stopped after it, and their memory is counted with its own.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import string
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
NGINX = Path(shutil.which("nginx") or "/usr/sbin/nginx")
"""nginx on PATH, else Debian's (/usr/sbin is not on every user's PATH)."""
NGINX_TEMPLATE = ROOT / "bench" / "nginx" / "cache.conf"
PROBE = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
"""The small SELECT whose first 200 ends a cold start."""
SPARQL_JSON = "application/sparql-results+json"
BENCH_EXTRA = "install the bench extra with `make bench`, or `.venv/bin/pip install -e '.[bench]'`"


class ServerFailed(RuntimeError):
    """A server exited or never answered; the message carries the end of its log."""


@dataclass(frozen=True)
class Launch:
    """What a server's command is made from."""

    dataset: Dataset
    port: int
    folder: Path
    """A folder of its own under bench/work/servers, empty at each start (nginx's
    configuration, cache and temporary files)."""
    companions: dict[str, int]
    """The port of each companion, by its key."""


@dataclass(frozen=True)
class Server:
    """One server under test: how to run it on a dataset and where it answers SPARQL."""

    key: str
    label: str
    endpoint: str
    command: Callable[[Launch], list[str]]
    environment: dict[str, str] = field(default_factory=dict)
    mixes: tuple[str, ...] = ("research",)
    """The mixes it is loaded with; "resource" also means it serves iprkg's pages, whose
    /compare is timed."""
    program: Path = BIN / "iprkg"
    install: str = BENCH_EXTRA
    """How to install ``program`` where it is missing."""
    companions: tuple[str, ...] = ()
    """Keys of the servers it needs running beside it (see the module docstring)."""

    @property
    def pages(self) -> bool:
        """Whether it serves iprkg's pages (and so /compare)."""
        return "resource" in self.mixes


def _iprkg(launch: Launch) -> list[str]:
    return [str(BIN / "iprkg"), "serve", "--host", "127.0.0.1", "--port", str(launch.port),
            "--dist", str(launch.dataset.dist)]  # fmt: skip


def _iprkg_backend(launch: Launch) -> list[str]:
    """iprkg serve answering from the Oxigraph companion, which holds the build's
    N-Triples in its default graph (``iprkg serve --backend`` checks that at start)."""
    backend = f"http://127.0.0.1:{launch.companions['oxigraph']}/query"
    return [*_iprkg(launch), "--backend", backend]


def _oxigraph(launch: Launch) -> list[str]:
    return [str(BIN / "oxigraph"), "serve-read-only", "--location",
            str(launch.dataset.oxigraph_store), "--bind", f"127.0.0.1:{launch.port}"]  # fmt: skip


class _NginxTemplate(string.Template):
    """bench/nginx/*.conf: placeholders start with @, since nginx's variables take $."""

    delimiter = "@"


def _nginx_cache(launch: Launch) -> list[str]:
    """nginx with bench/nginx/cache.conf in front of its one companion (Oxigraph or
    iprkg), in the foreground; writes its configuration into the launch's folder first."""
    (upstream,) = launch.companions.values()
    folder = launch.folder
    configuration = folder / "nginx.conf"
    configuration.write_text(
        _NginxTemplate(NGINX_TEMPLATE.read_text(encoding="utf-8")).substitute(
            # As root nginx's workers would run as nobody, who may not write the cache.
            user="user root;" if os.geteuid() == 0 else "",
            folder=str(folder),
            upstream=upstream,
            port=launch.port,
        ),
        encoding="utf-8",
    )
    return [str(NGINX), "-p", str(folder), "-e", str(folder / "error.log"),
            "-c", str(configuration), "-g", "daemon off;"]  # fmt: skip


def _rdflib_endpoint(launch: Launch) -> list[str]:
    return [str(BIN / "rdflib-endpoint"), "serve", "--host", "127.0.0.1", "--port",
            str(launch.port), str(launch.dataset.nt)]  # fmt: skip


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
        Server(
            "iprkg-backend",
            "iprkg on Oxigraph (--backend)",
            "/sparql",
            _iprkg_backend,
            companions=("oxigraph",),
        ),
        Server("oxigraph", "Oxigraph", "/query", _oxigraph, program=BIN / "oxigraph"),
        Server(
            "oxigraph-nginx",
            "Oxigraph + nginx cache",
            "/query",
            _nginx_cache,
            program=NGINX,
            install="install nginx (`apt-get install nginx`)",
            companions=("oxigraph",),
        ),
        Server(
            "iprkg-nginx",
            "iprkg + nginx cache",
            "/sparql",
            _nginx_cache,
            program=NGINX,
            install="install nginx (`apt-get install nginx`)",
            companions=("iprkg",),
        ),
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


def uses_oxigraph_store(key: str) -> bool:
    """Whether the server, or one of its companions, is Oxigraph (whose store must be
    loaded first)."""
    return key == "oxigraph" or "oxigraph" in SERVERS[key].companions


def free_port() -> int:
    """A TCP port nothing listens on now: bind port 0, read it, let it go."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Running:
    """A server on one dataset, started and stopped as often as needed, with its
    companions: its process group, log, restarts, and the memory peaks over all its
    sessions (its companions' memory included)."""

    def __init__(
        self,
        server: Server,
        dataset: Dataset,
        logs: Path,
        memory: PeakMemory | None = None,
        name: str | None = None,
    ) -> None:
        self.server = server
        self.dataset = dataset
        self.name = name or server.key
        self.log_path = logs / f"{self.name}-{dataset.name}.log"
        self.folder = logs.parent / "servers" / f"{self.name}-{dataset.name}"
        self.memory = memory or PeakMemory()
        self.companions = [
            Running(SERVERS[key], dataset, logs, self.memory, f"{self.name}.{key}")
            for key in server.companions
        ]
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.restarts: list[str] = []

    def start(self, ready_timeout: float) -> float:
        """Start the companions, then the server, and wait for its first 200; answer the
        seconds that took."""
        started = time.perf_counter()
        for companion in self.companions:
            companion.start(ready_timeout)
        self.port = free_port()
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        ports = {companion.server.key: companion.port for companion in self.companions}
        command = self.server.command(Launch(self.dataset, self.port, self.folder, ports))
        environment = {**os.environ, "IPRKG_ROOT": str(self.dataset.root)}
        environment.update(self.server.environment)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=environment,
                start_new_session=True,
            )
        self.memory.start(self.pids())
        self._wait_ready(ready_timeout)
        return time.perf_counter() - started

    def pids(self) -> list[int]:
        """The process ids of the running companions and the server (the roots of their
        process trees)."""
        pids = [pid for companion in self.companions for pid in companion.pids()]
        return pids + ([self.process.pid] if self.process is not None else [])

    def _wait_ready(self, timeout: float) -> None:
        """Poll the probe query every 15 ms until it answers 200."""
        path = f"{self.server.endpoint}?query={quote(PROBE)}"
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            self.check_alive()
            if fetch(self.port, path, SPARQL_JSON, timeout=2).status == 200:
                return
            time.sleep(0.015)
        raise ServerFailed(self._failure(f"did not answer within {timeout:.0f} s"))

    def _failure(self, what: str) -> str:
        """A message naming the server, what went wrong, and the end of its log."""
        tail = self.log_path.read_text(errors="replace").splitlines()[-15:]
        return f"{self.server.label} ({self.dataset.label}) {what}; {self.log_path}:\n" + (
            "\n".join(f"  {line}" for line in tail)
        )

    def settle(self, limit: float, ready_timeout: float) -> float:
        """Wait until the server is idle (its trees, companions' included, use under 10 %
        of a core for 0.5 s), so that work left from the last run does not slow the next;
        restart it if it is still busy after ``limit`` seconds. Answers the seconds
        waited."""
        started = time.perf_counter()
        while time.perf_counter() - started < limit:
            before = self.cpu_seconds()
            time.sleep(0.5)
            if self.cpu_seconds() - before < 0.05:
                return time.perf_counter() - started
        self.restarts.append(f"still busy {limit:.0f} s after a run")
        self.restart(ready_timeout)
        return time.perf_counter() - started

    def cpu_seconds(self) -> float:
        """CPU seconds used so far by the server's and its companions' processes."""
        return sum(tree_cpu_seconds(pid) for pid in self.pids())

    def check_alive(self) -> None:
        """Raise ServerFailed if the server or a companion has exited."""
        for companion in self.companions:
            companion.check_alive()
        if self.process is not None and self.process.poll() is not None:
            raise ServerFailed(self._failure(f"exited with {self.process.returncode}"))

    def restart(self, ready_timeout: float) -> None:
        """Stop and start again (the cold start of a restart is not recorded)."""
        self.stop()
        self.start(ready_timeout)

    def stop(self) -> None:
        """Stop the server's process group, then its companions': SIGTERM, then SIGKILL
        after 10 s."""
        if self.process is not None:
            self.memory.sample()
            self.memory.roots = []
            process, self.process = self.process, None
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            except ProcessLookupError:
                process.wait()
        for companion in reversed(self.companions):
            companion.stop()

    def close(self) -> None:
        """Stop the server, its companions and the memory sampler."""
        self.stop()
        self.memory.stop()
